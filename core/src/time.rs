//! Time: [`sleep`], [`sleep_until`], [`timeout`], [`interval`] and the runtime's
//! [`Instant`].
//!
//! Timers are ordered by (deadline, creation order), next to a slab of entries. A timer
//! armed no earlier than the last one armed (the common case: the same delay everywhere)
//! joins a queue in order, O(1); any other joins a binary heap, O(log n); the next to fire
//! is the earlier of the two fronts. Cancelling (dropping a [`Sleep`]) is O(1): the entry
//! is freed; its stale item is skipped when it surfaces, and both are rebuilt when stale
//! items outnumber live ones. Timers with equal deadlines fire in creation order.
//!
//! The clock belongs to the runtime: with virtual time it stands still while tasks run
//! and jumps to the next deadline when all are idle.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::future::Future;
use std::ops::{Add, AddAssign, Sub};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::runtime::context;
use crate::scheduler::{Runnable, Scheduler};

/// A point in time on the runtime's clock (virtual or real).
///
/// ```
/// use resumable::time::{sleep, Instant};
/// use std::time::Duration;
///
/// let rt = resumable::Runtime::builder().virtual_time(true).build().unwrap();
/// rt.block_on(async {
///     let t0 = Instant::now();
///     sleep(Duration::from_millis(250)).await;
///     assert_eq!(Instant::now() - t0, Duration::from_millis(250));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(std::time::Instant);

impl Instant {
    /// The current time of the running runtime's clock (the system's monotonic clock
    /// outside a runtime).
    ///
    /// ```
    /// let a = resumable::time::Instant::now();
    /// assert!(resumable::time::Instant::now() >= a);
    /// ```
    pub fn now() -> Instant {
        Instant(context::with_core(|c| c.timers.now()).unwrap_or_else(std::time::Instant::now))
    }

    /// Time elapsed since `self`, on the runtime's clock.
    ///
    /// ```
    /// let a = resumable::time::Instant::now();
    /// let _ = a.elapsed();
    /// ```
    pub fn elapsed(&self) -> Duration {
        Instant::now().0.saturating_duration_since(self.0)
    }

    /// `self - earlier`, or zero if `earlier` is later.
    ///
    /// ```
    /// use std::time::Duration;
    /// let a = resumable::time::Instant::now();
    /// assert_eq!((a + Duration::from_secs(1)).saturating_duration_since(a), Duration::from_secs(1));
    /// ```
    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    /// The `std` instant this wraps.
    ///
    /// ```
    /// let _: std::time::Instant = resumable::time::Instant::now().into_std();
    /// ```
    pub fn into_std(self) -> std::time::Instant {
        self.0
    }

    /// Wraps a `std` instant.
    ///
    /// ```
    /// let _ = resumable::time::Instant::from_std(std::time::Instant::now());
    /// ```
    pub fn from_std(instant: std::time::Instant) -> Instant {
        Instant(instant)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, rhs: Duration) -> Instant {
        Instant(self.0 + rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        self.0 += rhs;
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, rhs: Instant) -> Duration {
        self.0.saturating_duration_since(rhs.0)
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, rhs: Duration) -> Instant {
        Instant(self.0 - rhs)
    }
}

// ---- the timer queue ----

struct Entry {
    /// The heap item currently valid for this entry (0: the slot is free).
    seq: u64,
    waker: Option<Waker>,
    fired: bool,
}

impl Entry {
    /// True if the item `seq` is this entry's and has not fired yet.
    fn holds(&self, seq: u64) -> bool {
        self.seq == seq && !self.fired
    }
}

/// A timer's place in the order: (deadline, creation order, entry key).
type Item = (std::time::Instant, u64, u32);

/// Timer items in (deadline, creation order) order: those armed in order in a queue, the
/// rest in a heap.
#[derive(Default)]
struct Due {
    /// Items in increasing order, each armed no earlier than the one before it.
    sorted: VecDeque<Item>,
    /// Items that were earlier than the queue's back when armed.
    heap: BinaryHeap<Reverse<Item>>,
}

impl Due {
    fn len(&self) -> usize {
        self.sorted.len() + self.heap.len()
    }

    fn push(&mut self, item: Item) {
        match self.sorted.back() {
            Some(back) if item < *back => self.heap.push(Reverse(item)),
            _ => self.sorted.push_back(item),
        }
    }

    /// The earliest item, and whether it is the heap's.
    fn front(&self) -> Option<(Item, bool)> {
        match (self.sorted.front(), self.heap.peek()) {
            (Some(&a), Some(&Reverse(b))) => Some(if b < a { (b, true) } else { (a, false) }),
            (Some(&a), None) => Some((a, false)),
            (None, Some(&Reverse(b))) => Some((b, true)),
            (None, None) => None,
        }
    }

