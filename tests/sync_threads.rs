//! What `resumable::sync` promises about threads: the loop-local primitives cannot leave
//! their thread (not `Send`, not `Sync`, checked by the compiler), the `oneshot` channel
//! can; every future is `'static` and, like its primitive, `Unpin`.

use resumable::sync::*;
use static_assertions::{assert_impl_all, assert_not_impl_any};

#[test]
fn loop_local_primitives_and_their_futures_and_guards_are_neither_send_nor_sync() {
    assert_not_impl_any!(Queue<u8>: Send, Sync);
    assert_not_impl_any!(PriorityQueue<u8>: Send, Sync);
    assert_not_impl_any!(LifoQueue<u8>: Send, Sync);
    assert_not_impl_any!(Get<u8>: Send, Sync);
    assert_not_impl_any!(Put<u8>: Send, Sync);
    assert_not_impl_any!(Lock: Send, Sync);
    assert_not_impl_any!(LockGuard: Send, Sync);
    assert_not_impl_any!(Mutex<u8>: Send, Sync);
    assert_not_impl_any!(MutexGuard<u8>: Send, Sync);
    assert_not_impl_any!(Event: Send, Sync);
    assert_not_impl_any!(Semaphore: Send, Sync);
    assert_not_impl_any!(BoundedSemaphore: Send, Sync);
    assert_not_impl_any!(SemaphorePermit: Send, Sync);
    assert_not_impl_any!(Condition: Send, Sync);
    assert_not_impl_any!(Barrier: Send, Sync);
    assert_not_impl_any!(mpsc::Sender<u8>: Send, Sync);
    assert_not_impl_any!(mpsc::Receiver<u8>: Send, Sync);
}

#[test]
fn the_oneshot_channel_crosses_threads_when_its_value_does() {
    assert_impl_all!(oneshot::Sender<Vec<u8>>: Send, Sync);
    assert_impl_all!(oneshot::Receiver<Vec<u8>>: Send, Sync);
    assert_not_impl_any!(oneshot::Receiver<std::rc::Rc<u8>>: Send, Sync);
}

#[test]
fn every_future_is_static_and_unpin() {
    fn check<F: std::future::Future + Unpin + 'static>(_: F) {}
    let queue = Queue::<String>::new();
    check(queue.get());
    check(queue.put(String::new()));
    check(queue.join());
    check(Lock::new().acquire());
    check(Mutex::new(String::new()).lock());
    check(Event::new().wait());
    check(Semaphore::new(1).acquire());
    check(BoundedSemaphore::new(1).acquire());
    let condition = Condition::new();
    let guard = condition.lock().try_acquire().unwrap();
    check(condition.wait_for(guard, || true));
    check(Barrier::new(1).wait());
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    check(tx.send(String::new()));
    check(rx.recv());
    check(oneshot::channel::<String>().1);
}
