//! The event loop: one thread, one `mio::Poll`, a FIFO ready queue, asyncio's order.
//!
//! Each iteration is asyncio's `BaseEventLoop._run_once`:
//!
//! 1. wait for I/O with one `epoll_wait`, whose timeout is 0 if something is ready, else
//!    the time to the next timer (forever if there is none); a non-blocking wait is
//!    skipped while no I/O source is registered (it could report nothing), and right
//!    after an iteration that ran wakers but no task (see `block_on`: nothing the loop
//!    did can have made a source ready, so it would only see a moment sooner what the
//!    next wait sees);
//! 2. queue what other threads sent (wakes, [`Handle`] calls), then the
//!    wakers of the I/O sources that became ready, then those of the expired timers, in
//!    deadline order;
//! 3. run exactly the entries that are in the ready queue at that point, in order.
//!    Whatever they spawn or wake runs in the *next* iteration.
//!
//! With virtual time ([`Builder::virtual_time`]) the clock does not move on its own:
//! when nothing is ready it jumps to the next timer, so a test that sleeps for hours
//! finishes at once, deterministically.

pub(crate) mod context;
mod dump;
pub(crate) mod trace;

use std::future::Future;
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::blocking::BlockingPool;
use crate::handle::Handle;
use crate::reactor::Reactor;
use crate::scheduler::{Remote, Runnable, Scheduler};
use crate::task::raw::{self, TaskRef};
use crate::time::Timers;

pub use dump::{Dump, TaskInfo, TaskState};

/// The environment variable that turns debug mode on (any value but `0` or empty), read
/// by [`Builder::new`]: `RESUMABLE_DEBUG=1 cargo run`.
///
/// ```
/// assert_eq!(resumable::runtime::DEBUG_ENV, "RESUMABLE_DEBUG");
/// ```
pub const DEBUG_ENV: &str = "RESUMABLE_DEBUG";

/// The environment variable that puts runtimes on virtual time (any value but `0` or
/// empty), read by [`Builder::new`], so a whole program (`resumable::run(..)` included)
/// runs its timers at once: `RESUMABLE_VIRTUAL_TIME=1 cargo run --example gather`.
///
/// ```
/// assert_eq!(resumable::runtime::VIRTUAL_TIME_ENV, "RESUMABLE_VIRTUAL_TIME");
/// ```
pub const VIRTUAL_TIME_ENV: &str = "RESUMABLE_VIRTUAL_TIME";

/// Whether the environment variable `name` is set to something other than `0` or empty.
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Runs `future` to completion on a new runtime, then cancels the tasks still pending and
/// lets them finish, like `asyncio.run(main())`.
///
/// # Panics
/// When called from inside a running loop (spawn or await the future instead), or if the
/// OS refuses to create the poller ([`Runtime::new`] returns that error instead).
///
/// ```
/// let answer = resumable::run(async {
///     let task = resumable::spawn(async { 40 });
///     task.await.unwrap() + 2
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    if context::is_entered() {
        panic!("{}", context::NESTED);
    }
    let runtime = Runtime::new().unwrap_or_else(|e| {
        panic!(
            "resumable::run: cannot create the event loop's poller ({e}); the process is \
             probably out of file descriptors (raise `ulimit -n`). To handle this error \
             instead, build the loop with Runtime::new()?.run(..)"
        )
    });
    runtime.run(future)
}

/// The live tasks of the current runtime (see [`Runtime::dump`]).
///
/// # Panics
/// Outside a running runtime.
///
/// ```
/// resumable::run(async {
///     let _idle = resumable::spawn_named("idle", std::future::pending::<()>());
///     println!("{}", resumable::runtime::dump());
/// });
/// ```
pub fn dump() -> Dump {
    context::core_or_panic("dump", |core| dump::dump(&core.sched))
}

