//! The raw task: one allocation holding a [`Header`] and a [`Stage`] (the future, then its
//! outcome), reference-counted without atomics, with a hand-rolled waker vtable.
//!
//! The model is smol's `async-task`, shrunk to a single-threaded loop. The one idea: the
//! reference count is a plain `Cell`, touched only on the task's home thread. A `Waker`
//! is `Send`, so a waker may still be cloned, woken or dropped on another thread; it
//! then posts a [`RemoteMsg`] to the runtime's inbox and wakes the loop, which applies
//! it.
//!
//! # Why a count that lags behind is still sound
//!
//! The home thread applies a remote clone (`Inc`) or drop (`Dec`, `Wake`) when it drains
//! the inbox, later than it happened, while its own clones and drops apply at once. So
//! the count may be too high (a `Dec` not applied yet), or too low: a waker cloned on
//! another thread and then dropped on the home thread is subtracted before its `Inc` is
//! added. What holds is this: *once every message posted so far is applied, the count is
//! exactly the number of live references* (plus one per [`release`] still draining, see
//! below). So [`release`] frees a task only when the count is zero **and no message is
//! left unapplied** (`Scheduler::has_unapplied_refs`: none in the inbox, none taken from
//! it by a drain further up the stack). Then no reference exists, and none can appear: a
//! new one is only ever cloned from a live one. If messages are pending when the count
//! reaches zero, `release` holds a temporary reference (the count goes back to one),
//! drains, and drops it; a count that reaches zero again inside that drain does the same,
//! nested, and since its drain applies everything too, the temporary reference of the
//! outer `release` is still counted when it ends: only the outermost frees. A count
//! never goes below zero: it is raised before any further message can lower it.
//!
//! Every drain pops from the scheduler's one queue of taken messages (`inbox`), so a
//! nested drain continues where the interrupted one was, in posting order. (Until this
//! was so, a nested drain took a fresh batch and the messages left in the interrupted
//! batch were invisible to it: a task could be freed with an `Inc` still unapplied, and
//! that `Inc`, then the matching `Dec`, hit freed memory.)
//!
//! The price of keeping atomics off the hot path: a message posted after the runtime is
//! gone is never applied, so a waker dropped on another thread *after its runtime was
//! dropped* leaks its task's allocation (and the runtime's small shared state). Never
//! unsound; tokio would free it. Wakers dropped while the runtime lives cost nothing.

use std::cell::{Cell, UnsafeCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use crate::runtime::trace::{self, event};
use crate::scheduler::{thread_mark, RemoteMsg, Runnable, Scheduler, SendPtr};
use crate::task::JoinError;

/// The task is in the ready queue (the queue holds one reference).
pub(crate) const SCHEDULED: u8 = 1 << 0;
/// The future is being polled right now.
pub(crate) const RUNNING: u8 = 1 << 1;
/// The future is gone (returned, panicked or was cancelled); its outcome is stored or
/// was dropped.
pub(crate) const COMPLETED: u8 = 1 << 2;
/// `cancel()` was requested: the next run drops the future instead of polling it.
pub(crate) const CANCELLED: u8 = 1 << 3;
/// A `Task<T>` handle exists (otherwise the outcome is dropped at completion).
pub(crate) const HANDLE: u8 = 1 << 4;
/// The outcome was taken by the handle (or dropped): nothing is left to read.
pub(crate) const CLOSED: u8 = 1 << 5;
/// The future has been polled at least once (debug mode names tasks that never were).
pub(crate) const POLLED: u8 = 1 << 6;

/// What every task starts with, whatever its future type.
pub(crate) struct Header {
    refs: Cell<u32>,
    pub(crate) state: Cell<u8>,
    vtable: &'static TaskVTable,
    pub(crate) sched: Rc<Scheduler>,
    join_waker: Cell<Option<Waker>>,
    /// Unique per runtime, in spawn order.
    pub(crate) id: u64,
    /// The name given at spawn, for diagnostics.
    #[allow(clippy::box_collection)] // a thin pointer: most tasks have no name
    name: Option<Box<String>>,
    /// Where the future last said it is suspended (`task::report_location`).
    pub(crate) location: Cell<Option<&'static str>>,
    /// The slot in the scheduler's registry while the future is alive.
    slot: Cell<u32>,
}

struct TaskVTable {
    /// Polls the future once (or drops it if cancelled).
    run: unsafe fn(NonNull<Header>),
    /// Moves the outcome into `*mut Option<Result<T, JoinError>>`.
    take_output: unsafe fn(NonNull<Header>, *mut ()),
    /// True if the stored outcome is a failure (without taking it).
    failed: unsafe fn(NonNull<Header>) -> bool,
    /// Drops whatever the stage holds (future or outcome).
    drop_stage: unsafe fn(NonNull<Header>),
    /// Frees the allocation (the stage must be empty).
    dealloc: unsafe fn(NonNull<Header>),
}

/// How a future's output becomes the `Result<T, JoinError>` its `Task<T>` gives.
pub(crate) trait Adapter<O>: 'static {
    /// The `T` of `Task<T>`.
    type Value;
    fn adapt(outcome: Result<O, JoinError>) -> Result<Self::Value, JoinError>;
    fn failed(outcome: &Result<O, JoinError>) -> bool;
}

