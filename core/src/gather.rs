//! Waiting on many tasks: [`gather`], [`gather_all`], [`wait`] and [`as_completed`].
//!
//! As in asyncio, `gather` wraps every argument in a task *when it is called*, in
//! argument order, and its result lists the outputs in argument order. asyncio resolves
//! a gather (and a `wait`) through done-callbacks, so the awaiting task resumes two
//! iterations after the deciding child finished; these futures reproduce that hop, so
//! programs ported from asyncio interleave identically.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use std::time::Duration;

use crate::task::{spawn, JoinError, Task};
use crate::time::{sleep, Sleep};

/// Polls every unfinished task once (registering the waker) and moves finished outcomes
/// into `outcomes`. Returns how many outcomes arrived.
fn collect<T>(
    tasks: &mut [Option<Task<T>>],
    outcomes: &mut [Option<Result<T, JoinError>>],
    cx: &mut Context<'_>,
) {
    for (slot, out) in tasks.iter_mut().zip(outcomes.iter_mut()) {
        if let Some(task) = slot {
            if let Poll::Ready(r) = Pin::new(task).poll(cx) {
                *slot = None;
                *out = Some(r);
            }
        }
    }
}

/// Spawns the children of a gather created outside a runtime.
type Spawner<T> = Box<dyn FnOnce() -> Vec<Option<Task<T>>>>;

/// The part [`Gather`] and [`GatherAll`] share.
struct Gathering<T> {
    tasks: Vec<Option<Task<T>>>,
    outcomes: Vec<Option<Result<T, JoinError>>>,
    /// Spawns the children at the first poll, when created outside a runtime.
    deferred: Option<Spawner<T>>,
    polled: bool,
    decided: bool,
}

impl<T> Gathering<T> {
    fn new<I, F>(futures: I) -> Gathering<T>
    where
        I: IntoIterator<Item = F>,
        F: Future<Output = T> + 'static,
    {
        let spawn_all = |futures: Vec<F>| futures.into_iter().map(|f| Some(spawn(f))).collect();
        let futures: Vec<F> = futures.into_iter().collect();
        let mut gathering = Gathering {
            tasks: Vec::new(),
            outcomes: Vec::new(),
            deferred: None,
            polled: false,
            decided: false,
        };
        if crate::runtime::context::is_entered() {
            gathering.start(spawn_all(futures));
        } else {
            gathering.deferred = Some(Box::new(move || spawn_all(futures)));
        }
        gathering
    }

    fn start(&mut self, tasks: Vec<Option<Task<T>>>) {
        self.outcomes = tasks.iter().map(|_| None).collect();
        self.tasks = tasks;
    }