/// Configures a [`Runtime`]: virtual time, debug mode, the blocking pool.
///
/// ```
/// use resumable::runtime::Builder;
/// use std::time::Duration;
///
/// let rt = Builder::new().virtual_time(true).build().unwrap();
/// rt.block_on(resumable::time::sleep(Duration::from_secs(3600))); // returns at once
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    virtual_time: bool,
    debug: bool,
    slow_step: Duration,
    blocking_threads: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// Real time (virtual if [`VIRTUAL_TIME_ENV`] is set), debug mode from [`DEBUG_ENV`],
    /// a 100 ms slow-step threshold (asyncio's `slow_callback_duration`), up to 8
    /// blocking threads.
    ///
    /// ```
    /// let rt = resumable::runtime::Builder::new().build().unwrap();
    /// assert_eq!(rt.block_on(async { 1 }), 1);
    /// ```
    pub fn new() -> Builder {
        Builder {
            virtual_time: env_flag(VIRTUAL_TIME_ENV),
            debug: env_flag(DEBUG_ENV),
            slow_step: Duration::from_millis(100),
            blocking_threads: 8,
        }
    }

    /// A clock that only moves when every task is idle, jumping to the next timer.
    ///
    /// ```
    /// use resumable::{runtime::Builder, time::{sleep, Instant}};
    /// use std::time::Duration;
    ///
    /// let rt = Builder::new().virtual_time(true).build().unwrap();
    /// rt.block_on(async {
    ///     let start = Instant::now();
    ///     sleep(Duration::from_secs(5)).await;
    ///     assert_eq!(start.elapsed(), Duration::from_secs(5));
    /// });
    /// ```
    pub fn virtual_time(mut self, on: bool) -> Builder {
        self.virtual_time = on;
        self
    }

    /// Debug mode: warns (on stderr) about steps slower than the threshold, about a
    /// runtime dropped while tasks are pending, and about tasks that never ran before the
    /// runtime ended. Each warning names the task and says what to do instead.
    ///
    /// ```
    /// let rt = resumable::runtime::Builder::new().debug(true).build().unwrap();
    /// rt.block_on(async {});
    /// ```
    pub fn debug(mut self, on: bool) -> Builder {
        self.debug = on;
        self
    }

    /// The step duration above which debug mode warns.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = resumable::runtime::Builder::new().slow_step_threshold(Duration::from_millis(10));
    /// # drop(b);
    /// ```
    pub fn slow_step_threshold(mut self, threshold: Duration) -> Builder {
        self.slow_step = threshold;
        self
    }

    /// The most threads [`spawn_blocking`](crate::spawn_blocking) uses at once (at least 1).
    ///
    /// ```
    /// let rt = resumable::runtime::Builder::new().blocking_threads(2).build().unwrap();
    /// # drop(rt);
    /// ```
    pub fn blocking_threads(mut self, n: usize) -> Builder {
        self.blocking_threads = n.max(1);
        self
    }

    /// Creates the runtime (its `mio::Poll` and waker).
    ///
    /// ```
    /// let rt = resumable::runtime::Builder::new().build()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn build(&self) -> io::Result<Runtime> {
        let reactor = Reactor::new()?;
        let remote = Arc::new(Remote::new(reactor.waker()?));
        if self.debug {
            crate::task::record_locations();
        }
        let sched = Rc::new(Scheduler::new(remote.clone()));
        let core = Core {
            sched,
            timers: Rc::new(Timers::new(self.virtual_time)),
            reactor: Rc::new(reactor),
            blocking: Arc::new(BlockingPool::new(self.blocking_threads, remote.clone())),
            remote,
            debug: self.debug,
            slow_step: self.slow_step,
        };
        Ok(Runtime {
            core: Box::new(core),
        })
    }
}

/// Everything one runtime owns; reachable from tasks through the thread-local context.
pub(crate) struct Core {
    pub(crate) sched: Rc<Scheduler>,
    pub(crate) timers: Rc<Timers>,
    pub(crate) reactor: Rc<Reactor>,
    pub(crate) blocking: Arc<BlockingPool>,
    pub(crate) remote: Arc<Remote>,
    debug: bool,
    slow_step: Duration,
}

