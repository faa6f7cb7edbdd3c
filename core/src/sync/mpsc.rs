//! A multi-producer, single-consumer channel for tasks of one event loop.
//!
//! It is a [`Queue`] with two kinds of handles: when the last [`Sender`] is dropped the
//! channel closes gracefully (the receiver still gets the items sent, then `None`); when
//! the [`Receiver`] is dropped the items left are dropped and senders fail, handing their
//! item back. Loop-local: neither half is `Send` (see the [module docs](super)).
//!
//! ```
//! use resumable::sync::mpsc;
//!
//! let (tx, mut rx) = mpsc::channel(8);
//! let producer = async move {
//!     for i in 0..3 {
//!         tx.send(i).await.unwrap();
//!     } // `tx` dropped here: the channel closes
//! };
//! let consumer = async {
//!     let mut got = Vec::new();
//!     while let Some(i) = rx.recv().await {
//!         got.push(i);
//!     }
//!     got
//! };
//! let ((), got) = futures::executor::block_on(futures::future::join(producer, consumer));
//! assert_eq!(got, [0, 1, 2]);
//! ```

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::queue::{Get, Put, Queue, TryGetError, TryPutError};

/// A bounded channel: `send` waits while `capacity` items are buffered.
///
/// # Panics
///
/// If `capacity` is 0.
///
/// ```
/// let (tx, _rx) = resumable::sync::mpsc::channel(1);
/// tx.try_send(1).unwrap();
/// assert!(tx.try_send(2).is_err());
/// ```
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    pair(Queue::with_capacity(capacity))
}

/// An unbounded channel: `send` never waits.
///
/// ```
/// let (tx, mut rx) = resumable::sync::mpsc::unbounded_channel();
/// tx.try_send("hi").unwrap();
/// assert_eq!(rx.try_recv(), Ok("hi"));
/// ```
pub fn unbounded_channel<T>() -> (Sender<T>, Receiver<T>) {
    pair(Queue::new())
}

fn pair<T>(queue: Queue<T>) -> (Sender<T>, Receiver<T>) {
    (
        Sender {
            queue: queue.clone(),
            senders: Rc::new(Cell::new(1)),
        },
        Receiver { queue, recv: None },
    )
}

/// The sending half of an [`mpsc`](self) channel; clone it for more producers.
///
/// ```
/// let (tx, mut rx) = resumable::sync::mpsc::unbounded_channel();
/// let tx2 = tx.clone();
/// tx.try_send(1).unwrap();
/// tx2.try_send(2).unwrap();
/// assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(1), Ok(2)));
/// ```
pub struct Sender<T> {
    queue: Queue<T>,
    senders: Rc<Cell<usize>>,
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.senders.set(self.senders.get() + 1);
        Sender {
            queue: self.queue.clone(),
            senders: Rc::clone(&self.senders),
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("closed", &self.is_closed())
            .finish_non_exhaustive()
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let senders = self.senders.get() - 1;
        self.senders.set(senders);
        if senders == 0 {
            self.queue.shutdown();
        }
    }
}

impl<T> Sender<T> {
    /// Sends an item, waiting while the channel is full. Fails, handing the item back, if
    /// the receiver is gone or closed the channel. The pending send counts as a sender: the
    /// channel does not close under it.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, mut rx) = resumable::sync::mpsc::channel(1);
    /// tx.send(5).await.unwrap();
    /// assert_eq!(rx.recv().await, Some(5));
    /// # });
    /// ```
    pub fn send(&self, item: T) -> SendFuture<T> {
        SendFuture {
            put: self.queue.put(item),
            _sender: self.clone(),
        }
    }

    /// Sends an item if there is room now.
    ///
    /// ```
    /// use resumable::sync::mpsc::{self, TrySendError};
    ///
    /// let (tx, rx) = mpsc::channel(1);
    /// drop(rx);
    /// assert!(matches!(tx.try_send(1), Err(TrySendError::Closed(1))));
    /// ```
    pub fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.queue.put_nowait(item).map_err(|error| match error {
            TryPutError::Full(item) => TrySendError::Full(item),
            TryPutError::ShutDown(item) => TrySendError::Closed(item),
        })
    }

    /// Whether the receiver is gone or closed the channel.
    ///
    /// ```
    /// let (tx, rx) = resumable::sync::mpsc::channel::<u8>(1);
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.queue.is_shut_down()
    }
}

/// The receiving half of an [`mpsc`](self) channel. Also a
/// [`Stream`](futures_core::Stream) of the items.
///
/// ```
/// use futures::StreamExt;
///
/// let (tx, rx) = resumable::sync::mpsc::unbounded_channel();
/// tx.try_send(1).unwrap();
/// drop(tx);
/// let items: Vec<i32> = futures::executor::block_on(rx.collect());
/// assert_eq!(items, [1]);
/// ```
pub struct Receiver<T> {
    queue: Queue<T>,
    /// The pending receive of the `Stream` implementation.
    recv: Option<Get<T>>,
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("len", &self.queue.qsize())
            .finish_non_exhaustive()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.recv = None;
        drop(self.queue.shutdown_immediate());
    }
}