/// `Task<F::Output>`: the output is the value.
pub(crate) struct Plain;

impl<O> Adapter<O> for Plain {
    type Value = O;
    fn adapt(outcome: Result<O, JoinError>) -> Result<O, JoinError> {
        outcome
    }
    fn failed(outcome: &Result<O, JoinError>) -> bool {
        outcome.is_err()
    }
}

/// For futures that report their own `JoinError` (TaskGroup children): flattened.
pub(crate) struct Flat;

impl<T> Adapter<Result<T, JoinError>> for Flat {
    type Value = T;
    fn adapt(outcome: Result<Result<T, JoinError>, JoinError>) -> Result<T, JoinError> {
        outcome.and_then(|r| r)
    }
    fn failed(outcome: &Result<Result<T, JoinError>, JoinError>) -> bool {
        !matches!(outcome, Ok(Ok(_)))
    }
}

enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

#[repr(C)]
struct RawTask<F: Future> {
    header: Header,
    stage: UnsafeCell<Stage<F>>,
}

/// An owned, counted reference to a task (what the ready queue holds).
pub(crate) struct TaskRef(NonNull<Header>);

impl TaskRef {
    pub(crate) fn ptr(&self) -> NonNull<Header> {
        self.0
    }

    pub(crate) fn header(&self) -> &Header {
        // SAFETY: a `TaskRef` holds a reference, so the header is alive.
        unsafe { self.0.as_ref() }
    }

    /// Another counted reference to the same task.
    pub(crate) fn from_header(ptr: NonNull<Header>) -> TaskRef {
        // SAFETY: the caller hands in the pointer of a live task on its home thread.
        unsafe { acquire(ptr) };
        TaskRef(ptr)
    }

    /// Runs one step (poll, or drop if cancelled).
    pub(crate) fn run(&self) {
        // SAFETY: we hold a reference and are on the home thread (the queue is local).
        unsafe { (self.header().vtable.run)(self.0) }
    }

    /// Puts the task in the ready queue unless it already is there or is done.
    pub(crate) fn schedule(&self) {
        // SAFETY: we hold a reference; `TaskRef` never leaves the home thread.
        unsafe { schedule(self.0) }
    }

    /// Requests cancellation: the next step drops the future.
    pub(crate) fn cancel(&self) {
        let h = self.header();
        let s = h.state.get();
        if s & COMPLETED != 0 {
            return;
        }
        if s & CANCELLED == 0 {
            event!(DEBUG, task.id = h.id, "cancel");
        }
        h.state.set(s | CANCELLED);
        self.schedule();
    }