    /// The earliest item.
    fn peek(&self) -> Option<Item> {
        self.front().map(|(item, _)| item)
    }

    /// Removes the earliest item.
    fn pop(&mut self) {
        match self.front() {
            Some((_, true)) => drop(self.heap.pop()),
            Some((_, false)) => drop(self.sorted.pop_front()),
            None => {}
        }
    }

    /// Keeps the items `keep` accepts.
    fn retain(&mut self, mut keep: impl FnMut(&Item) -> bool) {
        self.sorted.retain(&mut keep);
        self.heap.retain(|Reverse(item)| keep(item));
    }

    fn clear(&mut self) {
        self.sorted.clear();
        self.heap.clear();
    }
}

#[derive(Default)]
struct Queue {
    due: Due,
    entries: Vec<Entry>,
    free: Vec<u32>,
    live: usize,
    next_seq: u64,
}

impl Queue {
    fn valid(&self, seq: u64, key: u32) -> bool {
        self.entries[key as usize].holds(seq)
    }

    /// Drops stale items from the front.
    fn settle(&mut self) {
        while let Some((_, seq, key)) = self.due.peek() {
            if self.valid(seq, key) {
                break;
            }
            self.due.pop();
        }
    }
}

/// A runtime's timers and clock.
pub(crate) struct Timers {
    virtual_time: bool,
    base: std::time::Instant,
    offset: Cell<Duration>,
    queue: RefCell<Queue>,
}

impl Timers {
    pub(crate) fn new(virtual_time: bool) -> Timers {
        Timers {
            virtual_time,
            base: std::time::Instant::now(),
            offset: Cell::new(Duration::ZERO),
            queue: RefCell::new(Queue {
                next_seq: 1,
                ..Queue::default()
            }),
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        self.virtual_time
    }

    pub(crate) fn now(&self) -> std::time::Instant {
        if self.virtual_time {
            self.base + self.offset.get()
        } else {
            std::time::Instant::now()
        }
    }

    /// Moves the virtual clock forward to `deadline` (never backwards).
    pub(crate) fn advance_to(&self, deadline: std::time::Instant) {
        let offset = deadline.saturating_duration_since(self.base);
        if offset > self.offset.get() {
            self.offset.set(offset);
        }
    }

    fn insert(&self, deadline: std::time::Instant, waker: Waker) -> (u32, u64) {
        let mut q = self.queue.borrow_mut();
        let seq = q.next_seq;
        q.next_seq += 1;
        let entry = Entry {
            seq,
            waker: Some(waker),
            fired: false,
        };
        let key = match q.free.pop() {
            Some(key) => {
                q.entries[key as usize] = entry;
                key
            }
            None => {
                q.entries.push(entry);
                u32::try_from(q.entries.len() - 1).expect("fewer than 2^32 timers")
            }
        };
        q.live += 1;
        q.due.push((deadline, seq, key));
        (key, seq)
    }

    /// True once fired; otherwise remembers `waker`.
    fn poll_fired(&self, key: u32, seq: u64, waker: &Waker) -> bool {
        let old = {
            let mut q = self.queue.borrow_mut();
            let e = &mut q.entries[key as usize];
            debug_assert_eq!(e.seq, seq);
            if e.fired {
                return true;
            }
            match &e.waker {
                Some(w) if w.will_wake(waker) => None,
                _ => e.waker.replace(waker.clone()),
            }
        };
        drop(old); // outside the borrow: dropping a waker may free a task
        false
    }

    fn remove(&self, key: u32, seq: u64) {
        let old = {
            let mut q = self.queue.borrow_mut();
            let e = &mut q.entries[key as usize];
            if e.seq != seq {
                return;
            }
            e.seq = 0;
            let old = e.waker.take();
            q.free.push(key);
            q.live -= 1;
            if q.due.len() > 64 && q.due.len() > 2 * q.live {
                let Queue { due, entries, .. } = &mut *q;
                due.retain(|&(_, seq, key)| entries[key as usize].holds(seq));
            }
            old
        };
        drop(old);
    }

    pub(crate) fn next_deadline(&self) -> Option<std::time::Instant> {
        let mut q = self.queue.borrow_mut();
        if q.live == 0 {
            return None;
        }
        q.settle();
        q.due.peek().map(|(d, _, _)| d)
    }

    /// Queues the wakers of every expired timer, in (deadline, creation) order. Reads
    /// the clock only if a timer is armed.
    #[inline]
    pub(crate) fn fire_expired(&self, sched: &Scheduler) {
        if self.queue.borrow().live > 0 {
            self.fire_expired_now(sched);
        }
    }

    fn fire_expired_now(&self, sched: &Scheduler) {
        let mut q = self.queue.borrow_mut();
        if sched.closed.get() {
            return;
        }
        let now = self.now();
        let mut fired = 0usize;
        loop {
            q.settle();
            match q.due.peek() {
                Some((deadline, _, key)) if deadline <= now => {
                    q.due.pop();
                    let e = &mut q.entries[key as usize];
                    e.fired = true;
                    if let Some(w) = e.waker.take() {
                        // Queueing never runs or drops the waker (the scheduler is
                        // open), so the queue's borrow is not re-entered.
                        sched.push(Runnable::Wake(w));
                        fired += 1;
                    }
                }
                _ => break,
            }
        }
        if fired > 0 {
            crate::runtime::trace::event!(TRACE, timers = fired, "timer fired");
        }
    }

    /// Forgets every timer (runtime teardown).
    pub(crate) fn clear(&self) {
        let wakers: Vec<_> = {
            let mut q = self.queue.borrow_mut();
            q.due.clear();
            q.entries
                .iter_mut()
                .filter_map(|e| e.waker.take())
                .collect()
        };
        drop(wakers);
    }
}

// ---- sleep ----

struct Armed {
    timers: Rc<Timers>,
    key: u32,
    seq: u64,
}

impl Drop for Armed {
    fn drop(&mut self) {
        self.timers.remove(self.key, self.seq);
    }
}

/// Waits until `duration` has passed, like `asyncio.sleep`. `sleep(Duration::ZERO)`
/// yields once, exactly like [`yield_now`](crate::yield_now) (asyncio's `sleep(0)`).
///
/// ```
/// use resumable::time::sleep;
/// use std::time::Duration;
///
/// resumable::run(async {
///     sleep(Duration::from_millis(10)).await;
/// });
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        deadline: Instant::now() + duration,
        zero: duration.is_zero(),
        yielded: false,
        armed: None,
    }
}

