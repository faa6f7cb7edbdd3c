//! [`Lock`]: asyncio's `Lock`, as an owned guard.
//!
//! Releasing a lock that others wait for hands it straight to the first waiter (it never
//! becomes free in between), so a task arriving later cannot overtake: FIFO, as asyncio.
//! [`RawLock`] is that mechanism, shared with [`Mutex`](super::Mutex).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::{Polled, WaiterKey, Waiters};

struct LockState {
    locked: bool,
    /// Released to a waiter that has not run yet: still taken, but asyncio's `locked()`
    /// reads false until the waiter runs.
    handing_over: bool,
    /// Invariant: waiters wait only while `locked`.
    waiters: Waiters<()>,
}

/// The lock without a guard: `lock`/`unlock` by hand, hand-over on unlock.
pub(crate) struct RawLock {
    state: RefCell<LockState>,
}

impl RawLock {
    pub(crate) const fn new() -> Self {
        RawLock {
            state: RefCell::new(LockState {
                locked: false,
                handing_over: false,
                waiters: Waiters::new(),
            }),
        }
    }

    /// asyncio's view: false while the lock is handed over to a waiter that has not run.
    pub(crate) fn is_locked(&self) -> bool {
        let state = self.state.borrow();
        state.locked && !state.handing_over
    }

    pub(crate) fn try_lock(&self) -> bool {
        let mut state = self.state.borrow_mut();
        !std::mem::replace(&mut state.locked, true)
    }

    /// Polls an acquisition whose waiter key (if it waits) is kept in `key`.
    pub(crate) fn poll_lock(&self, key: &mut Option<WaiterKey>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        match *key {
            None if !state.locked => {
                state.locked = true;
                Poll::Ready(())
            }
            None => {
                *key = Some(state.waiters.push(cx.waker()));
                Poll::Pending
            }
            Some(waiting) => match state.waiters.poll(waiting, cx.waker()) {
                Polled::Waiting => Poll::Pending,
                Polled::Notified(()) => {
                    // The lock was handed over to us: it stayed locked.
                    *key = None;
                    state.handing_over = false;
                    Poll::Ready(())
                }
            },
        }
    }

    /// An acquisition was dropped while waiting: if the lock had already been handed to
    /// it, pass it on.
    pub(crate) fn cancel(&self, key: WaiterKey) {
        let handed_over = self.state.borrow_mut().waiters.remove(key).is_some();
        if handed_over {
            self.unlock();
        }
    }

    /// Hands the lock to the first waiter, or frees it.
    pub(crate) fn unlock(&self) {
        let mut state = self.state.borrow_mut();
        debug_assert!(state.locked);
        match state.waiters.notify_one(()) {
            Ok(waker) => {
                state.handing_over = true;
                drop(state);
                waker.wake();
            }
            Err(()) => {
                state.locked = false;
                state.handing_over = false;
            }
        }
    }
}

/// asyncio's `Lock`: mutual exclusion between tasks of one event loop.
///
/// `acquire().await` returns a [`LockGuard`] that owns a handle to the lock and releases
/// it when dropped (asyncio's `async with lock:`). Waiters get the lock in FIFO order; an
/// acquisition cancelled while waiting never leaves the lock held.
///
/// asyncio's bare `await lock.acquire()` … `lock.release()` pair is
/// `let guard = lock.acquire().await;` … `drop(guard);`: the guard is the proof of
/// holding the lock, so releasing an unlocked lock (asyncio's `RuntimeError`) cannot be
/// written.
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Lock;
///
/// # futures::executor::block_on(async {
/// let lock = Lock::new();
/// let guard = lock.acquire().await;
/// assert!(lock.locked());
/// drop(guard);
/// assert!(!lock.locked());
/// # });
/// ```
#[derive(Clone)]
pub struct Lock {
    raw: Rc<RawLock>,
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .finish_non_exhaustive()
    }
}

impl Lock {
    /// A new, unlocked lock.
    ///
    /// ```
    /// assert!(!resumable::sync::Lock::new().locked());
    /// ```
    pub fn new() -> Self {
        Lock {
            raw: Rc::new(RawLock::new()),
        }
    }

    /// Waits for the lock and returns the guard that holds it.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let lock = resumable::sync::Lock::new();
    /// let _guard = lock.acquire().await;
    /// assert!(lock.try_acquire().is_none());
    /// # });
    /// ```
    pub fn acquire(&self) -> LockAcquire {
        LockAcquire {
            lock: Some(self.clone()),
            key: None,
        }
    }

    /// Takes the lock if it is free now.
    ///
    /// ```
    /// let lock = resumable::sync::Lock::new();
    /// let guard = lock.try_acquire().unwrap();
    /// assert!(lock.try_acquire().is_none());
    /// drop(guard);
    /// assert!(lock.try_acquire().is_some());
    /// ```
    pub fn try_acquire(&self) -> Option<LockGuard> {
        self.raw
            .try_lock()
            .then(|| LockGuard { lock: self.clone() })
    }

    /// Whether the lock is held (asyncio's `locked()`).
    ///
    /// As in asyncio, a lock just released to a waiting task that has not run yet reads
    /// as not held, although no other task can take it: it is reserved for that waiter.
    ///
    /// ```
    /// let lock = resumable::sync::Lock::new();
    /// let _guard = lock.try_acquire();
    /// assert!(lock.locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    pub(crate) fn same_lock(&self, other: &Lock) -> bool {
        Rc::ptr_eq(&self.raw, &other.raw)
    }
}

/// Holds a [`Lock`]; dropping it releases the lock (to the first waiter, if any).
///
/// ```
/// let lock = resumable::sync::Lock::new();
/// let guard = lock.try_acquire().unwrap();
/// assert!(guard.lock().locked());
/// drop(guard);
/// assert!(!lock.locked());
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard {
    lock: Lock,
}

impl LockGuard {
    /// The lock this guard holds.
    ///
    /// ```
    /// let lock = resumable::sync::Lock::new();
    /// let guard = lock.try_acquire().unwrap();
    /// assert!(guard.lock().locked());
    /// ```
    pub fn lock(&self) -> &Lock {
        &self.lock
    }
}

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        self.lock.raw.unlock();
    }
}

/// The future of [`Lock::acquire`].
///
/// ```
/// let lock = resumable::sync::Lock::new();
/// let acquire: resumable::sync::LockAcquire = lock.acquire();
/// let guard = futures::executor::block_on(acquire);
/// assert!(guard.lock().locked());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct LockAcquire {
    /// `None` once completed.
    lock: Option<Lock>,
    key: Option<WaiterKey>,
}

impl fmt::Debug for LockAcquire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockAcquire")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Future for LockAcquire {
    type Output = LockGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = self.get_mut();
        let lock = this
            .lock
            .as_ref()
            .expect("`LockAcquire` polled after completion");
        std::task::ready!(lock.raw.poll_lock(&mut this.key, cx));
        let lock = this.lock.take().expect("checked above");
        Poll::Ready(LockGuard { lock })
    }
}

impl Drop for LockAcquire {
    fn drop(&mut self) {
        if let (Some(lock), Some(key)) = (&self.lock, self.key) {
            lock.raw.cancel(key);
        }
    }
}