/// A single-threaded asyncio-style event loop.
///
/// Not `Send`: it runs its tasks on the thread that created it. Use a
/// [`Handle`] to reach it from other threads.
///
/// ```
/// use resumable::Runtime;
///
/// let rt = Runtime::new().unwrap();
/// let task = rt.block_on(async { resumable::spawn(async { 1 }) });
/// assert_eq!(rt.block_on(task).unwrap(), 1); // tasks survive between block_on calls
/// ```
pub struct Runtime {
    core: Box<Core>,
}

impl Runtime {
    /// A runtime with the default [`Builder`] settings.
    ///
    /// ```
    /// let rt = resumable::Runtime::new()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> io::Result<Runtime> {
        Builder::new().build()
    }

    /// A [`Builder`].
    ///
    /// ```
    /// let rt = resumable::Runtime::builder().virtual_time(true).build()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// A `Send + Sync` handle for other threads.
    ///
    /// ```
    /// let rt = resumable::Runtime::new().unwrap();
    /// let handle = rt.handle();
    /// let task = std::thread::spawn(move || handle.spawn(async { 2 }).unwrap()).join().unwrap();
    /// assert_eq!(rt.block_on(task).unwrap(), 2);
    /// ```
    pub fn handle(&self) -> Handle {
        Handle::new(self.core.remote.clone())
    }

    /// Every live task with its state and location.
    ///
    /// ```
    /// let rt = resumable::Runtime::new().unwrap();
    /// rt.block_on(async { drop(resumable::spawn_named("w", std::future::pending::<()>())) });
    /// assert_eq!(rt.dump().tasks.len(), 1);
    /// ```
    pub fn dump(&self) -> Dump {
        dump::dump(&self.core.sched)
    }

    /// Runs the loop until `future` completes and returns its output. Tasks spawned
    /// meanwhile keep running as long as the loop does; those still pending afterwards
    /// resume at the next `block_on` (or are dropped with the runtime).
    ///
    /// As in asyncio's `run_until_complete`, the loop finishes the iteration in which
    /// `future` completed and runs one more before returning.
    ///
    /// # Panics
    /// When called from inside a running loop, or if `future` panics.
    ///
    /// ```
    /// let rt = resumable::Runtime::new().unwrap();
    /// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
    /// ```
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        if context::is_entered() {
            panic!("{}", context::NESTED);
        }
        let _enter = context::enter(&self.core);
        let mut future = pin!(future);
        let core = &*self.core;
        let main = raw::allocate_main(&core.sched);
        main.schedule();
        let mut output = None;
        let mut turns_left: Option<u32> = None;
        let mut poll_io = true;
        loop {
            core.park(turns_left.is_some(), poll_io);
            let n = core.sched.ready_len();
            let mut ran_code = false;
            for _ in 0..n {
                let Some(runnable) = core.sched.pop() else {
                    break;
                };
                match runnable {
                    Runnable::Wake(waker) => waker.wake(),
                    Runnable::Task(task) if task.ptr() == main.ptr() => {
                        ran_code = true;
                        raw::unschedule(&task);
                        if output.is_some() {
                            continue;
                        }
                        let waker = task.waker_ref();
                        let mut cx = Context::from_waker(&waker);
                        let started = core.debug.then(std::time::Instant::now);
                        task.header().location.set(None);
                        let polled = {
                            let _span = trace::poll_span(0, Some("main"));
                            let _current = CurrentTask::set(&core.sched, &task);
                            future.as_mut().poll(&mut cx)
                        };
                        core.check_slow(started, &task);
                        if let Poll::Ready(v) = polled {
                            output = Some(v);
                            turns_left = Some(1);
                        }
                    }
                    Runnable::Task(task) => {
                        ran_code = true;
                        let started = core.debug.then(std::time::Instant::now);
                        task.run();
                        core.check_slow(started, &task);
                    }
                }
            }
            // If only wakers ran since the poller was last asked (I/O and timer events
            // moving their tasks to the ready queue), no task ran that could have made
            // anything ready, so the next iteration's non-blocking poll could only see
            // what a poll a moment later sees: it is skipped. A task woken by I/O then
            // costs one `epoll_wait`, not two, and the ready queue's order is asyncio's
            // all the same. (Wakers only schedule; one that did I/O itself would have its
            // readiness seen one iteration later.) Never twice in a row.
            poll_io = ran_code || !poll_io;
            match &mut turns_left {
                Some(0) => break,
                Some(k) => *k -= 1,
                None => {}
            }
        }
        output.expect("the loop stops only once the future is done")
    }

    /// [`block_on`](Self::block_on), then cancels the tasks still pending, lets them
    /// finish and drops the runtime: what [`run`] does, on a runtime you configured.
    ///
    /// ```
    /// use resumable::{Runtime, time::sleep};
    /// use std::time::Duration;
    ///
    /// let rt = Runtime::builder().virtual_time(true).build().unwrap();
    /// rt.run(async {
    ///     drop(resumable::spawn(sleep(Duration::from_secs(3600)))); // cancelled at the end
    ///     sleep(Duration::from_secs(60)).await;
    /// });
    /// ```
    pub fn run<F: Future>(self, future: F) -> F::Output {
        if context::is_entered() {
            panic!("{}", context::NESTED);
        }
        let out = self.block_on(future);
        self.cancel_pending();
        out
    }

    /// Cancels every pending task and runs the loop until they are gone (asyncio.run's
    /// `_cancel_all_tasks`).
    fn cancel_pending(&self) {
        let sched = self.core.sched.clone();
        let live = sched.tasks.borrow().in_spawn_order();
        if self.core.debug {
            for &ptr in &live {
                // SAFETY: registered tasks are alive (the registry holds a reference).
                let h = unsafe { ptr.as_ref() };
                if !h.was_polled() {
                    warn(format!(
                        "task {} never ran: it was spawned as the main future finished, and \
                         the runtime's shutdown cancels it before its first step, so none of \
                         its code runs. Await it (or the task that spawned it) before the main future \
                         returns",
                        h.describe()
                    ));
                }
            }
        }
        for ptr in live {
            TaskRef::from_header(ptr).cancel();
        }
        self.block_on(std::future::poll_fn(move |cx| {
            let live = sched.tasks.borrow().in_spawn_order();
            if live.is_empty() {
                return Poll::Ready(());
            }
            for ptr in live {
                TaskRef::from_header(ptr).cancel();
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }));
    }
}

