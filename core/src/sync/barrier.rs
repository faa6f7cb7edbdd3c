//! [`Barrier`]: asyncio's `Barrier`, a meeting point for a fixed number of tasks.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::{wake_all, Polled, WaiterKey, Waiters};

struct State {
    parties: usize,
    broken: bool,
    /// Each waiter is handed its index, or the news that the barrier broke.
    waiters: Waiters<Result<usize, BrokenBarrier>>,
}

/// asyncio's `Barrier`: [`wait`](Barrier::wait) suspends until `parties` tasks wait, then
/// all of them go on, and the barrier is ready for the next round.
///
/// Each task gets an index in `0..parties`: its arrival order in the round, the last one
/// to arrive getting `parties - 1`. A waiter cancelled before the round is complete
/// leaves it (it no longer counts). [`abort`](Barrier::abort) breaks the barrier: waiting
/// and later `wait`s fail with [`BrokenBarrier`] until [`reset`](Barrier::reset).
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Barrier;
/// use futures::future::join3;
///
/// let barrier = Barrier::new(3);
/// let (a, b, c) = futures::executor::block_on(join3(barrier.wait(), barrier.wait(), barrier.wait()));
/// assert_eq!((a, b, c), (Ok(0), Ok(1), Ok(2)));
/// ```
#[derive(Clone)]
pub struct Barrier {
    state: Rc<RefCell<State>>,
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties())
            .field("n_waiting", &self.n_waiting())
            .field("broken", &self.broken())
            .finish()
    }
}

impl Barrier {
    /// A barrier for `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 (asyncio's `ValueError: parties must be > 0`).
    ///
    /// ```
    /// assert_eq!(resumable::sync::Barrier::new(2).parties(), 2);
    /// ```
    pub fn new(parties: usize) -> Self {
        assert!(
            parties > 0,
            "a barrier needs at least one party: Barrier::new(parties) with parties > 0"
        );
        Barrier {
            state: Rc::new(RefCell::new(State {
                parties,
                broken: false,
                waiters: Waiters::new(),
            })),
        }
    }

    /// Waits until `parties` tasks wait; returns this task's index in the round.
    ///
    /// ```
    /// let barrier = resumable::sync::Barrier::new(1);
    /// assert_eq!(futures::executor::block_on(barrier.wait()), Ok(0));
    /// ```
    pub fn wait(&self) -> BarrierWait {
        BarrierWait {
            barrier: self.clone(),
            key: None,
            done: false,
        }
    }

    /// Breaks the barrier: every waiting task and every later `wait` fails with
    /// [`BrokenBarrier`], until [`reset`](Barrier::reset).
    ///
    /// ```
    /// let barrier = resumable::sync::Barrier::new(2);
    /// barrier.abort();
    /// assert!(futures::executor::block_on(barrier.wait()).is_err());
    /// ```
    pub fn abort(&self) {
        let mut state = self.state.borrow_mut();
        state.broken = true;
        let wakers = state.waiters.notify_all(|| Err(BrokenBarrier));
        drop(state);
        wake_all(wakers);
    }

    /// Returns the barrier to its empty, unbroken state; tasks waiting now fail with
    /// [`BrokenBarrier`] (asyncio's `reset()`).
    ///
    /// ```
    /// let barrier = resumable::sync::Barrier::new(1);
    /// barrier.abort();
    /// barrier.reset();
    /// assert!(!barrier.broken());
    /// ```
    pub fn reset(&self) {
        let mut state = self.state.borrow_mut();
        state.broken = false;
        let wakers = state.waiters.notify_all(|| Err(BrokenBarrier));
        drop(state);
        wake_all(wakers);
    }

    /// The number of tasks a round needs.
    ///
    /// ```
    /// assert_eq!(resumable::sync::Barrier::new(3).parties(), 3);
    /// ```
    pub fn parties(&self) -> usize {
        self.state.borrow().parties
    }

    /// The number of tasks waiting in the current round.
    ///
    /// ```
    /// assert_eq!(resumable::sync::Barrier::new(3).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        self.state.borrow().waiters.waiting()
    }

    /// Whether the barrier is broken.
    ///
    /// ```
    /// assert!(!resumable::sync::Barrier::new(3).broken());
    /// ```
    pub fn broken(&self) -> bool {
        self.state.borrow().broken
    }
}

/// The future of [`Barrier::wait`]: this task's index in the round, or [`BrokenBarrier`].
///
/// ```
/// let barrier = resumable::sync::Barrier::new(1);
/// let wait: resumable::sync::BarrierWait = barrier.wait();
/// assert_eq!(futures::executor::block_on(wait), Ok(0));
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct BarrierWait {
    barrier: Barrier,
    key: Option<WaiterKey>,
    done: bool,
}

impl fmt::Debug for BarrierWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWait")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Future for BarrierWait {
    type Output = Result<usize, BrokenBarrier>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        assert!(!this.done, "`BarrierWait` polled after completion");
        let mut state = this.barrier.state.borrow_mut();
        if let Some(key) = this.key {
            return match state.waiters.poll(key, cx.waker()) {
                Polled::Waiting => Poll::Pending,
                Polled::Notified(result) => {
                    this.key = None;
                    this.done = true;
                    Poll::Ready(result)
                }
            };
        }
        if state.broken {
            this.done = true;
            return Poll::Ready(Err(BrokenBarrier));
        }
        let index = state.waiters.waiting();
        if index + 1 < state.parties {
            this.key = Some(state.waiters.push(cx.waker()));
            return Poll::Pending;
        }
        // The last party: release the round, in arrival order.
        let mut next = 0;
        let wakers = state.waiters.notify_all(|| {
            next += 1;
            Ok(next - 1)
        });
        drop(state);
        wake_all(wakers);
        this.done = true;
        Poll::Ready(Ok(index))
    }
}

impl Drop for BarrierWait {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            // Leaving before the round completes: no longer counted. Leaving after it
            // completed: the round happened without us; nothing to pass on.
            self.barrier.state.borrow_mut().waiters.remove(key);
        }
    }
}

/// [`Barrier::wait`] failed: the barrier was aborted or reset.
///
/// ```
/// use resumable::sync::{Barrier, BrokenBarrier};
///
/// let barrier = Barrier::new(2);
/// barrier.abort();
/// assert_eq!(futures::executor::block_on(barrier.wait()), Err(BrokenBarrier));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrokenBarrier;

impl fmt::Display for BrokenBarrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the barrier is broken (aborted, or reset while tasks waited): this round will \
             not complete; call `reset()` before using the barrier again",
        )
    }
}

impl std::error::Error for BrokenBarrier {}
