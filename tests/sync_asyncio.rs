//! The asyncio programs in `tests/asyncio/sync_*.py`, ported line by line, print the
//! same lines in the same order as CPython (the expected output is the comment block at
//! the top of each `.py` file).
//!
//! Until they move onto `resumable::run`, they run on `fifo`, a minimal executor that
//! schedules like asyncio's loop: one FIFO ready queue, a task woken or spawned during an
//! iteration runs after those already queued, and `cancel` takes effect when the task's
//! turn comes (its future is dropped then, as asyncio throws `CancelledError` then).

use std::cell::RefCell;
use std::rc::Rc;

use resumable::sync::{
    oneshot, Barrier, BoundedSemaphore, BrokenBarrier, Condition, Event, Lock, Queue, Semaphore,
    TryGetError, TryPutError,
};

mod fifo {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Wake, Waker};

    type Ready = Arc<Mutex<VecDeque<usize>>>;

    struct TaskWaker {
        id: usize,
        queued: AtomicBool,
        ready: Ready,
    }

    impl Wake for TaskWaker {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            if !self.queued.swap(true, Ordering::SeqCst) {
                self.ready.lock().unwrap().push_back(self.id);
            }
        }
    }

    struct Slot {
        future: Option<Pin<Box<dyn Future<Output = ()>>>>,
        waker: Arc<TaskWaker>,
        cancelled: bool,
    }

    #[derive(Default)]
    struct Loop {
        tasks: RefCell<Vec<Slot>>,
        ready: Ready,
        output: RefCell<Vec<String>>,
    }

    thread_local! {
        static LOOP: RefCell<Option<Rc<Loop>>> = const { RefCell::new(None) };
    }

    fn current() -> Rc<Loop> {
        LOOP.with(|l| l.borrow().clone().expect("not inside fifo::run"))
    }

    /// A spawned task: a future of its result; `cancel()` drops it at its next turn.
    pub struct Task<T> {
        id: usize,
        result: Rc<RefCell<(Option<T>, Option<Waker>)>>,
    }

    impl<T> Task<T> {
        /// asyncio's `Task.done()` (for a task not awaited yet).
        pub fn done(&self) -> bool {
            self.result.borrow().0.is_some()
        }

        pub fn cancel(&self) {
            let event_loop = current();
            let mut tasks = event_loop.tasks.borrow_mut();
            tasks[self.id].cancelled = true;
            tasks[self.id].waker.wake_by_ref();
        }
    }

    impl<T> Future for Task<T> {
        type Output = T;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
            let mut result = self.result.borrow_mut();
            match result.0.take() {
                Some(value) => Poll::Ready(value),
                None => {
                    result.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    /// asyncio's `create_task`.
    pub fn spawn<T: 'static>(future: impl Future<Output = T> + 'static) -> Task<T> {
        let event_loop = current();
        let mut tasks = event_loop.tasks.borrow_mut();
        let id = tasks.len();
        let result = Rc::new(RefCell::new((None, None::<Waker>)));
        let slot = result.clone();
        let future = async move {
            let value = future.await;
            let waker = {
                let mut slot = slot.borrow_mut();
                slot.0 = Some(value);
                slot.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        };
        let waker = Arc::new(TaskWaker {
            id,
            queued: AtomicBool::new(false),
            ready: event_loop.ready.clone(),
        });
        waker.wake_by_ref();
        tasks.push(Slot {
            future: Some(Box::pin(future)),
            waker,
            cancelled: false,
        });
        Task { id, result }
    }

    /// asyncio's `gather`: wraps each future in a task, in order, and awaits them all.
    pub async fn gather<T: 'static, F: Future<Output = T> + 'static>(
        futures: impl IntoIterator<Item = F>,
    ) -> Vec<T> {
        let tasks: Vec<_> = futures.into_iter().map(spawn).collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await);
        }
        results
    }

    /// asyncio's `sleep(0)`.
    pub async fn yield_now() {
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }

    /// asyncio's `print`: records a line of output.
    pub fn print(line: String) {
        current().output.borrow_mut().push(line);
    }

    /// asyncio's `run`: runs `main` and every task until none is ready; returns the output.
    pub fn run(main: impl Future<Output = ()> + 'static) -> Vec<String> {
        let event_loop = Rc::new(Loop::default());
        LOOP.with(|l| *l.borrow_mut() = Some(event_loop.clone()));
        spawn(main);
        loop {
            let next = event_loop.ready.lock().unwrap().pop_front();
            let Some(id) = next else { break };
            let (future, waker, cancelled) = {
                let mut tasks = event_loop.tasks.borrow_mut();
                let slot = &mut tasks[id];
                slot.waker.queued.store(false, Ordering::SeqCst);
                (slot.future.take(), slot.waker.clone(), slot.cancelled)
            };
            let Some(mut future) = future else { continue };
            if cancelled {
                drop(future);
                continue;
            }
            let waker = Waker::from(waker);
            if future
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
            {
                event_loop.tasks.borrow_mut()[id].future = Some(future);
            }
        }
        LOOP.with(|l| *l.borrow_mut() = None);
        event_loop.output.take()
    }
}