    /// `Ready(())` once `done(outcomes)` holds, one iteration late unless it already
    /// held at the first poll (asyncio's done-callback hop).
    fn poll_until(
        &mut self,
        cx: &mut Context<'_>,
        done: impl Fn(&[Option<Result<T, JoinError>>]) -> bool,
    ) -> Poll<()> {
        if self.decided {
            return Poll::Ready(());
        }
        if let Some(spawn_all) = self.deferred.take() {
            let tasks = spawn_all();
            self.start(tasks);
        }
        collect(&mut self.tasks, &mut self.outcomes, cx);
        let first = !self.polled;
        self.polled = true;
        if !done(&self.outcomes) {
            return Poll::Pending;
        }
        self.decided = true;
        if first {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn cancel_rest(&mut self) {
        for task in self.tasks.iter().flatten() {
            task.cancel();
        }
    }
}

impl<T> Drop for Gathering<T> {
    fn drop(&mut self) {
        // asyncio: cancelling the gather cancels its children.
        self.cancel_rest();
    }
}

/// Runs every future as a task (spawned now, in order; at the first poll if called
/// outside a runtime) and waits for all of them: the
/// outputs, in argument order, or the first [`JoinError`] (a child panicked or was
/// cancelled) as soon as it happens, like asyncio's `gather`.
///
/// On the first error the remaining children are **cancelled** (asyncio leaves them
/// running; a dropped `Gather` also cancels them, as cancelling asyncio's gather does).
/// Use [`gather_all`] to get every outcome instead.
///
/// # Panics
/// Outside a running runtime (it spawns).
///
/// ```
/// use resumable::{gather, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let slow_first = gather([30u64, 10, 20].map(|ms| async move {
///         sleep(Duration::from_millis(ms)).await;
///         ms
///     }));
///     assert_eq!(slow_first.await.unwrap(), [30, 10, 20]);
/// });
/// ```
pub fn gather<I, F>(futures: I) -> Gather<F::Output>
where
    I: IntoIterator<Item = F>,
    F: Future + 'static,
{
    Gather {
        inner: Gathering::new(futures),
    }
}

/// The future returned by [`gather`].
///
/// ```
/// resumable::run(async {
///     let g: resumable::Gather<i32> = resumable::gather(vec![async { 1 }]);
///     assert_eq!(g.await.unwrap(), [1]);
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Gather<T> {
    inner: Gathering<T>,
}

// Outputs are stored by value and never pinned.
impl<T> Unpin for Gather<T> {}

impl<T> Future for Gather<T> {
    type Output = Result<Vec<T>, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.inner;
        let failed_or_all = |o: &[Option<Result<T, JoinError>>]| {
            o.iter().any(|r| matches!(r, Some(Err(_)))) || o.iter().all(Option::is_some)
        };
        if inner.poll_until(cx, failed_or_all).is_pending() {
            return Poll::Pending;
        }
        if let Some(i) = inner
            .outcomes
            .iter()
            .position(|r| matches!(r, Some(Err(_))))
        {
            inner.cancel_rest();
            let Some(Err(e)) = inner.outcomes[i].take() else {
                unreachable!()
            };
            return Poll::Ready(Err(e));
        }
        let values = inner
            .outcomes
            .iter_mut()
            .map(|r| match r.take() {
                Some(Ok(v)) => v,
                _ => panic!("`Gather` polled after completion"),
            })
            .collect();
        Poll::Ready(Ok(values))
    }
}

impl<T> fmt::Debug for Gather<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("children", &self.inner.tasks.len())
            .finish()
    }
}

/// Like [`gather`], but waits for every child and gives each outcome, in argument order
/// (asyncio's `gather(..., return_exceptions=True)`).
///
/// ```
/// use resumable::gather_all;
///
/// resumable::run(async {
///     let outcomes = gather_all(vec![
///         Box::pin(async { 1 }) as std::pin::Pin<Box<dyn std::future::Future<Output = i32>>>,
///         Box::pin(async { panic!("no") }),
///     ])
///     .await;
///     assert_eq!(*outcomes[0].as_ref().unwrap(), 1);
///     assert!(outcomes[1].as_ref().unwrap_err().is_panic());
/// });
/// ```
pub fn gather_all<I, F>(futures: I) -> GatherAll<F::Output>
where
    I: IntoIterator<Item = F>,
    F: Future + 'static,
{
    GatherAll {
        inner: Gathering::new(futures),
    }
}

/// The future returned by [`gather_all`].
///
/// ```
/// resumable::run(async {
///     let g: resumable::GatherAll<()> = resumable::gather_all(vec![async {}]);
///     assert_eq!(g.await.len(), 1);
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct GatherAll<T> {
    inner: Gathering<T>,
}

// Outputs are stored by value and never pinned.
impl<T> Unpin for GatherAll<T> {}

impl<T> Future for GatherAll<T> {
    type Output = Vec<Result<T, JoinError>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.inner;
        if inner
            .poll_until(cx, |o| o.iter().all(Option::is_some))
            .is_pending()
        {
            return Poll::Pending;
        }
        Poll::Ready(
            inner
                .outcomes
                .iter_mut()
                .map(|r| r.take().expect("`GatherAll` polled after completion"))
                .collect(),
        )
    }
}

