//! [`Semaphore`] and [`BoundedSemaphore`]: asyncio's counters of permits.
//!
//! A released permit goes straight to the first waiter if there is one (FIFO, no
//! overtaking). Permits held by [`SemaphorePermit`] guards (or handed to a woken waiter
//! that has not run yet) are counted, so a [`BoundedSemaphore`] can refuse a `release`
//! that would push the number of permits above its initial value.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::waiters::{Polled, WaiterKey, Waiters};

struct State {
    /// Free permits. Invariant: waiters wait only while this is 0.
    permits: usize,
    /// Permits held by guards or handed to notified waiters.
    held: usize,
    /// The initial value, for a bounded semaphore.
    bound: Option<usize>,
    waiters: Waiters<()>,
}

impl State {
    /// One permit comes free: hand it to the first waiter, or store it.
    fn give(&mut self) -> Option<Waker> {
        match self.waiters.notify_one(()) {
            Ok(waker) => {
                self.held += 1;
                Some(waker)
            }
            Err(()) => {
                self.permits += 1;
                None
            }
        }
    }
}

#[derive(Clone)]
struct Shared {
    state: Rc<RefCell<State>>,
}

impl Shared {
    fn new(permits: usize, bound: Option<usize>) -> Self {
        Shared {
            state: Rc::new(RefCell::new(State {
                permits,
                held: 0,
                bound,
                waiters: Waiters::new(),
            })),
        }
    }

    fn try_acquire(&self) -> Option<SemaphorePermit> {
        let mut state = self.state.borrow_mut();
        if state.permits == 0 {
            return None;
        }
        state.permits -= 1;
        state.held += 1;
        Some(SemaphorePermit {
            shared: self.clone(),
        })
    }

    fn acquire(&self) -> SemaphoreAcquire {
        SemaphoreAcquire {
            shared: Some(self.clone()),
            key: None,
        }
    }

    /// A held permit comes back (guard dropped, or a notified waiter was cancelled).
    fn put_back(&self) {
        let mut state = self.state.borrow_mut();
        state.held -= 1;
        let waker = state.give();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn release(&self) -> Result<(), TooManyReleases> {
        let mut state = self.state.borrow_mut();
        if let Some(bound) = state.bound {
            if state.permits + state.held >= bound {
                return Err(TooManyReleases { bound });
            }
        }
        let waker = state.give();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    fn available(&self) -> usize {
        self.state.borrow().permits
    }

    fn locked(&self) -> bool {
        let state = self.state.borrow();
        state.permits == 0 || state.waiters.has_waiting()
    }
}

/// asyncio's `Semaphore`: at most `permits` holders at a time.
///
/// [`acquire`](Semaphore::acquire) waits for a permit and returns a [`SemaphorePermit`]
/// guard that gives it back when dropped (asyncio's `async with sem:`).
/// [`release`](Semaphore::release) adds a permit, as asyncio's `release()` does (pair it
/// with [`SemaphorePermit::forget`] for the acquire/release style). Waiters are served in
/// FIFO order; an acquisition cancelled while waiting never leaks a permit.
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Semaphore;
///
/// # futures::executor::block_on(async {
/// let slots = Semaphore::new(2);
/// let a = slots.acquire().await;
/// let _b = slots.acquire().await;
/// assert!(slots.locked());
/// drop(a);
/// assert_eq!(slots.available_permits(), 1);
/// # });
/// ```
#[derive(Clone)]
pub struct Semaphore {
    shared: Shared,
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available_permits", &self.available_permits())
            .finish_non_exhaustive()
    }
}

impl Semaphore {
    /// A semaphore with `permits` free permits (asyncio's `Semaphore(value)`).
    ///
    /// ```
    /// let slots = resumable::sync::Semaphore::new(3);
    /// assert_eq!(slots.available_permits(), 3);
    /// ```
    pub fn new(permits: usize) -> Self {
        Semaphore {
            shared: Shared::new(permits, None),
        }
    }

    /// Waits for a permit.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let slots = resumable::sync::Semaphore::new(1);
    /// let _permit = slots.acquire().await;
    /// assert_eq!(slots.available_permits(), 0);
    /// # });
    /// ```
    pub fn acquire(&self) -> SemaphoreAcquire {
        self.shared.acquire()
    }

    /// Takes a permit if one is free now and nobody waits for one.
    ///
    /// ```
    /// let slots = resumable::sync::Semaphore::new(1);
    /// let _permit = slots.try_acquire().unwrap();
    /// assert!(slots.try_acquire().is_none());
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphorePermit> {
        self.shared.try_acquire()
    }

    /// Adds a permit (or hands it to the first waiter). Unbounded: may raise the count
    /// above the initial value, as asyncio's `Semaphore.release()`.
    ///
    /// ```
    /// let slots = resumable::sync::Semaphore::new(0);
    /// slots.release();
    /// assert_eq!(slots.available_permits(), 1);
    /// ```
    pub fn release(&self) {
        self.shared
            .release()
            .expect("an unbounded semaphore accepts any release");
    }

    /// Number of free permits (asyncio's `_value`).
    ///
    /// ```
    /// assert_eq!(resumable::sync::Semaphore::new(2).available_permits(), 2);
    /// ```
    pub fn available_permits(&self) -> usize {
        self.shared.available()
    }

    /// Whether `acquire` would wait now (asyncio's `locked()`).
    ///
    /// ```
    /// assert!(resumable::sync::Semaphore::new(0).locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.shared.locked()
    }
}