    /// Drops the future now (runtime teardown).
    pub(crate) fn cancel_now(&self) {
        let h = self.header();
        let s = h.state.get();
        if s & (COMPLETED | RUNNING) != 0 {
            return;
        }
        if s & CANCELLED == 0 {
            event!(DEBUG, task.id = h.id, "cancel");
        }
        h.state.set(s | CANCELLED);
        self.run();
    }

    /// A waker for this task, not counted (valid while `self` is).
    pub(crate) fn waker_ref(&self) -> ManuallyDrop<Waker> {
        // SAFETY: the vtable's contract holds for a live header; `ManuallyDrop` keeps the
        // borrowed reference from being released.
        ManuallyDrop::new(unsafe { Waker::from_raw(raw_waker(self.0)) })
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        // SAFETY: we own one reference, on the home thread.
        unsafe { release(self.0) }
    }
}

/// `Header::slot` of a task that is not in the registry.
const NO_SLOT: u32 = u32::MAX;

impl Header {
    /// The name given at spawn.
    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_deref().map(String::as_str)
    }

    pub(crate) fn is_completed(&self) -> bool {
        self.state.get() & COMPLETED != 0
    }

    /// False until the future's first poll (a task cancelled first is never polled).
    pub(crate) fn was_polled(&self) -> bool {
        self.state.get() & POLLED != 0
    }

    /// `#3 (fetch)` or `#3 (unnamed)`, how diagnostics name a task.
    pub(crate) fn describe(&self) -> String {
        format!("#{} ({})", self.id, self.name().unwrap_or("unnamed"))
    }
}

/// Allocates a task for `future` and registers it. The returned pointer owns the
/// reference of the `Task<T>` handle (released by [`drop_handle`]). Not yet scheduled.
pub(crate) fn allocate<F, A>(
    sched: &Rc<Scheduler>,
    future: F,
    name: Option<Box<str>>,
) -> NonNull<Header>
where
    F: Future + 'static,
    A: Adapter<F::Output>,
{
    let raw = Box::new(RawTask {
        header: Header {
            refs: Cell::new(2), // the returned handle + the registry
            state: Cell::new(HANDLE),
            vtable: &TaskVTable {
                run: run::<F>,
                take_output: take_output::<F, A>,
                failed: failed::<F, A>,
                drop_stage: drop_stage::<F>,
                dealloc: dealloc::<F>,
            },
            sched: sched.clone(),
            join_waker: Cell::new(None),
            id: sched.next_id(),
            name: name.map(|n| Box::new(n.into_string())),
            location: Cell::new(None),
            slot: Cell::new(NO_SLOT),
        },
        stage: UnsafeCell::new(Stage::Running(future)),
    });
    let ptr = NonNull::from(Box::leak(raw)).cast::<Header>();
    let slot = sched.tasks.borrow_mut().insert(ptr);
    let slot = u32::try_from(slot).expect("fewer than 2^32 live tasks");
    // SAFETY: just allocated, alive.
    unsafe { ptr.as_ref() }.slot.set(slot);
    ptr
}

/// A header with no future behind it, standing for `block_on`'s future in the queue.
/// It is never registered; the loop polls the real future when it pops this one.
pub(crate) fn allocate_main(sched: &Rc<Scheduler>) -> TaskRef {
    let raw = Box::new(RawTask::<std::future::Pending<()>> {
        header: Header {
            refs: Cell::new(1),
            state: Cell::new(0),
            vtable: &TaskVTable {
                run: run_nothing,
                take_output: take_output::<std::future::Pending<()>, Plain>,
                failed: failed::<std::future::Pending<()>, Plain>,
                drop_stage: drop_stage::<std::future::Pending<()>>,
                dealloc: dealloc::<std::future::Pending<()>>,
            },
            sched: sched.clone(),
            join_waker: Cell::new(None),
            id: 0,
            name: Some(Box::new("main".into())),
            location: Cell::new(None),
            slot: Cell::new(NO_SLOT),
        },
        stage: UnsafeCell::new(Stage::Consumed),
    });
    TaskRef(NonNull::from(Box::leak(raw)).cast::<Header>())
}

