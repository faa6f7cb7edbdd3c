//! [`Condition`]: asyncio's `Condition`, a [`Lock`] plus a list of tasks waiting to be
//! notified.
//!
//! `wait` takes the [`LockGuard`] by value, releases the lock while it waits and hands a
//! new guard back once it has the lock again, so "wait with the lock held" is checked by
//! the type system rather than at run time.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::lock::{Lock, LockAcquire, LockGuard};
use super::waiters::{wake_all, Polled, WaiterKey, Waiters};

/// asyncio's `Condition`: tasks wait (releasing the lock) until another task notifies
/// them, then get the lock back.
///
/// Notified waiters are woken in FIFO order. A waiter cancelled after it was notified
/// passes the notification on to the next waiter, so `notify(1)` is never lost.
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Condition;
/// use std::{cell::Cell, rc::Rc};
///
/// let cond = Condition::new();
/// let ready = Rc::new(Cell::new(false));
/// let waiter = {
///     let (cond, ready) = (cond.clone(), ready.clone());
///     async move {
///         let guard = cond.acquire().await;
///         let _guard = cond.wait_for(guard, move || ready.get()).await;
///         "woken with the lock held"
///     }
/// };
/// let notifier = async {
///     let _guard = cond.acquire().await;
///     ready.set(true);
///     cond.notify_all();
/// };
/// let (said, ()) = futures::executor::block_on(futures::future::join(waiter, notifier));
/// assert_eq!(said, "woken with the lock held");
/// ```
#[derive(Clone)]
pub struct Condition {
    lock: Lock,
    waiters: Rc<RefCell<Waiters<()>>>,
}

impl Default for Condition {
    fn default() -> Self {
        Condition::new()
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("lock", &self.lock)
            .finish_non_exhaustive()
    }
}

impl Condition {
    /// A condition with a new lock of its own.
    ///
    /// ```
    /// assert!(!resumable::sync::Condition::new().locked());
    /// ```
    pub fn new() -> Self {
        Condition::with_lock(Lock::new())
    }

    /// A condition over an existing lock (asyncio's `Condition(lock)`).
    ///
    /// ```
    /// use resumable::sync::{Condition, Lock};
    ///
    /// let lock = Lock::new();
    /// let cond = Condition::with_lock(lock.clone());
    /// let _guard = lock.try_acquire().unwrap();
    /// assert!(cond.locked());
    /// ```
    pub fn with_lock(lock: Lock) -> Self {
        Condition {
            lock,
            waiters: Rc::new(RefCell::new(Waiters::new())),
        }
    }

    /// The condition's lock.
    ///
    /// ```
    /// let cond = resumable::sync::Condition::new();
    /// assert!(!cond.lock().locked());
    /// ```
    pub fn lock(&self) -> &Lock {
        &self.lock
    }

    /// Waits for the condition's lock (asyncio's `async with cond:`).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let cond = resumable::sync::Condition::new();
    /// let _guard = cond.acquire().await;
    /// assert!(cond.locked());
    /// # });
    /// ```
    pub fn acquire(&self) -> LockAcquire {
        self.lock.acquire()
    }

    /// Whether the condition's lock is held.
    ///
    /// ```
    /// assert!(!resumable::sync::Condition::new().locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// Releases the lock held by `guard`, waits to be notified, re-acquires the lock and
    /// returns the new guard.
    ///
    /// # Panics
    ///
    /// If `guard` holds another lock than this condition's (asyncio's `RuntimeError`).
    ///
    /// ```
    /// use resumable::sync::Condition;
    ///
    /// let cond = Condition::new();
    /// let waiter = {
    ///     let cond = cond.clone();
    ///     async move {
    ///         let guard = cond.acquire().await;
    ///         let guard = cond.wait(guard).await;
    ///         drop(guard);
    ///     }
    /// };
    /// let notifier = async {
    ///     let _guard = cond.acquire().await;
    ///     cond.notify(1);
    /// };
    /// futures::executor::block_on(futures::future::join(waiter, notifier));
    /// ```
    pub fn wait(&self, guard: LockGuard) -> ConditionWait {
        assert!(
            guard.lock().same_lock(&self.lock),
            "Condition::wait was given the guard of another lock: pass the guard returned \
             by this condition's `acquire()` (or by the lock given to `with_lock`)"
        );
        ConditionWait {
            condition: self.clone(),
            step: Step::Start(Some(guard)),
        }
    }

    /// Waits until `predicate` returns true: checks it with the lock held, and after each
    /// wake-up (asyncio's `wait_for`). Returns the guard.
    ///
    /// # Panics
    ///
    /// If `guard` holds another lock than this condition's.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let cond = resumable::sync::Condition::new();
    /// let guard = cond.acquire().await;
    /// let _guard = cond.wait_for(guard, || true).await; // already true: no wait
    /// # });
    /// ```
    pub fn wait_for<F: FnMut() -> bool>(
        &self,
        guard: LockGuard,
        predicate: F,
    ) -> ConditionWaitFor<F> {
        assert!(
            guard.lock().same_lock(&self.lock),
            "Condition::wait_for was given the guard of another lock: pass the guard \
             returned by this condition's `acquire()` (or by the lock given to `with_lock`)"
        );
        ConditionWaitFor {
            condition: self.clone(),
            predicate,
            guard: Some(guard),
            wait: None,
        }
    }

