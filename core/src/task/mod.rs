//! Tasks: [`spawn`] wraps a future in a [`Task`] the loop drives on its own, like
//! asyncio's `create_task`.
//!
//! A [`Task<T>`] is itself a future of `Result<T, JoinError>`: awaiting it gives the
//! value, or tells that the task was cancelled or panicked. Dropping the handle detaches
//! the task (it keeps running); [`Task::cancel`] drops the task's future at the point
//! where it is suspended, so its locals are dropped there, as `CancelledError` unwinds an
//! asyncio coroutine.

pub(crate) mod raw;

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use crate::runtime::context;
use raw::{Header, TaskRef};

/// Why a [`Task`] has no value to give.
///
/// ```
/// use resumable::{spawn, JoinError};
///
/// resumable::run(async {
///     let task = spawn(async { panic!("boom") });
///     match task.await {
///         Err(JoinError::Panicked(payload)) => {
///             assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
///         }
///         other => unreachable!("{other:?}"),
///     }
/// });
/// ```
pub enum JoinError {
    /// The task was cancelled ([`Task::cancel`], a failing [`TaskGroup`](crate::TaskGroup)
    /// sibling, or the runtime shutting down) before it finished.
    Cancelled,
    /// The task panicked; the payload is what `panic!` was given.
    Panicked(Box<dyn Any + Send + 'static>),
    /// The task returned `Err` inside a [`TaskGroup`](crate::TaskGroup): the error itself
    /// went to the group.
    Failed,
}

impl JoinError {
    /// True for [`JoinError::Cancelled`].
    ///
    /// ```
    /// assert!(resumable::JoinError::Cancelled.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JoinError::Cancelled)
    }

    /// True for [`JoinError::Panicked`].
    ///
    /// ```
    /// assert!(!resumable::JoinError::Cancelled.is_panic());
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self, JoinError::Panicked(_))
    }

    /// The panic message, when the payload is a string (as `panic!("..")` makes it).
    ///
    /// ```
    /// let err = resumable::JoinError::Panicked(Box::new("boom"));
    /// assert_eq!(err.panic_message(), Some("boom"));
    /// ```
    pub fn panic_message(&self) -> Option<&str> {
        match self {
            JoinError::Panicked(p) => panic_message(p.as_ref()),
            _ => None,
        }
    }
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Cancelled => f.write_str("Cancelled"),
            JoinError::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "Panicked({msg:?})"),
                None => f.write_str("Panicked(..)"),
            },
            JoinError::Failed => f.write_str("Failed"),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Cancelled => f.write_str(
                "task was cancelled before it finished (by Task::cancel, a failing TaskGroup \
                 sibling, or the runtime shutting down)",
            ),
            JoinError::Panicked(_) => match self.panic_message() {
                Some(msg) => write!(f, "task panicked: {msg}"),
                None => f.write_str("task panicked"),
            },
            JoinError::Failed => f.write_str("task failed; its error went to its TaskGroup"),
        }
    }
}

impl std::error::Error for JoinError {}

/// A spawned task: a future of `Result<T, JoinError>`.
///
/// Awaiting consumes the handle, so a task cannot be awaited twice. Dropping the handle
/// detaches the task: it keeps running and its result is dropped.
///
/// ```
/// use resumable::spawn;
///
/// resumable::run(async {
///     let task = spawn(async { 6 * 7 });
///     assert_eq!(task.await.unwrap(), 42);
/// });
/// ```
pub struct Task<T> {
    ptr: NonNull<Header>,
    _output: PhantomData<T>,
}

impl<T> Task<T> {
    /// Requests cancellation. The task's future is dropped at its current yield point the
    /// next time the loop gets to it (in the next iteration, as asyncio's `cancel()`
    /// takes effect at the task's next step); awaiting the task then gives
    /// [`JoinError::Cancelled`]. No effect on a finished task.
    ///
    /// ```
    /// use resumable::{spawn, time::sleep};
    /// use std::time::Duration;
    ///
    /// resumable::run(async {
    ///     let task = spawn(sleep(Duration::from_secs(3600)));
    ///     task.cancel();
    ///     assert!(task.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) {
        self.task_ref().cancel();
    }

    /// True once the task's future is gone (returned, panicked or was cancelled).
    ///
    /// ```
    /// use resumable::{spawn, yield_now};
    ///
    /// resumable::run(async {
    ///     let task = spawn(async {});
    ///     assert!(!task.is_finished());
    ///     yield_now().await; // the task runs in this iteration
    ///     assert!(task.is_finished());
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        self.header().is_completed()
    }

    /// The task's id, unique within its runtime, in spawn order.
    ///
    /// ```
    /// resumable::run(async {
    ///     let a = resumable::spawn(async {});
    ///     let b = resumable::spawn(async {});
    ///     assert!(a.id() < b.id());
    /// });
    /// ```
    pub fn id(&self) -> u64 {
        self.header().id
    }

    /// The name given with [`spawn_named`], if any.
    ///
    /// ```
    /// resumable::run(async {
    ///     let task = resumable::spawn_named("worker", async {});
    ///     assert_eq!(task.name(), Some("worker"));
    /// });
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.header().name()
    }

    /// True if the task finished with a [`JoinError`] (without taking the outcome).
    pub(crate) fn is_failed(&self) -> bool {
        raw::is_failed(self.ptr)
    }

    /// A counted reference that can cancel the task without owning its outcome.
    pub(crate) fn task_ref(&self) -> TaskRef {
        TaskRef::from_header(self.ptr)
    }

    fn header(&self) -> &Header {
        // SAFETY: the handle holds a reference.
        unsafe { self.ptr.as_ref() }
    }
}