impl<T> fmt::Debug for GatherAll<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatherAll")
            .field("children", &self.inner.tasks.len())
            .finish()
    }
}

/// When [`wait`] returns (asyncio's `return_when`).
///
/// ```
/// use resumable::ReturnWhen;
/// assert_ne!(ReturnWhen::FirstCompleted, ReturnWhen::AllCompleted);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any task finishes.
    FirstCompleted,
    /// As soon as any task finishes with a [`JoinError`]; when all finished otherwise.
    FirstError,
    /// When all tasks finished.
    AllCompleted,
}

/// Waits on tasks without taking their results: gives back `(done, pending)`, each in
/// the order the tasks were given. Await a task from `done` to get its outcome at once.
/// No task is cancelled. An empty input returns at once.
///
/// ```
/// use resumable::{spawn, wait, ReturnWhen, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let fast = spawn(async { "fast" });
///     let slow = spawn(async { sleep(Duration::from_secs(60)).await; "slow" });
///     let (done, pending) = wait(vec![slow, fast], ReturnWhen::FirstCompleted).await;
///     assert_eq!(done.len(), 1);
///     assert_eq!(pending.len(), 1);
///     for t in done {
///         assert_eq!(t.await.unwrap(), "fast");
///     }
///     for t in pending {
///         t.cancel();
///     }
/// });
/// ```
pub fn wait<I, T>(tasks: I, when: ReturnWhen) -> Wait<T>
where
    I: IntoIterator<Item = Task<T>>,
{
    Wait {
        tasks: Some(tasks.into_iter().collect()),
        when,
        deadline: None,
        polled: false,
        decided: false,
    }
}

/// The future returned by [`wait`].
///
/// ```
/// let _ = |tasks: Vec<resumable::Task<()>>| -> resumable::Wait<()> {
///     resumable::wait(tasks, resumable::ReturnWhen::AllCompleted)
/// };
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Wait<T> {
    tasks: Option<Vec<Task<T>>>,
    when: ReturnWhen,
    deadline: Option<Sleep>,
    polled: bool,
    decided: bool,
}

impl<T> Wait<T> {
    /// Returns after `duration` at the latest, with whatever is done by then (asyncio's
    /// `wait(..., timeout=)`): unlike wrapping the `Wait` in [`timeout`](crate::time::timeout),
    /// no task handle is lost.
    ///
    /// ```
    /// use resumable::{spawn, wait, ReturnWhen, time::sleep};
    /// use std::time::Duration;
    ///
    /// resumable::run(async {
    ///     let slow = spawn(sleep(Duration::from_secs(60)));
    ///     let (done, pending) = wait(vec![slow], ReturnWhen::AllCompleted)
    ///         .with_timeout(Duration::from_millis(5))
    ///         .await;
    ///     assert_eq!((done.len(), pending.len()), (0, 1));
    ///     pending[0].cancel();
    /// });
    /// ```
    pub fn with_timeout(mut self, duration: Duration) -> Wait<T> {
        self.deadline = Some(sleep(duration));
        self
    }
}