impl Core {
    /// Steps 1 and 2 of an iteration: wait for I/O, then queue remote messages, ready I/O
    /// and expired timers. With `poll_io` false a non-blocking wait is skipped (see
    /// `block_on`); a blocking one never is.
    fn park(&self, stopping: bool, poll_io: bool) {
        if self.sched.ready_len() > 0 {
            // Something is ready: the wait is non-blocking and the virtual clock stays.
            let events = poll_io && self.reactor.poll(Some(Duration::ZERO));
            self.drain_remote();
            if events {
                self.reactor.dispatch(&self.sched);
            }
            self.timers.fire_expired(&self.sched);
            return;
        }
        let blocking = self.blocking.in_flight() > 0;
        let next_timer = self.timers.next_deadline();
        let timeout = if stopping {
            Some(Duration::ZERO)
        } else if self.timers.is_virtual() {
            match next_timer {
                Some(_) if !blocking => Some(Duration::ZERO),
                _ => None,
            }
        } else {
            next_timer.map(|d| d.saturating_duration_since(self.timers.now()))
        };
        let events = self.reactor.poll(timeout);
        self.drain_remote();
        if events {
            self.reactor.dispatch(&self.sched);
        }
        self.timers.fire_expired(&self.sched);
        if self.timers.is_virtual() && self.sched.ready_len() == 0 && !blocking {
            if let Some(deadline) = next_timer.or_else(|| self.timers.next_deadline()) {
                self.timers.advance_to(deadline);
                self.timers.fire_expired(&self.sched);
            }
        }
    }

    #[inline]
    fn drain_remote(&self) {
        if self.remote.pending.load(Ordering::Relaxed) {
            self.drain_remote_now();
        }
    }