// The handle holds no `T` (the outcome lives in the task's allocation).
impl<T> Unpin for Task<T> {}

impl<T> Future for Task<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: the handle holds a reference; `T` is the value type of the task's
        // adapter (by construction in `spawn_adapted`); `Task` is not
        // `Send`, so this is the home thread.
        unsafe { raw::poll_join(self.ptr, cx) }
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        // SAFETY: the handle's reference, on the home thread (`Task` is not `Send`).
        unsafe { raw::drop_handle(self.ptr) }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Starts running `future` as a task on the current runtime, like asyncio's
/// `create_task`. The task's first step runs in the next loop iteration, after
/// everything already in the ready queue.
///
/// # Panics
/// Outside a running runtime (use [`run`](crate::run) or
/// [`Runtime::block_on`](crate::Runtime::block_on)).
///
/// ```
/// resumable::run(async {
///     let task = resumable::spawn(async { "done" });
///     assert_eq!(task.await.unwrap(), "done");
/// });
/// ```
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
{
    spawn_inner(future, None)
}

/// Like [`spawn`], with a name shown in debug warnings and [`dump`](crate::runtime::dump)s.
///
/// ```
/// resumable::run(async {
///     let task = resumable::spawn_named("fetch", async { 1 });
///     assert_eq!(task.name(), Some("fetch"));
///     assert_eq!(task.await.unwrap(), 1);
/// });
/// ```
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> Task<F::Output>
where
    F: Future + 'static,
{
    spawn_inner(future, Some(name.into().into_boxed_str()))
}

fn spawn_inner<F>(future: F, name: Option<Box<str>>) -> Task<F::Output>
where
    F: Future + 'static,
{
    spawn_adapted::<F, raw::Plain>(future, name)
}

/// Spawns a future whose output is already a `Result<T, JoinError>` (flattened).
pub(crate) fn spawn_flat<F, T>(future: F) -> Task<T>
where
    F: Future<Output = Result<T, JoinError>> + 'static,
    T: 'static,
{
    spawn_adapted::<F, raw::Flat>(future, None)
}

fn spawn_adapted<F, A>(future: F, name: Option<Box<str>>) -> Task<A::Value>
where
    F: Future + 'static,
    A: raw::Adapter<F::Output>,
{
    let sched = context::scheduler("spawn");
    let ptr = raw::allocate::<F, A>(&sched, future, name);
    let task = Task {
        ptr,
        _output: PhantomData,
    };
    #[cfg(feature = "tracing")]
    match task.name() {
        Some(name) => {
            crate::runtime::trace::event!(DEBUG, task.id = task.id(), task.name = name, "spawn")
        }
        None => crate::runtime::trace::event!(DEBUG, task.id = task.id(), "spawn"),
    }
    task.task_ref().schedule();
    task
}

/// Yields to the loop once: the rest of the current task runs in the next iteration,
/// after every task that was ready. asyncio's `await asyncio.sleep(0)`.
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
///
/// resumable::run(async {
///     let log = Rc::new(RefCell::new(Vec::new()));
///     let l = log.clone();
///     let other = resumable::spawn(async move { l.borrow_mut().push("other") });
///     log.borrow_mut().push("main before");
///     resumable::yield_now().await;
///     log.borrow_mut().push("main after");
///     other.await.unwrap();
///     assert_eq!(*log.borrow(), ["main before", "other", "main after"]);
/// });
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
///
/// ```
/// let _: resumable::task::YieldNow = resumable::yield_now();
/// ```
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Tells the runtime where the current task is suspended, for [`dump`](crate::runtime::dump).
///
/// The hook for `#[resumable::coroutine]` machines (which know their yield points
/// statically): a future calls it just before returning `Poll::Pending`. The runtime
/// clears the location before each step, and the first report of a step wins, so the
/// innermost suspended future names the location. Outside a task it does nothing.
///
/// ```
/// use std::future::Future;
/// use std::pin::Pin;
/// use std::task::{Context, Poll};
///
/// struct Waiting(bool);
/// impl Future for Waiting {
///     type Output = ();
///     fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
///         if self.0 { return Poll::Ready(()); }
///         self.0 = true;
///         resumable::task::report_location("Waiting (my_crate/src/lib.rs:3)");
///         cx.waker().wake_by_ref();
///         Poll::Pending
///     }
/// }
/// resumable::run(Waiting(false));
/// ```
pub fn report_location(location: &'static str) {
    report_location_now(location);
}

/// Whether coroutines record where they suspend: set for good once any runtime runs in
/// debug mode. A relaxed load on the pending path costs a couple of instructions; the
/// thread-local lookup of `report_location` is paid only in debug mode.
static RECORD_LOCATIONS: AtomicBool = AtomicBool::new(false);

/// Turns the recording of coroutine suspension points on, for every runtime.
pub(crate) fn record_locations() {
    RECORD_LOCATIONS.store(true, Ordering::Relaxed);
}

/// Reports `location` if a runtime in debug mode asked coroutines to record it.
#[inline]
#[cfg(feature = "locations")]
pub(crate) fn report_location_if_recording(location: &'static str) {
    if RECORD_LOCATIONS.load(Ordering::Relaxed) {
        report_location_now(location);
    }
}

fn report_location_now(location: &'static str) {
    context::with_scheduler(|sched| {
        if let Some(task) = sched.current.get() {
            // SAFETY: `current` is the task being polled right now, alive.
            let header = unsafe { task.as_ref() };
            if header.location.get().is_none() {
                header.location.set(Some(location));
            }
        }
    });
}
