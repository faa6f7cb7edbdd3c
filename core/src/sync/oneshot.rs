//! A one-shot channel: one value from a [`Sender`] to a [`Receiver`], across threads if
//! need be.
//!
//! Unlike the loop-local primitives, both halves are `Send` and `Sync` when `T: Send`:
//! the state sits behind an `Arc<std::sync::Mutex<..>>`, locked once per operation (off
//! the hot path), so a value computed on another thread can be handed to a task.
//!
//! ```
//! use resumable::sync::oneshot;
//!
//! let (tx, rx) = oneshot::channel();
//! std::thread::spawn(move || tx.send(6 * 7).unwrap());
//! assert_eq!(futures::executor::block_on(rx), Ok(42));
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

struct State<T> {
    value: Option<T>,
    receiver_waker: Option<Waker>,
    sender_gone: bool,
    receiver_gone: bool,
}

type Shared<T> = Arc<Mutex<State<T>>>;

fn lock<T>(shared: &Shared<T>) -> MutexGuard<'_, State<T>> {
    // Nothing panics while the lock is held, so poisoning cannot happen; recover anyway.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Creates a one-shot channel.
///
/// ```
/// let (tx, rx) = resumable::sync::oneshot::channel::<&str>();
/// drop(tx);
/// assert!(futures::executor::block_on(rx).is_err());
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(State {
        value: None,
        receiver_waker: None,
        sender_gone: false,
        receiver_gone: false,
    }));
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

/// The sending half of a [`oneshot`](self) channel.
///
/// ```
/// let (tx, rx) = resumable::sync::oneshot::channel();
/// tx.send("done").unwrap();
/// assert_eq!(futures::executor::block_on(rx), Ok("done"));
/// ```
pub struct Sender<T> {
    shared: Shared<T>,
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> Sender<T> {
    /// Sends the value; hands it back if the receiver is gone.
    ///
    /// ```
    /// let (tx, rx) = resumable::sync::oneshot::channel();
    /// drop(rx);
    /// assert_eq!(tx.send(1), Err(1));
    /// ```
    pub fn send(self, value: T) -> Result<(), T> {
        let mut state = lock(&self.shared);
        if state.receiver_gone {
            return Err(value);
        }
        state.value = Some(value);
        Ok(())
        // `Drop` wakes the receiver.
    }

    /// Whether the receiver is gone (a `send` would fail).
    ///
    /// ```
    /// let (tx, rx) = resumable::sync::oneshot::channel::<u8>();
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        lock(&self.shared).receiver_gone
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = lock(&self.shared);
        state.sender_gone = true;
        let waker = state.receiver_waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The receiving half of a [`oneshot`](self) channel: a future of the value.
///
/// ```
/// let (tx, rx) = resumable::sync::oneshot::channel::<u8>();
/// drop(tx);
/// assert!(futures::executor::block_on(rx).is_err());
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Receiver<T> {
    shared: Shared<T>,
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
    /// Takes the value if it has been sent.
    ///
    /// ```
    /// use resumable::sync::oneshot::{self, TryRecvError};
    ///
    /// let (tx, mut rx) = oneshot::channel();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut state = lock(&self.shared);
        match state.value.take() {
            Some(value) => Ok(value),
            None if state.sender_gone => Err(TryRecvError::Closed),
            None => Err(TryRecvError::Empty),
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = lock(&self.shared);
        if let Some(value) = state.value.take() {
            return Poll::Ready(Ok(value));
        }
        if state.sender_gone {
            return Poll::Ready(Err(RecvError));
        }
        match &mut state.receiver_waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = lock(&self.shared);
        state.receiver_gone = true;
        let value = state.value.take();
        drop(state);
        drop(value); // outside the lock: the value's drop may run anything
    }
}

/// The [`Sender`] was dropped without sending.
///
/// ```
/// use resumable::sync::oneshot::{self, RecvError};
///
/// let (tx, rx) = oneshot::channel::<u8>();
/// drop(tx);
/// assert_eq!(futures::executor::block_on(rx), Err(RecvError));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecvError;

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the oneshot sender was dropped without sending a value: the producer gave up \
             (or panicked) before calling `send`",
        )
    }
}

impl std::error::Error for RecvError {}

/// Why [`Receiver::try_recv`] returned no value.
///
/// ```
/// use resumable::sync::oneshot::{self, TryRecvError};
///
/// let (_tx, mut rx) = oneshot::channel::<u8>();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryRecvError {
    /// Not sent yet.
    Empty,
    /// The sender was dropped without sending (or the value was already taken).
    Closed,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => {
                f.write_str("no value sent yet: await the receiver to wait for it")
            }
            TryRecvError::Closed => {
                f.write_str("the oneshot sender is gone and no value is left: nothing will come")
            }
        }
    }
}

impl std::error::Error for TryRecvError {}
