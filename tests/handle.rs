//! Handle: reaching the loop from other threads (asyncio's call_soon_threadsafe).

use std::sync::mpsc;
use std::time::Duration;

use resumable::{Handle, JoinError, Runtime, RuntimeGone};

static_assertions::assert_impl_all!(Handle: Send, Sync, Clone);
static_assertions::assert_impl_all!(resumable::JoinHandle<u8>: Send);

#[test]
fn another_thread_can_spawn_on_the_loop_and_get_the_result() {
    let rt = Runtime::new().unwrap();
    let handle = rt.handle();
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let result = handle.spawn(async { std::thread::current().id() }).unwrap();
        tx.send(()).unwrap();
        result
    });
    let loop_thread = std::thread::current().id();
    let ran_on = rt.block_on(async move {
        // Wait (without blocking the loop) until the other thread has spawned.
        while rx.try_recv().is_err() {
            resumable::time::sleep(Duration::from_millis(1)).await;
        }
        thread.join().unwrap().await.unwrap()
    });
    assert_eq!(ran_on, loop_thread);
}

#[test]
fn call_soon_wakes_a_loop_that_is_waiting_with_nothing_to_do() {
    let rt = Runtime::new().unwrap();
    let handle = rt.handle();
    let (tx, rx) = mpsc::channel::<std::task::Waker>();
    let thread = std::thread::spawn(move || {
        let waker = rx.recv().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        // No timers, no I/O: the loop sleeps in epoll_wait until this call wakes it.
        handle
            .call_soon(move || {
                assert_eq!(
                    std::thread::current().name(),
                    Some("call_soon_wakes_a_loop_that_is_waiting_with_nothing_to_do")
                );
                waker.wake();
            })
            .unwrap();
    });
    let mut parked = false;
    rt.block_on(std::future::poll_fn(|cx| {
        if parked {
            return std::task::Poll::Ready(());
        }
        parked = true;
        tx.send(cx.waker().clone()).unwrap();
        std::task::Poll::Pending
    }));
    thread.join().unwrap();
}

#[test]
fn a_handle_used_after_its_runtime_is_gone_returns_an_error() {
    let rt = Runtime::new().unwrap();
    let handle = rt.handle();
    drop(rt);
    assert!(handle.is_closed());
    assert_eq!(handle.call_soon(|| ()).unwrap_err(), RuntimeGone);
    assert!(handle.spawn(async {}).is_err());
}

#[test]
fn a_remote_task_pending_when_the_runtime_drops_completes_as_cancelled() {
    let rt = Runtime::new().unwrap();
    let remote = rt.handle().spawn(std::future::pending::<()>()).unwrap();
    rt.block_on(resumable::yield_now());
    drop(rt);
    let result = futures::executor::block_on(remote);
    assert!(matches!(result, Err(JoinError::Cancelled)));
}

#[test]
fn a_remote_spawn_queued_but_never_run_completes_as_cancelled() {
    let rt = Runtime::new().unwrap();
    let remote = rt.handle().spawn(async { 1 }).unwrap();
    drop(rt); // the loop never ran the queued spawn
    assert!(futures::executor::block_on(remote)
        .unwrap_err()
        .is_cancelled());
}

#[test]
fn handle_current_inside_the_loop_reaches_the_same_runtime() {
    let rt = Runtime::new().unwrap();
    let v = rt.block_on(async {
        let h = Handle::current();
        std::thread::spawn(move || h.spawn(async { 9 }).unwrap())
            .join()
            .unwrap()
            .await
    });
    assert_eq!(v.unwrap(), 9);
}