    #[cold]
    fn drain_remote_now(&self) {
        if !self.remote.pending.swap(false, Ordering::AcqRel) {
            return;
        }
        self.sched.drain_remote_refs();
        for call in self.remote.take_calls() {
            call();
        }
    }

    #[inline]
    fn check_slow(&self, started: Option<std::time::Instant>, task: &TaskRef) {
        if let Some(started) = started {
            self.warn_if_slow(started, task);
        }
    }

    #[cold]
    fn warn_if_slow(&self, started: std::time::Instant, task: &TaskRef) {
        let took = started.elapsed();
        if took <= self.slow_step {
            return;
        }
        let h = task.header();
        warn(format!(
            "slow step: task {} ran {:?} without yielding (threshold {:?}){}; \
             no other task ran meanwhile. Move blocking or CPU-heavy work to \
             resumable::spawn_blocking, or await resumable::yield_now() inside long loops",
            h.describe(),
            took,
            self.slow_step,
            h.location
                .get()
                .map(|l| format!(", then suspended at {l}"))
                .unwrap_or_default(),
        ));
    }
}

/// Makes the main future the "current task" while it is polled (for
/// `report_location`), restoring the previous one even if the poll panics.
struct CurrentTask<'a> {
    sched: &'a Scheduler,
    prev: Option<std::ptr::NonNull<raw::Header>>,
}

impl<'a> CurrentTask<'a> {
    fn set(sched: &'a Scheduler, task: &TaskRef) -> CurrentTask<'a> {
        let prev = sched.current.replace(Some(task.ptr()));
        CurrentTask { sched, prev }
    }
}

impl Drop for CurrentTask<'_> {
    fn drop(&mut self) {
        self.sched.current.set(self.prev);
    }
}

