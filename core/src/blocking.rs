//! [`spawn_blocking`]: run a blocking function on a small thread pool and get its result
//! back on the loop (asyncio's `to_thread` / `run_in_executor`).
//!
//! Threads are started on demand up to the runtime's limit and exit after 10 s idle.
//! The result travels back through a [`JoinHandle`], whose waker wakes the loop from the
//! pool thread (the cross-thread path of the task waker).

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::join_handle::{self, JoinHandle};
use crate::runtime::context;
use crate::scheduler::Remote;
use crate::task::JoinError;

type Job = Box<dyn FnOnce() + Send>;

const IDLE_EXIT: Duration = Duration::from_secs(10);

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    threads: usize,
    idle: usize,
    shutdown: bool,
}

pub(crate) struct BlockingPool {
    state: Mutex<State>,
    work: Condvar,
    max_threads: usize,
    in_flight: AtomicUsize,
    remote: Arc<Remote>,
}

impl BlockingPool {
    pub(crate) fn new(max_threads: usize, remote: Arc<Remote>) -> BlockingPool {
        BlockingPool {
            state: Mutex::new(State::default()),
            work: Condvar::new(),
            max_threads,
            in_flight: AtomicUsize::new(0),
            remote,
        }
    }

    /// Jobs submitted and not yet finished (virtual time waits for them).
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    fn submit(self: &Arc<Self>, job: Job) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.queue.push_back(job);
        if state.idle > 0 {
            self.work.notify_one();
        } else if state.threads < self.max_threads {
            state.threads += 1;
            let pool = self.clone();
            let spawned = std::thread::Builder::new()
                .name("resumable-blocking".into())
                .spawn(move || pool.worker());
            if spawned.is_err() {
                state.threads -= 1; // the queued job runs on an existing thread
            }
        }
    }

    fn worker(self: Arc<Self>) {
        loop {
            let job = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(job) = state.queue.pop_front() {
                        break Some(job);
                    }
                    if state.shutdown {
                        break None;
                    }
                    state.idle += 1;
                    let (s, timeout) = self
                        .work
                        .wait_timeout(state, IDLE_EXIT)
                        .unwrap_or_else(|e| e.into_inner());
                    state = s;
                    state.idle -= 1;
                    if timeout.timed_out() && state.queue.is_empty() {
                        break None;
                    }
                }
            };
            let Some(job) = job else {
                self.state.lock().unwrap_or_else(|e| e.into_inner()).threads -= 1;
                return;
            };
            job();
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            self.remote.wake_loop();
        }
    }

    /// Lets idle threads exit; queued jobs still run (their results are dropped).
    pub(crate) fn shutdown(&self) {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .shutdown = true;
        self.work.notify_all();
    }
}

/// Runs `f` on the runtime's blocking thread pool; the returned [`JoinHandle`] gives its
/// result (or [`JoinError::Panicked`] if it panicked) back on the loop.
///
/// # Panics
/// Outside a running runtime.
///
/// ```
/// resumable::run(async {
///     let sum = resumable::spawn_blocking(|| (1..=10u32).sum::<u32>()).await.unwrap();
///     assert_eq!(sum, 55);
/// });
/// ```
pub fn spawn_blocking<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let pool = context::core_or_panic("spawn_blocking", |c| c.blocking.clone());
    let (completer, handle) = join_handle::pair();
    pool.submit(Box::new(move || {
        let result = catch_unwind(AssertUnwindSafe(f)).map_err(JoinError::Panicked);
        completer.complete(result);
    }));
    handle
}