    /// Wakes up to `n` waiting tasks, first come first served.
    ///
    /// Unlike asyncio this does not require the lock to be held: on a single-threaded loop
    /// a notification cannot slip in between a check and a `wait`.
    ///
    /// ```
    /// let cond = resumable::sync::Condition::new();
    /// cond.notify(1); // nobody waits: nothing happens
    /// ```
    pub fn notify(&self, n: usize) {
        for _ in 0..n {
            // Woken one at a time, outside the borrow: no allocation.
            let notified = self.waiters.borrow_mut().notify_one(());
            match notified {
                Ok(waker) => waker.wake(),
                Err(()) => break,
            }
        }
    }

    /// Wakes every waiting task.
    ///
    /// ```
    /// resumable::sync::Condition::new().notify_all();
    /// ```
    pub fn notify_all(&self) {
        let wakers = self.waiters.borrow_mut().notify_all(|| ());
        wake_all(wakers);
    }
}

enum Step {
    /// Not polled yet: still holding the lock.
    Start(Option<LockGuard>),
    /// Lock released, waiting for a notification.
    Waiting(WaiterKey),
    /// Notified, re-acquiring the lock.
    Relocking(LockAcquire),
    Done,
}

/// The future of [`Condition::wait`]: completes with the lock held again.
///
/// ```
/// let cond = resumable::sync::Condition::new();
/// let guard = cond.lock().try_acquire().unwrap();
/// let wait: resumable::sync::ConditionWait = cond.wait(guard);
/// drop(wait); // never polled: the guard is dropped with it
/// assert!(!cond.locked());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ConditionWait {
    condition: Condition,
    step: Step,
}

impl fmt::Debug for ConditionWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionWait")
            .field("waiting", &matches!(self.step, Step::Waiting(_)))
            .finish_non_exhaustive()
    }
}

impl Future for ConditionWait {
    type Output = LockGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = self.get_mut();
        loop {
            match &mut this.step {
                Step::Start(guard) => {
                    let key = this.condition.waiters.borrow_mut().push(cx.waker());
                    let guard = guard.take();
                    this.step = Step::Waiting(key);
                    drop(guard); // releases the lock, after we are on the list
                    return Poll::Pending;
                }
                Step::Waiting(key) => {
                    let polled = this.condition.waiters.borrow_mut().poll(*key, cx.waker());
                    match polled {
                        Polled::Waiting => return Poll::Pending,
                        Polled::Notified(()) => {
                            this.step = Step::Relocking(this.condition.lock.acquire());
                        }
                    }
                }
                Step::Relocking(acquire) => {
                    let guard = std::task::ready!(Pin::new(acquire).poll(cx));
                    this.step = Step::Done;
                    return Poll::Ready(guard);
                }
                Step::Done => panic!("`ConditionWait` polled after completion"),
            }
        }
    }
}

impl Drop for ConditionWait {
    fn drop(&mut self) {
        if let Step::Waiting(key) = self.step {
            let notified = self.condition.waiters.borrow_mut().remove(key).is_some();
            if notified {
                self.condition.notify(1);
            }
        }
    }
}

/// The future of [`Condition::wait_for`]: completes with the lock held and the predicate
/// true.
///
/// ```
/// let cond = resumable::sync::Condition::new();
/// let guard = cond.lock().try_acquire().unwrap();
/// let guard = futures::executor::block_on(cond.wait_for(guard, || true));
/// assert!(guard.lock().locked());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct ConditionWaitFor<F> {
    condition: Condition,
    predicate: F,
    /// The guard while the predicate is checked.
    guard: Option<LockGuard>,
    wait: Option<ConditionWait>,
}

impl<F> Unpin for ConditionWaitFor<F> {}

impl<F> fmt::Debug for ConditionWaitFor<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionWaitFor")
            .field("waiting", &self.wait.is_some())
            .finish_non_exhaustive()
    }
}

impl<F: FnMut() -> bool> Future for ConditionWaitFor<F> {
    type Output = LockGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = self.get_mut();
        loop {
            if let Some(wait) = &mut this.wait {
                this.guard = Some(std::task::ready!(Pin::new(wait).poll(cx)));
                this.wait = None;
            }
            let guard = this
                .guard
                .take()
                .expect("`ConditionWaitFor` polled after completion");
            if (this.predicate)() {
                return Poll::Ready(guard);
            }
            this.wait = Some(this.condition.wait(guard));
        }
    }
}