/// Marks the main pseudo-task as popped from the queue (so a wake re-queues it).
pub(crate) fn unschedule(task: &TaskRef) {
    let h = task.header();
    h.state.set(h.state.get() & !SCHEDULED);
}

unsafe fn run_nothing(_: NonNull<Header>) {}

/// # Safety
/// `ptr` is a live task, and this is its home thread.
unsafe fn acquire(ptr: NonNull<Header>) {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    let n = h.refs.get();
    if n == u32::MAX {
        std::process::abort(); // as `Arc` does: a count this high means leaked clones
    }
    h.refs.set(n + 1);
}

/// Drops one reference; frees the task when none are left.
///
/// # Safety
/// The caller owns one reference, and this is the task's home thread.
pub(crate) unsafe fn release(ptr: NonNull<Header>) {
    // SAFETY: per the contract the header is alive until we drop our reference.
    let h = unsafe { ptr.as_ref() };
    let n = h.refs.get() - 1;
    h.refs.set(n);
    if n != 0 {
        return;
    }
    // Another thread may have cloned a waker (posted `Inc`) that is not counted yet,
    // maybe in a batch a drain further up the stack has taken but not applied. Keep the
    // task alive across a drain of everything with a temporary reference (module docs).
    if h.sched.has_unapplied_refs() {
        h.refs.set(1);
        h.sched.drain_remote_refs();
        let n = h.refs.get() - 1;
        h.refs.set(n);
        if n != 0 {
            return;
        }
    }
    // SAFETY: the count is zero and every posted message is applied, so no reference is
    // left, and none can be cloned or posted any more: nothing can reach the task.
    unsafe {
        (h.vtable.drop_stage)(ptr);
        (h.vtable.dealloc)(ptr);
    }
}

/// # Safety
/// `ptr` is a live task, and this is its home thread.
unsafe fn schedule(ptr: NonNull<Header>) {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    let s = h.state.get();
    if s & (SCHEDULED | COMPLETED) != 0 || h.sched.closed.get() {
        return;
    }
    h.state.set(s | SCHEDULED);
    // SAFETY: per the contract.
    unsafe { acquire(ptr) };
    h.sched.push(Runnable::Task(TaskRef(ptr)));
}

/// [`schedule`] with a reference the caller gives up (a consumed waker's): it becomes
/// the ready queue's, or is released if the task is not queued.
///
/// # Safety
/// The caller owns one reference to the live task, on its home thread.
unsafe fn schedule_owned(ptr: NonNull<Header>) {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    let s = h.state.get();
    if s & (SCHEDULED | COMPLETED) != 0 || h.sched.closed.get() {
        // SAFETY: the caller's reference.
        unsafe { release(ptr) };
        return;
    }
    h.state.set(s | SCHEDULED);
    h.sched.push(Runnable::Task(TaskRef(ptr)));
}

/// Applies a message another thread posted.
///
/// # Safety
/// On the home thread, for a message whose sender held (or cloned from) a reference.
pub(crate) unsafe fn apply_remote(msg: RemoteMsg) {
    // SAFETY: (all arms) per the contract the header is alive and we are home.
    unsafe {
        match msg {
            RemoteMsg::Inc(SendPtr(p)) => acquire(p),
            RemoteMsg::Dec(SendPtr(p)) => release(p),
            RemoteMsg::Wake(SendPtr(p)) => schedule_owned(p),
            RemoteMsg::WakeByRef(SendPtr(p)) => schedule(p),
        }
    }
}

