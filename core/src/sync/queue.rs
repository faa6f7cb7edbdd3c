//! [`Queue`]: asyncio's `Queue`, `LifoQueue` and `PriorityQueue`, with owned futures.
//!
//! Items live in a [`Buffer`] (FIFO, LIFO or priority order). When a `get` is waiting
//! and an item arrives, the item stays in the buffer and is *reserved* for the first
//! waiting getter, which takes it when it runs: no later getter can overtake it, and if it
//! is cancelled first the reservation passes to the next getter. Free places of a bounded
//! queue are reserved for waiting putters the same way.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::waiters::{wake_all, Polled, WaiterKey, Waiters};

/// The storage order of a [`Queue`]: which item `pop` returns.
///
/// Implement it to get asyncio's "subclass `Queue` and override `_put`/`_get`".
/// `len` must count exactly the items `pop` can return. The methods run while the queue
/// is borrowed, so they (and the `Drop` of an item they discard) must not call back into
/// the queue: that panics with a `RefCell` borrow error.
///
/// ```
/// use resumable::sync::{Buffer, Queue};
///
/// /// Keeps only even numbers; odd ones are dropped on the way in.
/// #[derive(Default)]
/// struct Evens(Vec<u32>);
///
/// impl Buffer<u32> for Evens {
///     fn push(&mut self, item: u32) { if item % 2 == 0 { self.0.push(item) } }
///     fn pop(&mut self) -> Option<u32> { self.0.pop() }
///     fn len(&self) -> usize { self.0.len() }
/// }
///
/// let queue = Queue::with_buffer(Evens::default(), None);
/// queue.put_nowait(1).unwrap();
/// queue.put_nowait(2).unwrap();
/// assert_eq!(queue.qsize(), 1);
/// ```
pub trait Buffer<T> {
    /// Stores an item.
    fn push(&mut self, item: T);
    /// Removes the next item, if any.
    fn pop(&mut self) -> Option<T>;
    /// Number of items stored.
    fn len(&self) -> usize;
    /// Whether no item is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First in, first out: the buffer of [`Queue::new`] (asyncio's `Queue`).
///
/// ```
/// use resumable::sync::{Buffer, Fifo};
///
/// let mut buffer = Fifo::default();
/// buffer.push(1);
/// buffer.push(2);
/// assert_eq!(buffer.pop(), Some(1));
/// ```
#[derive(Debug)]
pub struct Fifo<T>(VecDeque<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Buffer<T> for Fifo<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Last in, first out: the buffer of [`LifoQueue`] (asyncio's `LifoQueue`).
///
/// ```
/// use resumable::sync::{Buffer, Lifo};
///
/// let mut buffer = Lifo::default();
/// buffer.push(1);
/// buffer.push(2);
/// assert_eq!(buffer.pop(), Some(2));
/// ```
#[derive(Debug)]
pub struct Lifo<T>(Vec<T>);

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T> Buffer<T> for Lifo<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(item);
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first, like asyncio's `PriorityQueue` (a `heapq`): the buffer of
/// [`PriorityQueue`]. Use tuples `(priority, item)` as in Python.
///
/// ```
/// use resumable::sync::{Buffer, Priority};
///
/// let mut buffer = Priority::default();
/// buffer.push((2, "low"));
/// buffer.push((1, "high"));
/// assert_eq!(buffer.pop(), Some((1, "high")));
/// ```
#[derive(Debug)]
pub struct Priority<T>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Default for Priority<T> {
    fn default() -> Self {
        Priority(BinaryHeap::new())
    }
}

impl<T: Ord> Buffer<T> for Priority<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// asyncio's `LifoQueue`: a [`Queue`] whose `get` returns the newest item.
///
/// ```
/// use resumable::sync::{LifoQueue, Queue};
///
/// let stack: LifoQueue<u8> = Queue::lifo();
/// stack.put_nowait(1).unwrap();
/// stack.put_nowait(2).unwrap();
/// assert_eq!(stack.get_nowait().unwrap(), 2);
/// ```
pub type LifoQueue<T> = Queue<T, Lifo<T>>;

/// asyncio's `PriorityQueue`: a [`Queue`] whose `get` returns the smallest item.
///
/// ```
/// use resumable::sync::{PriorityQueue, Queue};
///
/// let jobs: PriorityQueue<(u8, &str)> = Queue::priority();
/// jobs.put_nowait((5, "later")).unwrap();
/// jobs.put_nowait((1, "first")).unwrap();
/// assert_eq!(jobs.get_nowait().unwrap(), (1, "first"));
/// ```
pub type PriorityQueue<T> = Queue<T, Priority<T>>;

/// What a notified waiter of a queue was handed.
enum Grant {
    /// An item (for a getter) or a free place (for a putter) set aside for it.
    Reserved,
    /// Nothing: the queue was shut down.
    ShutDown,
}

struct State<T, B> {
    buffer: B,
    capacity: Option<usize>,
    getters: Waiters<Grant>,
    putters: Waiters<Grant>,
    joiners: Waiters<()>,
    /// Items in `buffer` set aside for notified getters.
    reserved_items: usize,
    /// Free places set aside for notified putters.
    reserved_places: usize,
    /// Items put and not yet marked done with `task_done`.
    unfinished: usize,
    shut_down: bool,
    _items: PhantomData<fn(T) -> T>,
}

impl<T, B: Buffer<T>> State<T, B> {
    #[inline]
    fn is_full(&self) -> bool {
        self.capacity
            .is_some_and(|capacity| self.buffer.len() + self.reserved_places >= capacity)
    }

    /// Whether an item is there that no notified getter has a claim on.
    #[inline]
    fn has_free_item(&self) -> bool {
        self.buffer.len() > self.reserved_items
    }

    /// Stores an item; returns the waker of the getter it is reserved for, if any.
    #[inline]
    fn push(&mut self, item: T) -> Option<Waker> {
        self.buffer.push(item);
        self.unfinished += 1;
        self.wake_getter()
    }

    /// Takes an item; returns the waker of the putter the freed place is reserved for.
    #[inline]
    fn pop(&mut self) -> (T, Option<Waker>) {
        let item = self.buffer.pop().expect("the buffer lost an item");
        (item, self.wake_putter())
    }

    fn wake_getter(&mut self) -> Option<Waker> {
        if self.has_free_item() {
            if let Ok(waker) = self.getters.notify_one(Grant::Reserved) {
                self.reserved_items += 1;
                return Some(waker);
            }
        }
        None
    }

    fn wake_putter(&mut self) -> Option<Waker> {
        if !self.shut_down && !self.is_full() {
            if let Ok(waker) = self.putters.notify_one(Grant::Reserved) {
                self.reserved_places += 1;
                return Some(waker);
            }
        }
        None
    }

    fn finish_tasks(&mut self, count: usize) -> Vec<Waker> {
        self.unfinished -= count;
        if self.unfinished == 0 {
            self.joiners.notify_all(|| ())
        } else {
            Vec::new()
        }
    }
}

#[inline]
fn wake(waker: Option<Waker>) {
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// asyncio's `Queue`: a FIFO (or [LIFO](LifoQueue), or [priority](PriorityQueue)) queue
/// of items between tasks of one event loop, unbounded or bounded.
///
/// A `Queue` is a handle: clones share the same queue. Every future it returns owns a
/// clone, so it is `'static` and can be stored next to the queue in a coroutine's state.
/// Waiting getters and putters are served in FIFO order; a `get` or `put` cancelled (its
/// future dropped) while waiting consumes nothing and passes on any item or place that
/// had been set aside for it.
///
/// # Fairness, and where it differs from asyncio
///
/// An item that arrives while getters wait is set aside for the first of them. It still
/// counts in [`qsize`](Queue::qsize) (as in asyncio, where it stays in the queue until the
/// woken getter runs), but `get_nowait` from another task cannot take it: asyncio would let
/// that task overtake, and the woken getter would go back to waiting, at the end of the
/// line. Likewise a free place of a bounded queue is set aside for the first waiting
/// putter, so `put_nowait` may fail while [`full`](Queue::full) is false. Programs that do
/// not race `*_nowait` calls against waiting tasks behave exactly as under asyncio.
///
/// Loop-local: `Queue` is neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Queue;
/// use futures::executor::block_on;
///
/// let queue = Queue::with_capacity(2);
/// block_on(async {
///     queue.put("a").await.unwrap();
///     queue.put("b").await.unwrap();
///     assert!(queue.full());
///     assert_eq!(queue.get().await.unwrap(), "a");
///     queue.task_done().unwrap();
/// });
/// ```
pub struct Queue<T, B = Fifo<T>> {
    state: Rc<RefCell<State<T, B>>>,
}

impl<T, B> Clone for Queue<T, B> {
    fn clone(&self) -> Self {
        Queue {
            state: Rc::clone(&self.state),
        }
    }
}

impl<T, B: Buffer<T>> fmt::Debug for Queue<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.borrow();
        f.debug_struct("Queue")
            .field("qsize", &state.buffer.len())
            .field("capacity", &state.capacity)
            .field("shut_down", &state.shut_down)
            .finish_non_exhaustive()
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue::new()
    }
}

impl<T> Queue<T> {
    /// An unbounded FIFO queue (asyncio's `Queue()`).
    ///
    /// ```
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// assert_eq!(queue.qsize(), 1);
    /// ```
    pub fn new() -> Self {
        Queue::with_buffer(Fifo::default(), None)
    }

    /// A FIFO queue holding at most `capacity` items (asyncio's `Queue(maxsize)`):
    /// `put` waits while it is full.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0 (asyncio reads `maxsize=0` as unbounded: use [`Queue::new`]).
    ///
    /// ```
    /// let queue = resumable::sync::Queue::with_capacity(1);
    /// queue.put_nowait(1).unwrap();
    /// assert!(queue.put_nowait(2).is_err());
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Queue::with_buffer(Fifo::default(), Some(capacity))
    }
}

impl<T> Queue<T, Lifo<T>> {
    /// An unbounded [`LifoQueue`].
    ///
    /// ```
    /// let stack = resumable::sync::Queue::lifo();
    /// stack.put_nowait('a').unwrap();
    /// stack.put_nowait('b').unwrap();
    /// assert_eq!(stack.get_nowait().unwrap(), 'b');
    /// ```
    pub fn lifo() -> Self {
        Queue::with_buffer(Lifo::default(), None)
    }