impl<T> Receiver<T> {
    /// Receives the next item; `None` once every sender is gone (or the channel was
    /// closed) and no item is left.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let (tx, mut rx) = resumable::sync::mpsc::unbounded_channel();
    /// tx.try_send(1).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Some(1));
    /// assert_eq!(rx.recv().await, None);
    /// # });
    /// ```
    pub fn recv(&mut self) -> RecvFuture<T> {
        RecvFuture {
            get: self.queue.get(),
        }
    }

    /// Receives an item if one is there now.
    ///
    /// ```
    /// use resumable::sync::mpsc::{self, TryRecvError};
    ///
    /// let (tx, mut rx) = mpsc::unbounded_channel::<u8>();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// drop(tx);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.queue.get_nowait().map_err(|error| match error {
            TryGetError::Empty => TryRecvError::Empty,
            TryGetError::ShutDown => TryRecvError::Disconnected,
        })
    }

    /// Closes the channel: senders fail from now on; the items already sent can still be
    /// received.
    ///
    /// ```
    /// let (tx, mut rx) = resumable::sync::mpsc::unbounded_channel();
    /// tx.try_send(1).unwrap();
    /// rx.close();
    /// assert!(tx.try_send(2).is_err());
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn close(&mut self) {
        self.queue.shutdown();
    }

    /// Number of items waiting to be received.
    ///
    /// ```
    /// let (tx, rx) = resumable::sync::mpsc::unbounded_channel();
    /// tx.try_send(1).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.queue.qsize()
    }

    /// Whether no item waits to be received.
    ///
    /// ```
    /// let (_tx, rx) = resumable::sync::mpsc::unbounded_channel::<u8>();
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.queue.empty()
    }
}

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let recv = this.recv.get_or_insert_with(|| this.queue.get());
        let result = std::task::ready!(Pin::new(recv).poll(cx));
        this.recv = None;
        Poll::Ready(result.ok())
    }
}

/// The future of [`Sender::send`].
///
/// ```
/// let (tx, mut rx) = resumable::sync::mpsc::channel(1);
/// let send: resumable::sync::mpsc::SendFuture<u8> = tx.send(1);
/// futures::executor::block_on(send).unwrap();
/// assert_eq!(rx.try_recv(), Ok(1));
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<T> {
    put: Put<T>,
    /// Keeps the channel open while the send is pending, even if every `Sender` handle
    /// is dropped meanwhile (the future is `'static` and may outlive them).
    _sender: Sender<T>,
}

impl<T> fmt::Debug for SendFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}

impl<T> Future for SendFuture<T> {
    type Output = Result<(), SendError<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.put)
            .poll(cx)
            .map(|result| result.map_err(|error| SendError(error.0)))
    }
}

/// The future of [`Receiver::recv`].
///
/// ```
/// let (tx, mut rx) = resumable::sync::mpsc::channel(1);
/// let recv: resumable::sync::mpsc::RecvFuture<u8> = rx.recv();
/// tx.try_send(1).unwrap();
/// assert_eq!(futures::executor::block_on(recv), Some(1));
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct RecvFuture<T> {
    get: Get<T>,
}

impl<T> fmt::Debug for RecvFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvFuture").finish_non_exhaustive()
    }
}

impl<T> Future for RecvFuture<T> {
    type Output = Option<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        Pin::new(&mut self.get).poll(cx).map(Result::ok)
    }
}

/// [`Sender::send`] failed: the receiver is gone or closed the channel. The item is handed
/// back in `.0`.
///
/// ```
/// use resumable::sync::mpsc::{self, SendError};
///
/// let (tx, rx) = mpsc::channel(1);
/// drop(rx);
/// assert_eq!(futures::executor::block_on(tx.send(7)), Err(SendError(7)));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the channel's receiver is gone or closed the channel: stop sending \
             (the item is handed back in the error)",
        )
    }
}

impl<T> std::error::Error for SendError<T> {}

/// Why [`Sender::try_send`] did not send; the item is handed back.
///
/// ```
/// use resumable::sync::mpsc::{self, TrySendError};
///
/// let (tx, _rx) = mpsc::channel(1);
/// tx.try_send(1).unwrap();
/// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The channel holds `capacity` items.
    Full(T),
    /// The receiver is gone or closed the channel.
    Closed(T),
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str(
                "the channel is full: wait for room with `send(item).await` or use a bigger \
                 capacity (the item is handed back in the error)",
            ),
            TrySendError::Closed(_) => f.write_str(
                "the channel's receiver is gone or closed the channel: stop sending \
                 (the item is handed back in the error)",
            ),
        }
    }
}

impl<T> std::error::Error for TrySendError<T> {}

/// Why [`Receiver::try_recv`] returned no item.
///
/// ```
/// use resumable::sync::mpsc::{self, TryRecvError};
///
/// let (_tx, mut rx) = mpsc::channel::<u8>(1);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryRecvError {
    /// No item is there now.
    Empty,
    /// Every sender is gone (or the channel was closed) and no item is left.
    Disconnected,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => {
                f.write_str("the channel is empty: wait for an item with `recv().await`")
            }
            TryRecvError::Disconnected => f.write_str(
                "every sender is gone (or the channel was closed) and no item is left: \
                 stop receiving",
            ),
        }
    }
}

impl std::error::Error for TryRecvError {}
