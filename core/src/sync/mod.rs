//! Synchronisation between tasks of one event loop: asyncio's `Queue`, `Lock`, `Event`,
//! `Semaphore`, `Condition` and `Barrier`, plus [`oneshot`] and [`mpsc`] channels.
//!
//! The one idea: every primitive is a cheap handle (`Clone` shares it) and every future
//! it returns owns a handle, so the futures are `'static` and can sit in a coroutine's
//! state next to the primitive itself. Waiters are served in FIFO order, as in asyncio,
//! and a waiter cancelled (its future dropped) loses nothing and takes nothing: an item,
//! permit or lock that had already been handed to it passes on to the next waiter.
//!
//! The primitives depend only on [`Waker`](std::task::Waker) and
//! [`Context`](std::task::Context), so they work on any executor (ours, tokio's,
//! `futures::executor`).
//!
//! # From asyncio
//!
//! | asyncio | `resumable::sync` |
//! |---|---|
//! | `Queue(maxsize)`, `LifoQueue`, `PriorityQueue` | [`Queue::with_capacity`], [`Queue::lifo`], [`Queue::priority`] |
//! | `await q.put(x)` / `q.put_nowait(x)` (`QueueFull`) | `q.put(x).await?` / `q.put_nowait(x)` ([`TryPutError::Full`] hands `x` back) |
//! | `await q.get()` / `q.get_nowait()` (`QueueEmpty`) | `q.get().await?` / `q.get_nowait()` ([`TryGetError::Empty`]) |
//! | `q.task_done()`, `await q.join()` | `q.task_done()?` ([`TaskDoneError`]), `q.join().await` |
//! | `q.shutdown(immediate)` (3.13) | [`Queue::shutdown`], [`Queue::shutdown_immediate`] (returns the items) |
//! | `async with lock:` | `let _guard = lock.acquire().await;` ([`Lock`], or [`Mutex`] around data) |
//! | `Event`: `set`, `clear`, `is_set`, `await wait()` | [`Event`]: the same names |
//! | `async with sem:` / `BoundedSemaphore` | `let _permit = sem.acquire().await;` / [`BoundedSemaphore`] |
//! | `async with cond: await cond.wait()` | `let g = cond.acquire().await; let g = cond.wait(g).await;` |
//! | `cond.wait_for(pred)`, `notify(n)`, `notify_all()` | [`Condition::wait_for`], [`Condition::notify`], [`Condition::notify_all`] |
//! | `Barrier(n)`: `await wait()`, `abort()`, `reset()` | [`Barrier`]: the same names ([`BrokenBarrier`]) |
//! | a bare `Future` set by another task or thread | [`oneshot::channel`] |
//!
//! # Threads
//!
//! The loop-local primitives ([`Queue`], [`Lock`], [`Mutex`], [`Event`], [`Semaphore`],
//! [`BoundedSemaphore`], [`Condition`], [`Barrier`] and the [`mpsc`] channel) are built for
//! one thread: no atomics, an `Rc` and `RefCell`s inside. They are neither `Send` nor
//! `Sync`, so the compiler refuses to share them between threads:
//!
//! ```compile_fail,E0277
//! let queue = resumable::sync::Queue::<u32>::new();
//! std::thread::spawn(move || queue.put_nowait(1)); // error: `Rc<..>` cannot be sent
//! ```
//!
//! [`oneshot`] is the exception: its `Sender` and `Receiver` are `Send` (and `Sync`) when
//! the value is `Send`, to hand a result from another thread (`spawn_blocking`) back to
//! the loop. It pays for a `std::sync::Mutex` on each use, off the hot path.
//!
//! ```
//! use resumable::sync::Queue;
//! use futures::executor::block_on;
//!
//! let queue = Queue::new();
//! let producer = {
//!     let queue = queue.clone();
//!     async move {
//!         for i in 0..3 {
//!             queue.put(i).await.unwrap();
//!         }
//!     }
//! };
//! let consumer = async {
//!     let mut got = Vec::new();
//!     for _ in 0..3 {
//!         got.push(queue.get().await.unwrap());
//!     }
//!     got
//! };
//! let ((), got) = block_on(futures::future::join(producer, consumer));
//! assert_eq!(got, [0, 1, 2]);
//! ```

mod barrier;
mod condition;
mod event;
mod lock;
pub mod mpsc;
mod mutex;
pub mod oneshot;
mod queue;
mod semaphore;
mod waiters;

pub use barrier::{Barrier, BarrierWait, BrokenBarrier};
pub use condition::{Condition, ConditionWait, ConditionWaitFor};
pub use event::{Event, EventWait};
pub use lock::{Lock, LockAcquire, LockGuard};
pub use mutex::{Mutex, MutexGuard, MutexLock};
pub use queue::{
    Buffer, Fifo, Get, GetError, Join, Lifo, LifoQueue, Priority, PriorityQueue, Put, PutError,
    Queue, QueueStream, TaskDoneError, TryGetError, TryPutError,
};
pub use semaphore::{
    BoundedSemaphore, Semaphore, SemaphoreAcquire, SemaphorePermit, TooManyReleases,
};