    /// A [`LifoQueue`] holding at most `capacity` items.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0.
    ///
    /// ```
    /// let stack = resumable::sync::Queue::lifo_with_capacity(1);
    /// stack.put_nowait('a').unwrap();
    /// assert!(stack.full());
    /// ```
    pub fn lifo_with_capacity(capacity: usize) -> Self {
        Queue::with_buffer(Lifo::default(), Some(capacity))
    }
}

impl<T: Ord> Queue<T, Priority<T>> {
    /// An unbounded [`PriorityQueue`]: `get` returns the smallest item.
    ///
    /// ```
    /// let jobs = resumable::sync::Queue::priority();
    /// jobs.put_nowait(3).unwrap();
    /// jobs.put_nowait(1).unwrap();
    /// assert_eq!(jobs.get_nowait().unwrap(), 1);
    /// ```
    pub fn priority() -> Self {
        Queue::with_buffer(Priority::default(), None)
    }

    /// A [`PriorityQueue`] holding at most `capacity` items.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0.
    ///
    /// ```
    /// let jobs = resumable::sync::Queue::priority_with_capacity(1);
    /// jobs.put_nowait(3).unwrap();
    /// assert!(jobs.full());
    /// ```
    pub fn priority_with_capacity(capacity: usize) -> Self {
        Queue::with_buffer(Priority::default(), Some(capacity))
    }
}

impl<T, B: Buffer<T>> Queue<T, B> {
    /// A queue over any [`Buffer`], unbounded (`None`) or bounded.
    ///
    /// # Panics
    ///
    /// If `capacity` is `Some(0)` (a queue that can hold nothing; use `None` for unbounded).
    ///
    /// ```
    /// use resumable::sync::{Lifo, Queue};
    ///
    /// let stack = Queue::with_buffer(Lifo::default(), Some(8));
    /// stack.put_nowait(1).unwrap();
    /// assert_eq!(stack.capacity(), Some(8));
    /// ```
    pub fn with_buffer(buffer: B, capacity: Option<usize>) -> Self {
        assert!(
            capacity != Some(0),
            "a queue of capacity 0 can hold nothing: give a capacity of at least 1, \
             or use an unbounded queue (asyncio's maxsize=0 means unbounded)"
        );
        Queue {
            state: Rc::new(RefCell::new(State {
                buffer,
                capacity,
                getters: Waiters::new(),
                putters: Waiters::new(),
                joiners: Waiters::new(),
                reserved_items: 0,
                reserved_places: 0,
                unfinished: 0,
                shut_down: false,
                _items: PhantomData,
            })),
        }
    }