unsafe fn run<F: Future>(ptr: NonNull<Header>) {
    // SAFETY: the caller holds a reference on the home thread; the header is the first
    // field of a `#[repr(C)] RawTask<F>` allocated by `allocate::<F>`.
    let raw = unsafe { ptr.cast::<RawTask<F>>().as_ref() };
    let h = &raw.header;
    let s = h.state.get();
    if s & COMPLETED != 0 {
        h.state.set(s & !SCHEDULED);
        return;
    }
    let polled = if s & CANCELLED == 0 { POLLED } else { 0 };
    h.state.set((s & !SCHEDULED) | RUNNING | polled);
    let stage = raw.stage.get();
    let outcome = if s & CANCELLED != 0 {
        // SAFETY: not RUNNING before this call, so no other `&mut` to the stage exists.
        let dropped = catch_unwind(AssertUnwindSafe(|| unsafe { *stage = Stage::Consumed }));
        match dropped {
            Ok(()) => Err(JoinError::Cancelled),
            Err(payload) => Err(JoinError::Panicked(payload)),
        }
    } else {
        h.location.set(None);
        let prev = h.sched.current.replace(Some(ptr));
        // SAFETY: the header is alive for this call; the waker is not dropped.
        let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw_waker(ptr)) });
        let mut cx = Context::from_waker(&waker);
        let span = trace::poll_span(h.id, h.name());
        let polled = catch_unwind(AssertUnwindSafe(|| {
            let _span = span;
            // SAFETY: the stage is only reached through this function while RUNNING,
            // and the future inside is never moved (it is dropped in place below).
            match unsafe { &mut *stage } {
                // SAFETY: pinned in place: the allocation never moves, and the future
                // is only dropped in place.
                Stage::Running(fut) => unsafe { Pin::new_unchecked(fut) }.poll(&mut cx),
                _ => unreachable!("a task's future is polled only while it exists"),
            }
        }));
        h.sched.current.set(prev);
        match polled {
            Ok(Poll::Pending) => {
                h.state.set(h.state.get() & !RUNNING);
                return;
            }
            Ok(Poll::Ready(value)) => {
                // SAFETY: as above; the future is dropped in place.
                let dropped =
                    catch_unwind(AssertUnwindSafe(|| unsafe { *stage = Stage::Consumed }));
                match dropped {
                    Ok(()) => Ok(value),
                    Err(payload) => Err(JoinError::Panicked(payload)),
                }
            }
            Err(payload) => {
                // A second panic while dropping the poisoned future is swallowed: the
                // first payload is the one that explains what went wrong.
                // SAFETY: as above.
                let _ = catch_unwind(AssertUnwindSafe(|| unsafe { *stage = Stage::Consumed }));
                Err(JoinError::Panicked(payload))
            }
        }
    };
    // SAFETY: still the only access to the stage; the future is gone.
    unsafe { complete(ptr, stage, outcome) };
}

/// # Safety
/// Called by `run` with the task's stage, on the home thread.
unsafe fn complete<F: Future>(
    ptr: NonNull<Header>,
    stage: *mut Stage<F>,
    outcome: Result<F::Output, JoinError>,
) {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    #[cfg(feature = "tracing")]
    trace_completion(h, &outcome);
    let s = (h.state.get() & !RUNNING) | COMPLETED;
    if s & HANDLE != 0 {
        // SAFETY: per the contract; the stage is `Consumed`, nothing is dropped.
        unsafe { *stage = Stage::Finished(outcome) };
        h.state.set(s);
    } else {
        h.state.set(s | CLOSED);
        // The outcome of a detached task is dropped now (its panic was already reported
        // by the panic hook).
        let _ = catch_unwind(AssertUnwindSafe(move || drop(outcome)));
    }
    let slot = h.slot.replace(NO_SLOT);
    if slot != NO_SLOT {
        h.sched.tasks.borrow_mut().remove(slot as usize);
    }
    if let Some(w) = h.join_waker.take() {
        w.wake();
    }
    // SAFETY: the registry's reference, released now the future is gone; the caller
    // still holds its own, so the task outlives this function.
    unsafe { release(ptr) };
}

