//! [`Event`]: asyncio's `Event`, a flag tasks can wait for.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::{wake_all, Polled, WaiterKey, Waiters};

struct State {
    set: bool,
    waiters: Waiters<()>,
}

/// asyncio's `Event`: [`wait`](Event::wait) suspends until the flag is [`set`](Event::set).
///
/// Setting the flag wakes every waiter; a waiter woken by `set` completes even if the flag
/// is cleared again before it runs (as in asyncio).
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Event;
///
/// let ready = Event::new();
/// let waiter = ready.wait();
/// ready.set();
/// futures::executor::block_on(waiter);
/// assert!(ready.is_set());
/// ```
#[derive(Clone)]
pub struct Event {
    state: Rc<RefCell<State>>,
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .finish_non_exhaustive()
    }
}

impl Event {
    /// A new event, not set.
    ///
    /// ```
    /// assert!(!resumable::sync::Event::new().is_set());
    /// ```
    pub fn new() -> Self {
        Event {
            state: Rc::new(RefCell::new(State {
                set: false,
                waiters: Waiters::new(),
            })),
        }
    }

    /// Sets the flag and wakes every waiter.
    ///
    /// ```
    /// let event = resumable::sync::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    pub fn set(&self) {
        let mut state = self.state.borrow_mut();
        state.set = true;
        let wakers = state.waiters.notify_all(|| ());
        drop(state);
        wake_all(wakers);
    }

    /// Clears the flag: later `wait`s suspend until the next `set`.
    ///
    /// ```
    /// let event = resumable::sync::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    pub fn clear(&self) {
        self.state.borrow_mut().set = false;
    }

    /// Whether the flag is set.
    ///
    /// ```
    /// assert!(!resumable::sync::Event::new().is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.state.borrow().set
    }

    /// Waits until the flag is set (completes at once if it is).
    ///
    /// ```
    /// let event = resumable::sync::Event::new();
    /// event.set();
    /// futures::executor::block_on(event.wait());
    /// ```
    pub fn wait(&self) -> EventWait {
        EventWait {
            event: self.clone(),
            key: None,
        }
    }
}

/// The future of [`Event::wait`].
///
/// ```
/// let event = resumable::sync::Event::new();
/// let wait: resumable::sync::EventWait = event.wait();
/// event.set();
/// futures::executor::block_on(wait);
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct EventWait {
    event: Event,
    key: Option<WaiterKey>,
}

impl fmt::Debug for EventWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Future for EventWait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this.event.state.borrow_mut();
        match this.key {
            None if state.set => Poll::Ready(()),
            None => {
                this.key = Some(state.waiters.push(cx.waker()));
                Poll::Pending
            }
            Some(key) => match state.waiters.poll(key, cx.waker()) {
                Polled::Waiting => Poll::Pending,
                Polled::Notified(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
            },
        }
    }
}

impl Drop for EventWait {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            // Every waiter is woken by `set`; a dropped one has nothing to pass on.
            self.event.state.borrow_mut().waiters.remove(key);
        }
    }
}