    /// Puts an item, waiting while the queue is full. Fails (handing the item back)
    /// if the queue is or gets shut down.
    ///
    /// Dropping the future before it completes drops the item with it; nothing else is
    /// lost (a place that had been set aside for it goes to the next putter).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = resumable::sync::Queue::with_capacity(1);
    /// queue.put(1).await.unwrap();
    /// assert!(queue.full());
    /// # });
    /// ```
    pub fn put(&self, item: T) -> Put<T, B> {
        Put {
            queue: self.clone(),
            item: Some(item),
            key: None,
        }
    }

    /// Removes and returns an item, waiting while the queue is empty. Fails once the
    /// queue is shut down and has no items left.
    ///
    /// Dropping the future before it completes consumes nothing.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait("job").unwrap();
    /// assert_eq!(queue.get().await.unwrap(), "job");
    /// # });
    /// ```
    pub fn get(&self) -> Get<T, B> {
        Get {
            queue: self.clone(),
            key: None,
            done: false,
        }
    }

    /// Puts an item if there is room now; otherwise hands it back in the error.
    ///
    /// ```
    /// use resumable::sync::{Queue, TryPutError};
    ///
    /// let queue = Queue::with_capacity(1);
    /// queue.put_nowait(1).unwrap();
    /// assert!(matches!(queue.put_nowait(2), Err(TryPutError::Full(2))));
    /// ```
    pub fn put_nowait(&self, item: T) -> Result<(), TryPutError<T>> {
        let mut state = self.state.borrow_mut();
        if state.shut_down {
            return Err(TryPutError::ShutDown(item));
        }
        if state.is_full() {
            return Err(TryPutError::Full(item));
        }
        let waker = state.push(item);
        drop(state);
        wake(waker);
        Ok(())
    }