impl<T> Future for Wait<T> {
    type Output = (Vec<Task<T>>, Vec<Task<T>>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let tasks = this.tasks.as_mut().expect("`Wait` polled after completion");
        if !this.decided {
            for t in tasks.iter_mut().filter(|t| !t.is_finished()) {
                let _ = Pin::new(t).poll(cx); // registers the waker; cannot be ready
            }
            let finished = tasks.iter().filter(|t| t.is_finished()).count();
            let done = match this.when {
                ReturnWhen::FirstCompleted => finished > 0 || tasks.is_empty(),
                ReturnWhen::FirstError => {
                    finished == tasks.len() || tasks.iter().any(|t| t.is_failed())
                }
                ReturnWhen::AllCompleted => finished == tasks.len(),
            };
            let first = !this.polled;
            this.polled = true;
            let expired = match &mut this.deadline {
                Some(deadline) => Pin::new(deadline).poll(cx).is_ready(),
                None => false,
            };
            if !done && !expired {
                return Poll::Pending;
            }
            if !done {
                // The timer's own wake-up already took asyncio's extra hop.
                this.decided = true;
                return self.as_mut().poll(cx);
            }
            this.decided = true;
            if !first {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
        let (done, pending) = this
            .tasks
            .take()
            .expect("checked above")
            .into_iter()
            .partition(|t| t.is_finished());
        Poll::Ready((done, pending))
    }
}

/// Yields the outcomes of `tasks` in the order they finish (asyncio's `as_completed`).
/// Tasks finishing in the same iteration come in the order they were given.
///
/// ```
/// use resumable::{as_completed, spawn, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let tasks = [30u64, 10, 20].map(|ms| spawn(async move {
///         sleep(Duration::from_millis(ms)).await;
///         ms
///     }));
///     let completed = as_completed(tasks);
///     let mut order = Vec::new();
///     while let Some(outcome) = completed.next().await {
///         order.push(outcome.unwrap());
///     }
///     assert_eq!(order, [10, 20, 30]);
/// });
/// ```
pub fn as_completed<I, T>(tasks: I) -> AsCompleted<T>
where
    I: IntoIterator<Item = Task<T>>,
{
    AsCompleted {
        tasks: Rc::new(RefCell::new(tasks.into_iter().collect())),
    }
}

/// The stream of outcomes returned by [`as_completed`]. Dropping it detaches the tasks
/// not yet yielded.
///
/// ```
/// resumable::run(async {
///     let c: resumable::AsCompleted<()> = resumable::as_completed(vec![resumable::spawn(async {})]);
///     assert_eq!(c.len(), 1);
///     assert!(c.next().await.unwrap().is_ok());
///     assert!(c.next().await.is_none());
/// });
/// ```
pub struct AsCompleted<T> {
    tasks: Rc<RefCell<Vec<Task<T>>>>,
}

impl<T> AsCompleted<T> {
    /// The next outcome to arrive, or `None` once every task was yielded.
    ///
    /// ```
    /// resumable::run(async {
    ///     let c = resumable::as_completed(vec![resumable::spawn(async { 1 })]);
    ///     assert_eq!(c.next().await.unwrap().unwrap(), 1);
    /// });
    /// ```
    pub fn next(&self) -> NextCompleted<T> {
        NextCompleted {
            tasks: self.tasks.clone(),
        }
    }

    /// How many tasks have not been yielded yet.
    ///
    /// ```
    /// resumable::run(async {
    ///     let c = resumable::as_completed(Vec::<resumable::Task<()>>::new());
    ///     assert!(c.is_empty());
    /// });
    /// ```
    pub fn len(&self) -> usize {
        self.tasks.borrow().len()
    }

    /// True when every task was yielded.
    ///
    /// ```
    /// resumable::run(async {
    ///     assert!(resumable::as_completed(Vec::<resumable::Task<()>>::new()).is_empty());
    /// });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The future returned by [`AsCompleted::next`].
///
/// ```
/// resumable::run(async {
///     let c = resumable::as_completed(vec![resumable::spawn(async {})]);
///     let next: resumable::NextCompleted<()> = c.next();
///     next.await.unwrap().unwrap();
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct NextCompleted<T> {
    tasks: Rc<RefCell<Vec<Task<T>>>>,
}

impl<T> Future for NextCompleted<T> {
    type Output = Option<Result<T, JoinError>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut tasks = self.tasks.borrow_mut();
        if tasks.is_empty() {
            return Poll::Ready(None);
        }
        if let Some(i) = tasks.iter().position(|t| t.is_finished()) {
            let mut task = tasks.remove(i);
            drop(tasks);
            return Pin::new(&mut task).poll(cx).map(Some);
        }
        for t in tasks.iter_mut() {
            let _ = Pin::new(t).poll(cx); // registers the waker; not finished
        }
        Poll::Pending
    }
}