/// The `panic` and `complete` events of a task whose future is gone.
#[cfg(feature = "tracing")]
fn trace_completion<T>(h: &Header, outcome: &Result<T, JoinError>) {
    let outcome = match outcome {
        Ok(_) => "returned",
        Err(JoinError::Cancelled) => "cancelled",
        Err(e) => {
            let message = e.panic_message().unwrap_or("(not a string)");
            match h.name() {
                Some(name) => event!(
                    WARN,
                    task.id = h.id,
                    task.name = name,
                    panic.message = message,
                    "panic"
                ),
                None => event!(WARN, task.id = h.id, panic.message = message, "panic"),
            }
            "panicked"
        }
    };
    event!(DEBUG, task.id = h.id, outcome, "complete");
}

unsafe fn take_output<F: Future, A: Adapter<F::Output>>(ptr: NonNull<Header>, out: *mut ()) {
    // SAFETY: `ptr` is a `RawTask<F>` (contract of the vtable); `out` points to an
    // `Option<Result<A::Value, JoinError>>` (the caller, `Task<A::Value>`, knows it).
    unsafe {
        let raw = ptr.cast::<RawTask<F>>().as_ref();
        let stage = &mut *raw.stage.get();
        if let Stage::Finished(r) = std::mem::replace(stage, Stage::Consumed) {
            *out.cast::<Option<Result<A::Value, JoinError>>>() = Some(A::adapt(r));
        }
    }
}

unsafe fn failed<F: Future, A: Adapter<F::Output>>(ptr: NonNull<Header>) -> bool {
    // SAFETY: `ptr` is a `RawTask<F>`; the stage is only read (not while running).
    unsafe {
        let raw = ptr.cast::<RawTask<F>>().as_ref();
        matches!(&*raw.stage.get(), Stage::Finished(r) if A::failed(r))
    }
}

/// True if the task completed with a failure whose outcome is still stored.
pub(crate) fn is_failed(ptr: NonNull<Header>) -> bool {
    // SAFETY: callers hold a reference (a `Task<T>`); completed tasks are not running.
    let h = unsafe { ptr.as_ref() };
    h.state.get() & COMPLETED != 0 && h.state.get() & CLOSED == 0 && {
        // SAFETY: as above.
        unsafe { (h.vtable.failed)(ptr) }
    }
}

unsafe fn drop_stage<F: Future>(ptr: NonNull<Header>) {
    // SAFETY: `ptr` is a `RawTask<F>`; called when no one else accesses the stage.
    unsafe {
        let raw = ptr.cast::<RawTask<F>>().as_ref();
        let stage = raw.stage.get();
        let _ = catch_unwind(AssertUnwindSafe(|| *stage = Stage::Consumed));
    }
}

unsafe fn dealloc<F: Future>(ptr: NonNull<Header>) {
    // SAFETY: `ptr` came from `Box::leak` of a `RawTask<F>` and has no references left.
    drop(unsafe { Box::from_raw(ptr.cast::<RawTask<F>>().as_ptr()) });
}

// ---- the handle side (used by `Task<T>`) ----

/// Polls for the outcome on behalf of a `Task<T>`.
///
/// # Safety
/// `ptr` is a live task whose future's output type is `T`, on its home thread.
pub(crate) unsafe fn poll_join<T>(
    ptr: NonNull<Header>,
    cx: &mut Context<'_>,
) -> Poll<Result<T, JoinError>> {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    let s = h.state.get();
    if s & CLOSED != 0 {
        panic!(
            "a `Task` was polled after it returned its result: a task gives its result \
             once; keep the value from the first await, and stop polling the Task after it \
             completes (in a select loop, drop it or wrap it in an Option)"
        );
    }
    if s & COMPLETED != 0 {
        let mut out: Option<Result<T, JoinError>> = None;
        // SAFETY: per the contract, `T` is the output type `take_output` writes.
        unsafe {
            (h.vtable.take_output)(ptr, (&mut out as *mut Option<Result<T, JoinError>>).cast())
        };
        h.state.set(s | CLOSED);
        return Poll::Ready(out.expect("a completed task holds its outcome"));
    }
    let old = h.join_waker.take();
    match old {
        Some(w) if w.will_wake(cx.waker()) => h.join_waker.set(Some(w)),
        _ => h.join_waker.set(Some(cx.waker().clone())),
    }
    Poll::Pending
}