    /// Removes and returns an item if one is there now (and not set aside for a getter
    /// that was waiting before).
    ///
    /// ```
    /// use resumable::sync::{Queue, TryGetError};
    ///
    /// let queue = Queue::<u8>::new();
    /// assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
    /// ```
    pub fn get_nowait(&self) -> Result<T, TryGetError> {
        let mut state = self.state.borrow_mut();
        if state.has_free_item() {
            let (item, waker) = state.pop();
            drop(state);
            wake(waker);
            Ok(item)
        } else if state.shut_down {
            Err(TryGetError::ShutDown)
        } else {
            Err(TryGetError::Empty)
        }
    }

    /// Marks one item taken with `get` as processed. When every item put has been
    /// marked, [`join`](Queue::join) completes.
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] if called more times than items were put (asyncio's
    /// `ValueError`); the count is left unchanged.
    ///
    /// ```
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// queue.get_nowait().unwrap();
    /// assert!(queue.task_done().is_ok());
    /// assert!(queue.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.state.borrow_mut();
        if state.unfinished == 0 {
            return Err(TaskDoneError);
        }
        let wakers = state.finish_tasks(1);
        drop(state);
        wake_all(wakers);
        Ok(())
    }

    /// Waits until every item put has been marked with [`task_done`](Queue::task_done).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// let join = queue.join();
    /// queue.get_nowait().unwrap();
    /// queue.task_done().unwrap();
    /// join.await;
    /// # });
    /// ```
    pub fn join(&self) -> Join<T, B> {
        Join {
            queue: self.clone(),
            key: None,
        }
    }

