//! [`TaskGroup`]: structured concurrency, as asyncio's `TaskGroup`.
//!
//! Children are spawned into the group. When one fails (returns `Err` or panics) the
//! others are cancelled; [`TaskGroup::join`] waits for every child and gives every
//! failure. Dropping the group (or its `join` future, e.g. because the parent task was
//! cancelled) cancels the children still running.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::task::raw::TaskRef;
use crate::task::{panic_message, spawn, spawn_flat, JoinError, Task};

/// One failure of a [`TaskGroup`] child.
///
/// ```
/// let e: resumable::GroupError<&str> = resumable::GroupError::Failed("bad input");
/// assert_eq!(e.to_string(), "bad input");
/// ```
pub enum GroupError<E> {
    /// The child returned `Err(e)`.
    Failed(E),
    /// The child panicked; the payload is what `panic!` was given.
    Panicked(Box<dyn Any + Send + 'static>),
}

impl<E: fmt::Debug> fmt::Debug for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::Failed(e) => f.debug_tuple("Failed").field(e).finish(),
            GroupError::Panicked(p) => match panic_message(p.as_ref()) {
                Some(msg) => write!(f, "Panicked({msg:?})"),
                None => f.write_str("Panicked(..)"),
            },
        }
    }
}

impl<E: fmt::Display> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::Failed(e) => e.fmt(f),
            GroupError::Panicked(p) => match panic_message(p.as_ref()) {
                Some(msg) => write!(f, "panicked: {msg}"),
                None => f.write_str("panicked"),
            },
        }
    }
}

struct State<E> {
    children: RefCell<Vec<TaskRef>>,
    running: Cell<usize>,
    errors: RefCell<Vec<GroupError<E>>>,
    failed: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
}

impl<E> State<E> {
    fn cancel_all(&self) {
        let children: Vec<TaskRef> = std::mem::take(&mut *self.children.borrow_mut());
        for child in &children {
            child.cancel();
        }
    }

    fn fail(self: &Rc<Self>, error: GroupError<E>)
    where
        E: 'static,
    {
        self.errors.borrow_mut().push(error);
        if !self.failed.replace(true) {
            // asyncio cancels the siblings from the failed child's done-callback, one
            // iteration later; a tiny task reproduces that hop.
            let state = self.clone();
            drop(spawn(async move { state.cancel_all() }));
        }
    }
}

/// A group of child tasks that succeed or fail together.
///
/// ```
/// use resumable::{GroupError, TaskGroup, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let group = TaskGroup::new();
///     let ok = group.spawn(async { sleep(Duration::from_millis(5)).await; Ok(1) });
///     let _slow = group.spawn(async { sleep(Duration::from_secs(60)).await; Ok(2) });
///     group.spawn(async { Err::<(), _>("bad") });
///     let errors = group.join().await.unwrap_err();
///     assert!(matches!(errors[..], [GroupError::Failed("bad")]));
///     assert!(ok.await.unwrap_err().is_cancelled()); // cancelled by the failure
/// });
/// ```
pub struct TaskGroup<E = std::convert::Infallible> {
    state: Rc<State<E>>,
}

impl<E: 'static> Default for TaskGroup<E> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