/// Debug-mode output: stderr (and, in unit tests, a log the tests read).
fn warn(message: String) {
    #[cfg(test)]
    tests::WARNINGS.with(|w| w.borrow_mut().push(message.clone()));
    eprintln!("resumable: {message}");
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let core = &*self.core;
        let _enter = context::enter(core);
        self.core.remote.alive.store(false, Ordering::Release);
        let pending = core.sched.tasks.borrow().len();
        if core.debug && pending > 0 {
            warn(format!(
                "runtime dropped with {pending} task(s) still pending: their futures are \
                 dropped now, wherever they are suspended:\n{}\
                 Await their Tasks (or cancel them) before dropping the runtime, or end with \
                 Runtime::run / resumable::run, which cancel what is left and let it finish",
                self.dump()
            ));
            for ptr in core.sched.tasks.borrow().in_spawn_order() {
                // SAFETY: registered tasks are alive (the registry holds a reference).
                let h = unsafe { ptr.as_ref() };
                if !h.was_polled() {
                    warn(format!(
                        "task {} was spawned but never ran: the runtime was dropped before \
                         its first step, so none of its code executed. Give the loop a turn \
                         (await the Task, or resumable::yield_now()) before dropping the runtime",
                        h.describe()
                    ));
                }
            }
        }
        core.sched.closed.set(true);
        while let Some(r) = core.sched.pop() {
            drop(r);
        }
        loop {
            let live = core.sched.tasks.borrow().in_spawn_order();
            if live.is_empty() {
                break;
            }
            let before = live.len();
            for ptr in live {
                TaskRef::from_header(ptr).cancel_now();
            }
            if core.sched.tasks.borrow().len() >= before {
                break; // cannot happen: no task is running during teardown
            }
        }
        drop(core.remote.take_calls());
        core.timers.clear();
        core.reactor.clear();
        core.sched.drain_remote_refs();
        core.blocking.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    thread_local! {
        pub(super) static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn warnings() -> Vec<String> {
        WARNINGS.with(|w| w.take())
    }

    #[test]
    fn debug_mode_warns_about_a_slow_step_and_names_the_task() {
        let rt = Builder::new()
            .debug(true)
            .slow_step_threshold(Duration::from_millis(1))
            .build()
            .unwrap();
        warnings();
        rt.block_on(async {
            crate::spawn_named("sluggish", async {
                std::thread::sleep(Duration::from_millis(5)); // blocks the loop on purpose
            })
            .await
            .unwrap();
        });
        let w = warnings();
        assert!(
            w.iter().any(|m| m.contains("slow step")
                && m.contains("#1 (sluggish)")
                && m.contains("resumable::spawn_blocking")),
            "{w:?}"
        );
    }

    #[test]
    fn a_slow_step_warning_names_the_location_the_future_reported() {
        let rt = Builder::new()
            .debug(true)
            .slow_step_threshold(Duration::from_millis(1))
            .build()
            .unwrap();
        warnings();
        rt.block_on(async {
            std::thread::sleep(Duration::from_millis(5));
            crate::task::report_location("main_task: yield 0 (src/main.rs:7)");
            crate::yield_now().await;
        });
        let w = warnings();
        assert!(
            w.iter()
                .any(|m| m.contains("(main)") && m.contains("src/main.rs:7")),
            "{w:?}"
        );
    }

    #[test]
    fn without_debug_mode_nothing_is_reported() {
        let rt = Builder::new()
            .debug(false)
            .slow_step_threshold(Duration::from_millis(1))
            .build()
            .unwrap();
        warnings();
        rt.block_on(async {
            crate::spawn(async { std::thread::sleep(Duration::from_millis(5)) })
                .await
                .unwrap();
        });
        drop(rt);
        assert!(warnings().is_empty());
    }

    #[test]
    fn debug_mode_warns_when_a_runtime_is_dropped_with_pending_tasks() {
        let rt = Builder::new().debug(true).build().unwrap();
        warnings();
        rt.block_on(async {
            drop(crate::spawn_named(
                "forgotten",
                std::future::pending::<()>(),
            ));
        });
        drop(rt);
        let w = warnings();
        assert!(
            w.iter().any(|m| m.contains("1 task(s) still pending")
                && m.contains("forgotten")
                && m.contains("Await their Tasks")),
            "{w:?}"
        );
        assert!(
            !w.iter().any(|m| m.contains("never ran")),
            "the task ran once: {w:?}"
        );
    }

    /// Spawns `a`, which spawns `b` in the iteration `block_on` runs after the main future
    /// completed, so `b` is still waiting for its first step when `block_on` returns.
    async fn spawn_in_the_last_iteration() {
        drop(crate::spawn_named("a", async {
            drop(crate::spawn_named("b", std::future::pending::<()>()));
        }));
    }

    #[test]
    fn debug_mode_names_a_task_whose_runtime_was_dropped_before_it_ever_ran() {
        let rt = Builder::new().debug(true).build().unwrap();
        warnings();
        rt.block_on(spawn_in_the_last_iteration());
        drop(rt);
        let w = warnings();
        let never: Vec<_> = w.iter().filter(|m| m.contains("never ran")).collect();
        assert_eq!(never.len(), 1, "{w:?}");
        assert!(
            never[0].starts_with("task #2 (b) was spawned but never ran"),
            "{w:?}"
        );
        assert!(never[0].contains("before dropping the runtime"), "{w:?}");
    }

    #[test]
    fn debug_mode_names_a_task_that_run_cancels_before_its_first_step() {
        warnings();
        let rt = Builder::new().debug(true).build().unwrap();
        rt.run(spawn_in_the_last_iteration());
        let w = warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("task #2 (b) never ran"), "{w:?}");
        assert!(
            w[0].contains("Await it (or the task that spawned it) before the main future returns"),
            "{w:?}"
        );
    }

    #[test]
    fn a_task_that_never_ran_is_not_reported_without_debug_mode() {
        let rt = Builder::new().debug(false).build().unwrap();
        warnings();
        rt.block_on(spawn_in_the_last_iteration());
        drop(rt);
        assert!(warnings().is_empty());
    }

    #[test]
    fn run_leaves_nothing_pending_so_it_does_not_warn() {
        warnings();
        Builder::new().debug(true).build().unwrap().run(async {
            drop(crate::spawn(std::future::pending::<()>()));
        });
        assert!(warnings().is_empty());
    }
}