    /// Number of items in the queue (including items set aside for woken getters that
    /// have not run yet, as in asyncio).
    ///
    /// ```
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// assert_eq!(queue.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        self.state.borrow().buffer.len()
    }

    /// Whether the queue holds no item.
    ///
    /// ```
    /// assert!(resumable::sync::Queue::<u8>::new().empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.state.borrow().buffer.is_empty()
    }

    /// Whether the queue holds `capacity` items (never true for an unbounded queue).
    ///
    /// ```
    /// let queue = resumable::sync::Queue::with_capacity(1);
    /// queue.put_nowait(1).unwrap();
    /// assert!(queue.full());
    /// ```
    pub fn full(&self) -> bool {
        let state = self.state.borrow();
        state
            .capacity
            .is_some_and(|capacity| state.buffer.len() >= capacity)
    }

    /// The bound given at construction (asyncio's `maxsize`), `None` if unbounded.
    ///
    /// ```
    /// assert_eq!(resumable::sync::Queue::<u8>::new().capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.state.borrow().capacity
    }

    /// Shuts the queue down gracefully (asyncio 3.13's `shutdown()`): `put` fails from
    /// now on and waiting putters get their item back in an error; `get` still returns
    /// the items left, then fails. Waiting `join`s keep waiting for `task_done`.
    ///
    /// ```
    /// use resumable::sync::{Queue, TryGetError};
    ///
    /// let queue = Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// queue.shutdown();
    /// assert!(queue.put_nowait(2).is_err());
    /// assert_eq!(queue.get_nowait(), Ok(1));
    /// assert_eq!(queue.get_nowait(), Err(TryGetError::ShutDown));
    /// ```
    pub fn shutdown(&self) {
        let mut state = self.state.borrow_mut();
        state.shut_down = true;
        let mut wakers = state.getters.notify_all(|| Grant::ShutDown);
        wakers.extend(state.putters.notify_all(|| Grant::ShutDown));
        drop(state);
        wake_all(wakers);
    }

    /// Shuts the queue down and empties it (asyncio 3.13's `shutdown(immediate=True)`):
    /// the items left are returned (never silently lost) and counted as done for
    /// [`join`](Queue::join); waiting getters fail at once.
    ///
    /// ```
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// queue.put_nowait(2).unwrap();
    /// assert_eq!(queue.shutdown_immediate(), vec![1, 2]);
    /// assert!(queue.empty());
    /// ```
    pub fn shutdown_immediate(&self) -> Vec<T> {
        let mut state = self.state.borrow_mut();
        state.shut_down = true;
        let mut drained = Vec::with_capacity(state.buffer.len());
        while let Some(item) = state.buffer.pop() {
            drained.push(item);
        }
        let count = drained.len().min(state.unfinished);
        let mut wakers = state.finish_tasks(count);
        wakers.extend(state.getters.notify_all(|| Grant::ShutDown));
        wakers.extend(state.putters.notify_all(|| Grant::ShutDown));
        drop(state);
        wake_all(wakers);
        drained
    }

    /// Whether [`shutdown`](Queue::shutdown) or
    /// [`shutdown_immediate`](Queue::shutdown_immediate) was called.
    ///
    /// ```
    /// let queue = resumable::sync::Queue::<u8>::new();
    /// queue.shutdown();
    /// assert!(queue.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        self.state.borrow().shut_down
    }

    /// A [`Stream`](futures_core::Stream) of the queue's items, ending when the queue is
    /// shut down and empty.
    ///
    /// ```
    /// use futures::StreamExt;
    ///
    /// let queue = resumable::sync::Queue::new();
    /// queue.put_nowait(1).unwrap();
    /// queue.put_nowait(2).unwrap();
    /// queue.shutdown();
    /// let items: Vec<i32> = futures::executor::block_on(queue.into_stream().collect());
    /// assert_eq!(items, [1, 2]);
    /// ```
    pub fn into_stream(self) -> QueueStream<T, B> {
        QueueStream {
            queue: self,
            get: None,
        }
    }
}

/// The future of [`Queue::put`]: completes once the item is in the queue.
///
/// ```
/// let queue = resumable::sync::Queue::with_capacity(1);
/// let put: resumable::sync::Put<u8> = queue.put(1);
/// futures::executor::block_on(put).unwrap();
/// assert!(queue.full());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Put<T, B: Buffer<T> = Fifo<T>> {
    queue: Queue<T, B>,
    item: Option<T>,
    key: Option<WaiterKey>,
}

impl<T, B: Buffer<T>> Unpin for Put<T, B> {}

impl<T, B: Buffer<T>> fmt::Debug for Put<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, B: Buffer<T>> Future for Put<T, B> {
    type Output = Result<(), PutError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut state = this.queue.state.borrow_mut();
        match this.key {
            None => {
                if this.item.is_some() && !state.shut_down && state.is_full() {
                    this.key = Some(state.putters.push(cx.waker()));
                    return Poll::Pending;
                }
            }
            Some(key) => match state.putters.poll(key, cx.waker()) {
                Polled::Waiting => return Poll::Pending,
                Polled::Notified(grant) => {
                    this.key = None;
                    if let Grant::Reserved = grant {
                        state.reserved_places -= 1;
                    }
                }
            },
        }
        let item = this.item.take().expect("`Put` polled after completion");
        if state.shut_down {
            return Poll::Ready(Err(PutError(item)));
        }
        let waker = state.push(item);
        drop(state);
        wake(waker);
        Poll::Ready(Ok(()))
    }
}