impl<E: 'static> TaskGroup<E> {
    /// An empty group.
    ///
    /// ```
    /// let group: resumable::TaskGroup<std::io::Error> = resumable::TaskGroup::new();
    /// assert!(group.is_empty());
    /// ```
    pub fn new() -> TaskGroup<E> {
        TaskGroup {
            state: Rc::new(State {
                children: RefCell::new(Vec::new()),
                running: Cell::new(0),
                errors: RefCell::new(Vec::new()),
                failed: Cell::new(false),
                waiter: RefCell::new(None),
            }),
        }
    }

    /// Spawns a child. `Ok(value)` goes to the returned [`Task`]; an `Err` or a panic goes
    /// to the group (the task then gives [`JoinError::Failed`]) and cancels the siblings.
    /// A child spawned into a group that already failed is cancelled at once.
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// resumable::run(async {
    ///     let group = resumable::TaskGroup::<()>::new();
    ///     let t = group.spawn(async { Ok(3) });
    ///     group.join().await.unwrap();
    ///     assert_eq!(t.await.unwrap(), 3);
    /// });
    /// ```
    pub fn spawn<F, T>(&self, future: F) -> Task<T>
    where
        F: Future<Output = Result<T, E>> + 'static,
        T: 'static,
    {
        self.state.running.set(self.state.running.get() + 1);
        let task = spawn_flat(Child {
            future,
            state: self.state.clone(),
        });
        if self.state.failed.get() {
            task.cancel();
        } else {
            let mut children = self.state.children.borrow_mut();
            // Forget finished children now and then, so a long-lived group does not keep
            // every finished task's allocation alive.
            if children.len() >= 64 && children.len() > 2 * self.state.running.get() {
                children.retain(|c| !c.header().is_completed());
            }
            children.push(task.task_ref());
        }
        task
    }

    /// Cancels every child still running (as a failure would, without recording one).
    ///
    /// ```
    /// resumable::run(async {
    ///     let group = resumable::TaskGroup::<()>::new();
    ///     let t = group.spawn(async { std::future::pending::<()>().await; Ok(()) });
    ///     group.cancel();
    ///     group.join().await.unwrap();
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) {
        self.state.cancel_all();
    }

    /// How many children are still running.
    ///
    /// ```
    /// let group = resumable::TaskGroup::<()>::new();
    /// assert_eq!(group.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.state.running.get()
    }

    /// True when no child is running.
    ///
    /// ```
    /// assert!(resumable::TaskGroup::<()>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits until every child finished: `Ok(())`, or every failure in the order they
    /// happened. Leaving the group this way is asyncio's `async with` exit.
    ///
    /// ```
    /// resumable::run(async {
    ///     let group = resumable::TaskGroup::<String>::new();
    ///     group.spawn(async { Err::<(), _>("one".to_string()) });
    ///     group.spawn(async { Err::<(), _>("two".to_string()) });
    ///     let errors = group.join().await.unwrap_err();
    ///     assert_eq!(errors.len(), 2); // both failed in the same iteration
    /// });
    /// ```
    pub fn join(self) -> GroupJoin<E> {
        GroupJoin {
            group: Some(self),
            polled: false,
            decided: false,
        }
    }
}

impl<E> Drop for TaskGroup<E> {
    fn drop(&mut self) {
        if self.state.running.get() > 0 {
            self.state.cancel_all();
        }
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("running", &self.state.running.get())
            .field("failed", &self.state.failed.get())
            .finish()
    }
}

/// The future returned by [`TaskGroup::join`]. Dropping it cancels the children.
///
/// ```
/// resumable::run(async {
///     let j: resumable::GroupJoin<()> = resumable::TaskGroup::new().join();
///     assert!(j.await.is_ok());
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct GroupJoin<E> {
    group: Option<TaskGroup<E>>,
    polled: bool,
    decided: bool,
}

impl<E> Future for GroupJoin<E> {
    type Output = Result<(), Vec<GroupError<E>>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let group = this
            .group
            .as_ref()
            .expect("`GroupJoin` polled after completion");
        if !this.decided {
            let first = !this.polled;
            this.polled = true;
            if group.state.running.get() > 0 {
                let old = group.state.waiter.replace(Some(cx.waker().clone()));
                drop(old); // outside the borrow: dropping a waker may free a task
                return Poll::Pending;
            }
            this.decided = true;
            if !first {
                // asyncio's `__aexit__` resumes through a done-callback: one more hop.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
        let group = this.group.take().expect("checked above");
        let errors = std::mem::take(&mut *group.state.errors.borrow_mut());
        Poll::Ready(if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        })
    }
}

/// A child's future: reports `Err` and panics to the group, and tells it when it is gone.
struct Child<F, E> {
    future: F,
    state: Rc<State<E>>,
}

impl<F, T, E> Future for Child<F, E>
where
    F: Future<Output = Result<T, E>>,
    E: 'static,
{
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned (polled in place, never moved; the
        // `Drop` impl below does not touch it); `state` is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Ok(v))) => Poll::Ready(Ok(v)),
            Ok(Poll::Ready(Err(e))) => {
                this.state.fail(GroupError::Failed(e));
                Poll::Ready(Err(JoinError::Failed))
            }
            Err(payload) => {
                this.state.fail(GroupError::Panicked(payload));
                Poll::Ready(Err(JoinError::Failed))
            }
        }
    }
}

impl<F, E> Drop for Child<F, E> {
    fn drop(&mut self) {
        let left = self.state.running.get() - 1;
        self.state.running.set(left);
        if left == 0 {
            let waiter = self.state.waiter.borrow_mut().take();
            if let Some(w) = waiter {
                w.wake();
            }
        }
    }
}