/// Called when a `Task<T>` is dropped: detaches, dropping a waiting outcome.
///
/// # Safety
/// The handle's reference, on the home thread.
pub(crate) unsafe fn drop_handle(ptr: NonNull<Header>) {
    // SAFETY: per the contract.
    let h = unsafe { ptr.as_ref() };
    let s = h.state.get() & !HANDLE;
    h.state.set(s);
    drop(h.join_waker.take());
    if s & COMPLETED != 0 && s & CLOSED == 0 {
        h.state.set(s | CLOSED);
        // SAFETY: the task is completed: nothing else touches the stage.
        unsafe { (h.vtable.drop_stage)(ptr) };
    }
    // SAFETY: the handle's reference.
    unsafe { release(ptr) };
}

// ---- the waker ----

static WAKER_VTABLE: RawWakerVTable =
    RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

fn raw_waker(ptr: NonNull<Header>) -> RawWaker {
    RawWaker::new(ptr.as_ptr() as *const (), &WAKER_VTABLE)
}

/// # Safety
/// `data` is the header of a task the calling waker holds a reference to.
unsafe fn home(data: *const ()) -> (NonNull<Header>, bool) {
    let ptr = NonNull::new(data as *mut Header).expect("waker data is never null");
    // SAFETY: the waker holds a reference; `sched` and `home` are never written after
    // construction, so reading them from another thread races with nothing.
    let at_home = unsafe { ptr.as_ref() }.sched.home == thread_mark();
    (ptr, at_home)
}

/// The `wake` event (before the wake is applied, so the task is alive).
#[inline(always)]
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn trace_wake(ptr: NonNull<Header>, at_home: bool) {
    #[cfg(feature = "tracing")]
    {
        // SAFETY: called by a live waker; `id` is never written after construction, so
        // it may be read from any thread.
        let id = unsafe { ptr.as_ref() }.id;
        event!(TRACE, task.id = id, remote = !at_home, "wake");
    }
}

unsafe fn waker_clone(data: *const ()) -> RawWaker {
    // SAFETY: called through a live waker.
    let (ptr, at_home) = unsafe { home(data) };
    if at_home {
        // SAFETY: home thread, live task.
        unsafe { acquire(ptr) };
    } else {
        // SAFETY: live task; `remote` is immutable and thread-safe.
        unsafe { ptr.as_ref() }
            .sched
            .remote
            .post(RemoteMsg::Inc(SendPtr(ptr)));
    }
    raw_waker(ptr)
}

unsafe fn waker_wake(data: *const ()) {
    // SAFETY: called through a live waker, which gives up its reference.
    let (ptr, at_home) = unsafe { home(data) };
    trace_wake(ptr, at_home);
    if at_home {
        // SAFETY: home thread; the waker's reference goes to the ready queue.
        unsafe { schedule_owned(ptr) };
    } else {
        // SAFETY: as in `waker_clone`.
        unsafe { ptr.as_ref() }
            .sched
            .remote
            .post(RemoteMsg::Wake(SendPtr(ptr)));
    }
}

unsafe fn waker_wake_by_ref(data: *const ()) {
    // SAFETY: called through a live waker.
    let (ptr, at_home) = unsafe { home(data) };
    trace_wake(ptr, at_home);
    if at_home {
        // SAFETY: home thread, live task.
        unsafe { schedule(ptr) };
    } else {
        // SAFETY: as in `waker_clone`.
        unsafe { ptr.as_ref() }
            .sched
            .remote
            .post(RemoteMsg::WakeByRef(SendPtr(ptr)));
    }
}

unsafe fn waker_drop(data: *const ()) {
    // SAFETY: called through a live waker, which gives up its reference.
    let (ptr, at_home) = unsafe { home(data) };
    if at_home {
        // SAFETY: home thread; the waker's reference.
        unsafe { release(ptr) };
    } else {
        // SAFETY: as in `waker_clone`.
        unsafe { ptr.as_ref() }
            .sched
            .remote
            .post(RemoteMsg::Dec(SendPtr(ptr)));
    }
}