impl<T, B: Buffer<T>> Drop for Put<T, B> {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        let mut state = self.queue.state.borrow_mut();
        if let Some(Grant::Reserved) = state.putters.remove(key) {
            state.reserved_places -= 1;
            let waker = state.wake_putter();
            drop(state);
            wake(waker);
        }
    }
}

/// The future of [`Queue::get`]: completes with the next item.
///
/// ```
/// let queue = resumable::sync::Queue::new();
/// let get: resumable::sync::Get<u8> = queue.get(); // owns a handle: 'static
/// queue.put_nowait(1).unwrap();
/// assert_eq!(futures::executor::block_on(get), Ok(1));
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Get<T, B: Buffer<T> = Fifo<T>> {
    queue: Queue<T, B>,
    key: Option<WaiterKey>,
    done: bool,
}

impl<T, B: Buffer<T>> Unpin for Get<T, B> {}

impl<T, B: Buffer<T>> fmt::Debug for Get<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, B: Buffer<T>> Future for Get<T, B> {
    type Output = Result<T, GetError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        assert!(!this.done, "`Get` polled after completion");
        let mut state = this.queue.state.borrow_mut();
        if let Some(key) = this.key {
            match state.getters.poll(key, cx.waker()) {
                Polled::Waiting => return Poll::Pending,
                Polled::Notified(grant) => {
                    this.key = None;
                    if let Grant::Reserved = grant {
                        state.reserved_items -= 1;
                    }
                }
            }
        }
        if state.has_free_item() {
            this.done = true;
            let (item, waker) = state.pop();
            drop(state);
            wake(waker);
            Poll::Ready(Ok(item))
        } else if state.shut_down {
            this.done = true;
            Poll::Ready(Err(GetError))
        } else {
            this.key = Some(state.getters.push(cx.waker()));
            Poll::Pending
        }
    }
}

impl<T, B: Buffer<T>> Drop for Get<T, B> {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        let mut state = self.queue.state.borrow_mut();
        if let Some(Grant::Reserved) = state.getters.remove(key) {
            state.reserved_items -= 1;
            let waker = state.wake_getter();
            drop(state);
            wake(waker);
        }
    }
}

/// The future of [`Queue::join`]: completes when every item put has been marked done.
///
/// ```
/// let queue = resumable::sync::Queue::<u8>::new();
/// let join: resumable::sync::Join<u8> = queue.join();
/// futures::executor::block_on(join); // nothing unfinished
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Join<T, B: Buffer<T> = Fifo<T>> {
    queue: Queue<T, B>,
    key: Option<WaiterKey>,
}

impl<T, B: Buffer<T>> Unpin for Join<T, B> {}

impl<T, B: Buffer<T>> fmt::Debug for Join<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, B: Buffer<T>> Future for Join<T, B> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this.queue.state.borrow_mut();
        match this.key {
            None if state.unfinished == 0 => Poll::Ready(()),
            None => {
                this.key = Some(state.joiners.push(cx.waker()));
                Poll::Pending
            }
            Some(key) => match state.joiners.poll(key, cx.waker()) {
                Polled::Waiting => Poll::Pending,
                Polled::Notified(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
            },
        }
    }
}

impl<T, B: Buffer<T>> Drop for Join<T, B> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            // Joiners are all woken together; a dropped one has nothing to pass on.
            self.queue.state.borrow_mut().joiners.remove(key);
        }
    }
}

/// The [`Stream`](futures_core::Stream) of [`Queue::into_stream`].
///
/// ```
/// use futures::StreamExt;
///
/// let queue = resumable::sync::Queue::new();
/// queue.put_nowait('a').unwrap();
/// let mut stream = queue.clone().into_stream();
/// assert_eq!(futures::executor::block_on(stream.next()), Some('a'));
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct QueueStream<T, B: Buffer<T> = Fifo<T>> {
    queue: Queue<T, B>,
    get: Option<Get<T, B>>,
}