use fifo::{gather, spawn, yield_now};

macro_rules! say {
    ($($arg:tt)*) => { fifo::print(format!($($arg)*)) };
}

/// The lines of the comment block `# | ...` at the top of an asyncio program.
fn expected(program: &str) -> Vec<String> {
    program
        .lines()
        .filter_map(|line| line.strip_prefix("# | ").or(line.strip_prefix("# |")))
        .map(String::from)
        .collect()
}

fn py(flag: bool) -> &'static str {
    if flag {
        "True"
    } else {
        "False"
    }
}

fn pylist<T: std::fmt::Display>(items: &[T], quote: bool) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            if quote {
                format!("'{item}'")
            } else {
                item.to_string()
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn queue_program_prints_what_asyncio_prints() {
    async fn consumer(queue: Queue<String>, name: String) {
        loop {
            let item = queue.get().await.unwrap();
            say!("{name} got {item}");
            yield_now().await;
            queue.task_done().unwrap();
        }
    }

    async fn main() {
        let queue = Queue::with_capacity(2);
        let consumers: Vec<_> = (0..2)
            .map(|i| spawn(consumer(queue.clone(), format!("c{i}"))))
            .collect();
        for i in 0..5 {
            queue.put(i.to_string()).await.unwrap();
            say!("put {i} qsize={}", queue.qsize());
        }
        queue.join().await;
        say!("joined");
        for task in &consumers {
            task.cancel();
        }
        yield_now().await;

        if let Err(TryGetError::Empty) = queue.get_nowait() {
            say!("get_nowait: empty");
        }
        queue.put_nowait("x".into()).unwrap();
        queue.put_nowait("y".into()).unwrap();
        if let Err(TryPutError::Full(_)) = queue.put_nowait("z".into()) {
            say!("put_nowait: full={}", py(queue.full()));
        }
        let (x, y) = (queue.get_nowait().unwrap(), queue.get_nowait().unwrap());
        say!("got {x} {y} empty={}", py(queue.empty()));

        let waiting = spawn({
            let queue = queue.clone();
            async move { queue.get().await.unwrap() }
        });
        yield_now().await;
        waiting.cancel();
        yield_now().await;
        queue.put_nowait("kept".into()).unwrap();
        say!("after cancel: {}", queue.get_nowait().unwrap());

        let queue = Queue::new();
        let getters: Vec<_> = (0..3)
            .map(|_| {
                let queue = queue.clone();
                spawn(async move { queue.get().await.unwrap() })
            })
            .collect();
        yield_now().await;
        for item in ["a", "b", "c"] {
            queue.put_nowait(item).unwrap();
        }
        let mut served = Vec::new();
        for task in getters {
            served.push(task.await);
        }
        say!("served: {}", pylist(&served, true));

        let done = (0..4)
            .map(|_| queue.task_done())
            .collect::<Result<Vec<_>, _>>();
        if done.is_err() {
            say!("task_done: too many");
        }

        let (lifo, priority) = (Queue::lifo(), Queue::priority());
        for item in [3, 1, 2] {
            lifo.put_nowait(item).unwrap();
            priority.put_nowait(item).unwrap();
        }
        let popped: Vec<_> = (0..3).map(|_| lifo.get_nowait().unwrap()).collect();
        let sorted: Vec<_> = (0..3).map(|_| priority.get_nowait().unwrap()).collect();
        say!("lifo: {}", pylist(&popped, false));
        say!("priority: {}", pylist(&sorted, false));
    }

    let program = include_str!("asyncio/sync_queue.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn lock_program_prints_what_asyncio_prints() {
    async fn worker(lock: Lock, name: String) {
        say!("{name} waits");
        let _guard = lock.acquire().await;
        say!("{name} holds the lock");
        yield_now().await;
        yield_now().await;
        say!("{name} releases");
    }

    async fn main() {
        let lock = Lock::new();
        gather((0..3).map(|i| worker(lock.clone(), format!("w{i}")))).await;
        say!("locked={}", py(lock.locked()));

        let held = lock.acquire().await;
        let waiter = spawn({
            let lock = lock.clone();
            async move { drop(lock.acquire().await) }
        });
        yield_now().await;
        waiter.cancel();
        yield_now().await;
        drop(held);
        say!("after cancel: locked={}", py(lock.locked()));

        let held = lock.acquire().await;
        let [v0, v1, v2] = [0, 1, 2].map(|i| spawn(worker(lock.clone(), format!("v{i}"))));
        yield_now().await;
        v1.cancel();
        yield_now().await;
        drop(held);
        say!("released to v0: locked={}", py(lock.locked()));
        v0.await;
        v2.await;
        say!("done: locked={}", py(lock.locked()));
    }

    let program = include_str!("asyncio/sync_lock.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn event_program_prints_what_asyncio_prints() {
    async fn waiter(event: Event, name: String) {
        say!("{name} waits");
        event.wait().await;
        say!("{name} woke, is_set={}", py(event.is_set()));
    }

    async fn main() {
        let event = Event::new();
        let tasks: Vec<_> = (0..3)
            .map(|i| spawn(waiter(event.clone(), format!("w{i}"))))
            .collect();
        yield_now().await;
        say!("setting");
        event.set();
        event.clear();
        say!("cleared");
        for task in tasks {
            task.await;
        }

        let late = spawn(waiter(event.clone(), "late".into()));
        yield_now().await;
        say!("late done={}", py(late.done()));
        event.set();
        late.await;
        waiter(event.clone(), "set-already".into()).await;
    }

    let program = include_str!("asyncio/sync_event.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn semaphore_program_prints_what_asyncio_prints() {
    async fn worker(semaphore: Semaphore, name: String) {
        let _permit = semaphore.acquire().await;
        say!("{name} in (free={})", semaphore.available_permits());
        yield_now().await;
        say!("{name} out");
    }

    async fn main() {
        let semaphore = Semaphore::new(2);
        gather((0..5).map(|i| worker(semaphore.clone(), format!("w{i}")))).await;
        say!(
            "locked={} free={}",
            py(semaphore.locked()),
            semaphore.available_permits()
        );

        semaphore.release();
        say!(
            "after extra release: free={}",
            semaphore.available_permits()
        );

        let bounded = BoundedSemaphore::new(1);
        bounded.acquire().await.forget();
        bounded.release().unwrap();
        if bounded.release().is_err() {
            say!("bounded: released too many times");
        }

        bounded.acquire().await.forget();
        let waiter = spawn({
            let bounded = bounded.clone();
            async move { bounded.acquire().await.forget() }
        });
        yield_now().await;
        waiter.cancel();
        yield_now().await;
        bounded.release().unwrap();
        say!("after cancel: locked={}", py(bounded.locked()));
    }

    let program = include_str!("asyncio/sync_semaphore.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn condition_program_prints_what_asyncio_prints() {
    async fn consumer(condition: Condition, items: Rc<RefCell<Vec<&'static str>>>, name: String) {
        let guard = condition.acquire().await;
        let predicate_items = items.clone();
        let _guard = condition
            .wait_for(guard, move || !predicate_items.borrow().is_empty())
            .await;
        let item = items.borrow_mut().remove(0);
        say!("{name} took {item}");
    }

    async fn waiter(condition: Condition, name: String) {
        let guard = condition.acquire().await;
        say!("{name} waits");
        let _guard = condition.wait(guard).await;
        say!("{name} notified");
    }

    async fn main() {
        let condition = Condition::new();
        let tasks: Vec<_> = (0..3)
            .map(|i| spawn(waiter(condition.clone(), format!("w{i}"))))
            .collect();
        yield_now().await;
        {
            let _guard = condition.acquire().await;
            say!("notify(2)");
            condition.notify(2);
        }
        yield_now().await;
        yield_now().await;
        {
            let _guard = condition.acquire().await;
            say!("notify_all");
            condition.notify_all();
        }
        for task in tasks {
            task.await;
        }

        let items = Rc::new(RefCell::new(Vec::new()));
        let consumers: Vec<_> = (0..2)
            .map(|i| spawn(consumer(condition.clone(), items.clone(), format!("c{i}"))))
            .collect();
        yield_now().await;
        for item in ["apple", "pear"] {
            {
                let _guard = condition.acquire().await;
                items.borrow_mut().push(item);
                say!("produced {item}");
                condition.notify(1);
            }
            yield_now().await;
        }
        for task in consumers {
            task.await;
        }
        say!("locked={}", py(condition.locked()));
    }

    let program = include_str!("asyncio/sync_condition.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn barrier_program_prints_what_asyncio_prints() {
    async fn party(barrier: Barrier, name: String) -> Result<(), BrokenBarrier> {
        say!("{name} arrives");
        let index = barrier.wait().await?;
        say!("{name} passes with index {index}");
        Ok(())
    }

    async fn main() {
        let barrier = Barrier::new(3);
        gather((0..3).map(|i| party(barrier.clone(), format!("p{i}")))).await;
        say!(
            "n_waiting={} broken={}",
            barrier.n_waiting(),
            py(barrier.broken())
        );

        let waiting = spawn(party(barrier.clone(), "q0".into()));
        yield_now().await;
        barrier.abort();
        if waiting.await.is_err() {
            say!("q0: broken");
        }
        if barrier.wait().await.is_err() {
            say!(
                "wait on a broken barrier fails: broken={}",
                py(barrier.broken())
            );
        }
        barrier.reset();
        say!("after reset: broken={}", py(barrier.broken()));
    }

    let program = include_str!("asyncio/sync_barrier.py");
    assert_eq!(fifo::run(main()), expected(program));
}

#[test]
fn oneshot_program_prints_what_asyncio_prints() {
    async fn compute(tx: oneshot::Sender<i32>) {
        say!("computing");
        yield_now().await;
        tx.send(42).unwrap();
        say!("sent");
    }

    async fn main() {
        let (tx, rx) = oneshot::channel();
        let task = spawn(compute(tx));
        say!("waiting");
        say!("received {}", rx.await.unwrap());
        task.await;

        let (tx, rx) = oneshot::channel();
        std::thread::spawn(move || tx.send("from a thread").unwrap())
            .join()
            .unwrap();
        say!("received {}", rx.await.unwrap());
    }

    let program = include_str!("asyncio/sync_oneshot.py");
    assert_eq!(fifo::run(main()), expected(program));
}