/// asyncio's `BoundedSemaphore`: a [`Semaphore`] whose `release` fails if it would raise
/// the number of permits above the initial value.
///
/// Permits held by [`SemaphorePermit`] guards are counted as taken, so `release` only
/// succeeds for permits given up with [`SemaphorePermit::forget`].
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::BoundedSemaphore;
///
/// let slots = BoundedSemaphore::new(1);
/// slots.try_acquire().unwrap().forget();
/// assert!(slots.release().is_ok());
/// assert!(slots.release().is_err()); // one release too many
/// ```
#[derive(Clone)]
pub struct BoundedSemaphore {
    shared: Shared,
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("available_permits", &self.available_permits())
            .finish_non_exhaustive()
    }
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` free permits, which is also its bound.
    ///
    /// ```
    /// let slots = resumable::sync::BoundedSemaphore::new(2);
    /// assert_eq!(slots.available_permits(), 2);
    /// ```
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            shared: Shared::new(permits, Some(permits)),
        }
    }

    /// Waits for a permit.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let slots = resumable::sync::BoundedSemaphore::new(1);
    /// let _permit = slots.acquire().await;
    /// assert!(slots.locked());
    /// # });
    /// ```
    pub fn acquire(&self) -> SemaphoreAcquire {
        self.shared.acquire()
    }

    /// Takes a permit if one is free now and nobody waits for one.
    ///
    /// ```
    /// let slots = resumable::sync::BoundedSemaphore::new(1);
    /// assert!(slots.try_acquire().is_some());
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphorePermit> {
        self.shared.try_acquire()
    }

    /// Gives back a permit taken with [`SemaphorePermit::forget`].
    ///
    /// # Errors
    ///
    /// [`TooManyReleases`] if every permit is already free or held by a guard (asyncio's
    /// `ValueError: BoundedSemaphore released too many times`); nothing changes.
    ///
    /// ```
    /// let slots = resumable::sync::BoundedSemaphore::new(1);
    /// assert!(slots.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), TooManyReleases> {
        self.shared.release()
    }

    /// Number of free permits.
    ///
    /// ```
    /// assert_eq!(resumable::sync::BoundedSemaphore::new(2).available_permits(), 2);
    /// ```
    pub fn available_permits(&self) -> usize {
        self.shared.available()
    }

    /// Whether `acquire` would wait now.
    ///
    /// ```
    /// assert!(!resumable::sync::BoundedSemaphore::new(1).locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.shared.locked()
    }
}

/// A permit of a [`Semaphore`] or [`BoundedSemaphore`]; dropping it gives the permit back.
///
/// ```
/// let slots = resumable::sync::Semaphore::new(1);
/// let permit = slots.try_acquire().unwrap();
/// drop(permit);
/// assert_eq!(slots.available_permits(), 1);
/// ```
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct SemaphorePermit {
    shared: Shared,
}

impl SemaphorePermit {
    /// Keeps the permit taken without a guard (asyncio's bare `acquire()`); give it back
    /// later with `release`.
    ///
    /// ```
    /// let slots = resumable::sync::Semaphore::new(1);
    /// slots.try_acquire().unwrap().forget();
    /// assert_eq!(slots.available_permits(), 0);
    /// slots.release();
    /// assert_eq!(slots.available_permits(), 1);
    /// ```
    pub fn forget(self) {
        self.shared.state.borrow_mut().held -= 1;
        std::mem::forget(self);
    }
}

impl fmt::Debug for SemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").finish_non_exhaustive()
    }
}

impl Drop for SemaphorePermit {
    fn drop(&mut self) {
        self.shared.put_back();
    }
}

/// The future of [`Semaphore::acquire`] and [`BoundedSemaphore::acquire`].
///
/// ```
/// let slots = resumable::sync::Semaphore::new(1);
/// let acquire: resumable::sync::SemaphoreAcquire = slots.acquire();
/// let _permit = futures::executor::block_on(acquire);
/// assert!(slots.locked());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct SemaphoreAcquire {
    /// `None` once completed.
    shared: Option<Shared>,
    key: Option<WaiterKey>,
}

impl fmt::Debug for SemaphoreAcquire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphoreAcquire")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Future for SemaphoreAcquire {
    type Output = SemaphorePermit;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit> {
        let this = self.get_mut();
        let shared = this
            .shared
            .as_ref()
            .expect("`SemaphoreAcquire` polled after completion");
        let mut state = shared.state.borrow_mut();
        match this.key {
            None if state.permits > 0 => {
                state.permits -= 1;
                state.held += 1;
            }
            None => {
                this.key = Some(state.waiters.push(cx.waker()));
                return Poll::Pending;
            }
            Some(key) => match state.waiters.poll(key, cx.waker()) {
                Polled::Waiting => return Poll::Pending,
                // The permit was handed over (and counted as held) by `give`.
                Polled::Notified(()) => this.key = None,
            },
        }
        drop(state);
        let shared = this.shared.take().expect("checked above");
        Poll::Ready(SemaphorePermit { shared })
    }
}

impl Drop for SemaphoreAcquire {
    fn drop(&mut self) {
        if let (Some(shared), Some(key)) = (&self.shared, self.key) {
            let handed_over = shared.state.borrow_mut().waiters.remove(key).is_some();
            if handed_over {
                shared.put_back();
            }
        }
    }
}

/// [`BoundedSemaphore::release`] would raise the permits above the initial value.
///
/// ```
/// let slots = resumable::sync::BoundedSemaphore::new(1);
/// let error = slots.release().unwrap_err();
/// assert!(error.to_string().contains("released too many times"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyReleases {
    bound: usize,
}

impl fmt::Display for TooManyReleases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedSemaphore released too many times: all {} permits are already free or \
             held by a guard; release only permits given up with `SemaphorePermit::forget` \
             (a dropped guard gives its permit back by itself)",
            self.bound
        )
    }
}

impl std::error::Error for TooManyReleases {}