impl<T, B: Buffer<T>> Unpin for QueueStream<T, B> {}

impl<T, B: Buffer<T>> QueueStream<T, B> {
    /// The queue the stream takes its items from.
    ///
    /// ```
    /// let queue = resumable::sync::Queue::<u8>::new();
    /// let stream = queue.clone().into_stream();
    /// stream.queue().put_nowait(1).unwrap();
    /// assert_eq!(queue.qsize(), 1);
    /// ```
    pub fn queue(&self) -> &Queue<T, B> {
        &self.queue
    }
}

impl<T, B: Buffer<T>> fmt::Debug for QueueStream<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueStream")
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

impl<T, B: Buffer<T>> futures_core::Stream for QueueStream<T, B> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let get = this.get.get_or_insert_with(|| this.queue.get());
        let result = std::task::ready!(Pin::new(get).poll(cx));
        this.get = None;
        Poll::Ready(result.ok())
    }
}

/// Why [`Queue::put_nowait`] did not put the item; the item is handed back.
///
/// ```
/// use resumable::sync::{Queue, TryPutError};
///
/// let queue = Queue::with_capacity(1);
/// queue.put_nowait("first").unwrap();
/// match queue.put_nowait("second") {
///     Err(TryPutError::Full(item)) => assert_eq!(item, "second"), // not lost
///     other => unreachable!("{other:?}"),
/// }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue holds `capacity` items.
    Full(T),
    /// The queue was shut down.
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    ///
    /// ```
    /// let queue = resumable::sync::Queue::with_capacity(1);
    /// queue.put_nowait(1).unwrap();
    /// assert_eq!(queue.put_nowait(2).unwrap_err().into_inner(), 2);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::ShutDown(item) => item,
        }
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("Full(..)"),
            TryPutError::ShutDown(_) => f.write_str("ShutDown(..)"),
        }
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str(
                "the queue is full: wait for room with `put(item).await` or make the queue \
                 bigger (the item is handed back in the error)",
            ),
            TryPutError::ShutDown(_) => f.write_str(
                "the queue is shut down and accepts no more items: stop producing \
                 (the item is handed back in the error)",
            ),
        }
    }
}

impl<T> std::error::Error for TryPutError<T> {}

/// Why [`Queue::get_nowait`] returned no item.
///
/// ```
/// use resumable::sync::{Queue, TryGetError};
///
/// let queue = Queue::<u8>::new();
/// assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
/// queue.shutdown();
/// assert_eq!(queue.get_nowait(), Err(TryGetError::ShutDown));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryGetError {
    /// No item is there now.
    Empty,
    /// The queue is shut down and has no items left.
    ShutDown,
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty => {
                f.write_str("the queue is empty: wait for an item with `get().await`")
            }
            TryGetError::ShutDown => {
                f.write_str("the queue is shut down and has no items left: stop consuming")
            }
        }
    }
}

impl std::error::Error for TryGetError {}

/// [`Queue::put`] failed: the queue was shut down. The item is handed back in `.0`.
///
/// ```
/// use resumable::sync::{PutError, Queue};
///
/// let queue = Queue::new();
/// queue.shutdown();
/// let result = futures::executor::block_on(queue.put("item"));
/// assert_eq!(result, Err(PutError("item")));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PutError<T>(pub T);

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PutError(..)")
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the queue is shut down and accepts no more items: stop producing \
             (the item is handed back in the error)",
        )
    }
}

impl<T> std::error::Error for PutError<T> {}

/// [`Queue::get`] failed: the queue is shut down and has no items left.
///
/// ```
/// use resumable::sync::{GetError, Queue};
///
/// let queue = Queue::<u8>::new();
/// queue.shutdown();
/// assert_eq!(futures::executor::block_on(queue.get()), Err(GetError));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetError;

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is shut down and has no items left: stop consuming")
    }
}

impl std::error::Error for GetError {}

/// [`Queue::task_done`] was called more times than items were put.
///
/// ```
/// use resumable::sync::{Queue, TaskDoneError};
///
/// let queue = Queue::<u8>::new();
/// assert_eq!(queue.task_done(), Err(TaskDoneError));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "task_done() called more times than items were put: call it exactly once \
             for each item taken with get()",
        )
    }
}

impl std::error::Error for TaskDoneError {}