/// Waits until `deadline`. Always suspends at least once, even if the deadline has passed
/// (the timer fires in the next iteration, as `loop.call_at` does).
///
/// ```
/// use resumable::time::{sleep_until, Instant};
/// use std::time::Duration;
///
/// resumable::run(async {
///     sleep_until(Instant::now() + Duration::from_millis(5)).await;
/// });
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        zero: false,
        yielded: false,
        armed: None,
    }
}

/// The future returned by [`sleep`] and [`sleep_until`]. Dropping it cancels the timer.
///
/// ```
/// use std::time::Duration;
/// let s: resumable::time::Sleep = resumable::time::sleep(Duration::from_secs(1));
/// let _deadline = s.deadline();
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    deadline: Instant,
    zero: bool,
    yielded: bool,
    armed: Option<Armed>,
}

impl Sleep {
    /// When this sleep ends.
    ///
    /// ```
    /// use resumable::time::{sleep_until, Instant};
    /// let at = Instant::now();
    /// assert_eq!(sleep_until(at).deadline(), at);
    /// ```
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.zero {
            if self.yielded {
                return Poll::Ready(());
            }
            self.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        match &self.armed {
            Some(a) => {
                if a.timers.poll_fired(a.key, a.seq, cx.waker()) {
                    self.armed = None;
                    self.zero = true; // a later poll returns Ready without re-arming
                    self.yielded = true;
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None => {
                let timers = context::timers("sleep");
                let (key, seq) = timers.insert(self.deadline.0, cx.waker().clone());
                self.armed = Some(Armed { timers, key, seq });
                Poll::Pending
            }
        }
    }
}

// ---- timeout ----

/// The error of a [`timeout`] that expired.
///
/// ```
/// assert_eq!(resumable::time::Elapsed.to_string(), "deadline has elapsed");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

/// Runs `future` for at most `duration`: `Ok(output)`, or `Err(Elapsed)` after dropping
/// the future at its current yield point (asyncio's `timeout` / `wait_for`).
///
/// ```
/// use resumable::time::{sleep, timeout, Elapsed};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let slow = timeout(Duration::from_millis(5), sleep(Duration::from_secs(60)));
///     assert_eq!(slow.await, Err(Elapsed));
///     let quick = timeout(Duration::from_secs(60), async { 7 });
///     assert_eq!(quick.await, Ok(7));
/// });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        sleep: sleep_until(Instant::now() + duration),
    }
}

/// The future returned by [`timeout`].
///
/// ```
/// use std::time::Duration;
/// let _t: resumable::time::Timeout<std::future::Ready<()>> =
///     resumable::time::timeout(Duration::from_secs(1), std::future::ready(()));
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Timeout<F> {
    future: Option<F>,
    sleep: Sleep,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is polled in place and only ever
        // dropped in place (by `Pin::set` to `None`); `sleep` is `Unpin`. `Timeout` has
        // no `Drop` impl that could move it.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let mut future = unsafe { Pin::new_unchecked(&mut this.future) };
        let Some(inner) = future.as_mut().as_pin_mut() else {
            panic!("`Timeout` polled after completion");
        };
        if let Poll::Ready(v) = inner.poll(cx) {
            future.set(None);
            return Poll::Ready(Ok(v));
        }
        if Pin::new(&mut this.sleep).poll(cx).is_ready() {
            future.set(None);
            return Poll::Ready(Err(Elapsed));
        }
        Poll::Pending
    }
}