#[cfg(test)]
mod tests {
    //! The message orders of the race between a drain and other threads' wakers, driven
    //! one step at a time: "the other thread" is played by posting its messages by hand.

    use super::*;
    use crate::runtime::{context, Runtime};
    use std::sync::mpsc;

    /// Spawns a task that finishes at once and awaits it; it is then held only by `n`
    /// wakers, which are forgotten here: they now stand for wakers on another thread.
    async fn finished_task_held_remotely(n: usize) -> NonNull<Header> {
        let (tx, rx) = mpsc::channel::<Waker>();
        let task = crate::spawn(std::future::poll_fn(move |cx| {
            for _ in 0..n {
                tx.send(cx.waker().clone()).unwrap();
            }
            Poll::Ready(())
        }));
        task.await.unwrap();
        let wakers: Vec<Waker> = rx.try_iter().collect();
        let ptr = NonNull::new(wakers[0].data() as *mut Header).unwrap();
        wakers.into_iter().for_each(std::mem::forget);
        ptr
    }

    fn post(sched: &Scheduler, msg: fn(SendPtr) -> RemoteMsg, task: NonNull<Header>) {
        sched.remote.post(msg(SendPtr(task)));
    }

    /// The count of a task the test knows to be alive.
    fn refs(task: NonNull<Header>) -> u32 {
        // SAFETY: only called on a task some (remote) waker still holds.
        unsafe { task.as_ref() }.refs.get()
    }

    #[test]
    fn a_nested_drain_applies_the_rest_of_the_interrupted_batch_first() {
        Runtime::new().unwrap().block_on(async {
            let sched = context::scheduler("test");
            let x = finished_task_held_remotely(1).await;
            let y = finished_task_held_remotely(1).await;
            let headers = Rc::strong_count(&sched); // each task's header holds one
                                                    // The other thread drops x's waker and clones y's; the loop takes both
                                                    // messages; meanwhile the other thread drops y's original waker.
            post(&sched, RemoteMsg::Dec, x);
            post(&sched, RemoteMsg::Inc, y);
            sched.take_posted_refs();
            post(&sched, RemoteMsg::Dec, y);
            // x's count reaches zero with y's `Inc` not yet applied: the nested drain
            // must apply it before y's `Dec`, or y is freed while its clone lives.
            sched.drain_remote_refs();
            assert_eq!(Rc::strong_count(&sched), headers - 1, "x is freed");
            assert_eq!(refs(y), 1, "y is held by the clone");
            post(&sched, RemoteMsg::Dec, y);
            sched.drain_remote_refs();
            assert_eq!(Rc::strong_count(&sched), headers - 2, "y is freed");
        });
    }

    #[test]
    fn a_task_is_not_freed_while_a_taken_message_still_clones_it() {
        Runtime::new().unwrap().block_on(async {
            let sched = context::scheduler("test");
            let x = finished_task_held_remotely(2).await;
            let headers = Rc::strong_count(&sched);
            // The other thread drops one waker and sends a clone of the other here.
            post(&sched, RemoteMsg::Dec, x);
            post(&sched, RemoteMsg::Inc, x);
            // SAFETY: the reference the `Inc` above counts, now owned by this waker.
            let clone = unsafe { Waker::from_raw(raw_waker(x)) };
            drop(clone); // before the loop has applied either message: 2 -> 1
                         // The loop takes both and applies the `Dec` first: zero, with the `Inc` taken
                         // but not applied (and nothing left in the inbox).
            sched.take_posted_refs();
            sched.drain_remote_refs();
            assert_eq!(Rc::strong_count(&sched), headers, "x is alive");
            assert_eq!(refs(x), 1, "x is held by the other thread's waker");
            post(&sched, RemoteMsg::Dec, x);
            sched.drain_remote_refs();
            assert_eq!(Rc::strong_count(&sched), headers - 1, "x is freed");
        });
    }
}