// ---- interval ----

/// Ticks every `period`; the first tick completes at once. Missed ticks are not skipped:
/// a late ticker catches up in a burst.
///
/// ```
/// use resumable::time::interval;
/// use std::time::Duration;
///
/// let rt = resumable::Runtime::builder().virtual_time(true).build().unwrap();
/// rt.block_on(async {
///     let ticker = interval(Duration::from_secs(1));
///     let first = ticker.tick().await;
///     let second = ticker.tick().await;
///     assert_eq!(second - first, Duration::from_secs(1));
/// });
/// ```
pub fn interval(period: Duration) -> Interval {
    assert!(!period.is_zero(), "interval(): the period must be non-zero");
    Interval {
        next: Rc::new(Cell::new(Instant::now())),
        period,
    }
}

/// A periodic ticker; see [`interval`].
///
/// ```
/// let i = resumable::time::interval(std::time::Duration::from_secs(1));
/// assert_eq!(i.period(), std::time::Duration::from_secs(1));
/// ```
#[derive(Debug)]
pub struct Interval {
    next: Rc<Cell<Instant>>,
    period: Duration,
}

impl Interval {
    /// Waits for the next tick and returns its scheduled time.
    ///
    /// ```
    /// resumable::run(async {
    ///     let i = resumable::time::interval(std::time::Duration::from_millis(1));
    ///     i.tick().await;
    /// });
    /// ```
    pub fn tick(&self) -> Tick {
        Tick {
            next: self.next.clone(),
            period: self.period,
            sleep: None,
        }
    }

    /// The period.
    ///
    /// ```
    /// let i = resumable::time::interval(std::time::Duration::from_secs(2));
    /// assert_eq!(i.period().as_secs(), 2);
    /// ```
    pub fn period(&self) -> Duration {
        self.period
    }
}

/// The future returned by [`Interval::tick`].
///
/// ```
/// let i = resumable::time::interval(std::time::Duration::from_secs(1));
/// let _t: resumable::time::Tick = i.tick();
/// ```
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Tick {
    next: Rc<Cell<Instant>>,
    period: Duration,
    sleep: Option<Sleep>,
}

impl Future for Tick {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        let due = self.next.get();
        if self.sleep.is_none() {
            if due <= Instant::now() {
                self.next.set(due + self.period);
                return Poll::Ready(due);
            }
            self.sleep = Some(sleep_until(due));
        }
        let sleep = self.sleep.as_mut().expect("armed above");
        if Pin::new(sleep).poll(cx).is_ready() {
            self.sleep = None;
            self.next.set(due + self.period);
            return Poll::Ready(due);
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pops every item of `due`, in order.
    fn drain(due: &mut Due) -> Vec<Item> {
        std::iter::from_fn(|| {
            let item = due.peek()?;
            due.pop();
            Some(item)
        })
        .collect()
    }

    #[test]
    fn items_armed_in_any_order_come_out_by_deadline_then_creation() {
        let base = std::time::Instant::now();
        let mut due = Due::default();
        let mut armed = Vec::new();
        // A pseudo-random walk of deadlines: mostly rising (the queue's case), with
        // repeats and earlier ones (the heap's), as real programs arm them.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut at = 1_000u64;
        for seq in 1..=5_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            at = match x % 4 {
                0 => at,
                1 => at.saturating_sub(x % 10),
                _ => at + x % 20,
            };
            let item = (base + Duration::from_micros(at), seq, seq as u32);
            due.push(item);
            armed.push(item);
        }
        assert!(due.heap.len() > 100 && due.sorted.len() > 100);
        armed.sort();
        assert_eq!(drain(&mut due), armed);
    }

    #[test]
    fn retain_keeps_the_order_of_what_it_keeps() {
        let base = std::time::Instant::now();
        let mut due = Due::default();
        for seq in 0..100u64 {
            let at = if seq % 3 == 0 { 100 - seq } else { seq };
            due.push((base + Duration::from_millis(at), seq, seq as u32));
        }
        due.retain(|&(_, seq, _)| seq % 2 == 0);
        assert_eq!(due.len(), 50);
        let out = drain(&mut due);
        assert!(out.iter().all(|&(_, seq, _)| seq % 2 == 0));
        assert!(out.windows(2).all(|w| w[0] < w[1]));
    }
}
