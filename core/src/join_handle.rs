//! [`JoinHandle`]: a `Send` future of a result produced on another thread or handed
//! across threads (by [`spawn_blocking`](crate::spawn_blocking) and
//! [`Handle::spawn`](crate::Handle::spawn)).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::task::JoinError;

enum Slot<T> {
    Waiting(Option<Waker>),
    Done(Result<T, JoinError>),
    Taken,
}

type Shared<T> = Arc<Mutex<Slot<T>>>;

/// A `Send` future of `Result<T, JoinError>`, completed from anywhere.
///
/// If whatever should produce the value is dropped first (the runtime shut down, the
/// job was discarded), it completes with [`JoinError::Cancelled`]: it never hangs.
///
/// ```
/// resumable::run(async {
///     let handle: resumable::JoinHandle<u32> = resumable::spawn_blocking(|| 2 + 2);
///     assert_eq!(handle.await.unwrap(), 4);
/// });
/// ```
pub struct JoinHandle<T> {
    shared: Shared<T>,
}

/// The sending side: completes the handle once, or with `Cancelled` when dropped unused.
pub(crate) struct Completer<T> {
    shared: Option<Shared<T>>,
}

pub(crate) fn pair<T>() -> (Completer<T>, JoinHandle<T>) {
    let shared = Arc::new(Mutex::new(Slot::Waiting(None)));
    (
        Completer {
            shared: Some(shared.clone()),
        },
        JoinHandle { shared },
    )
}

impl<T> Completer<T> {
    pub(crate) fn complete(mut self, result: Result<T, JoinError>) {
        if let Some(shared) = self.shared.take() {
            fill(&shared, result);
        }
    }
}

fn fill<T>(shared: &Mutex<Slot<T>>, result: Result<T, JoinError>) {
    let waker = {
        let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
        match std::mem::replace(&mut *slot, Slot::Done(result)) {
            Slot::Waiting(w) => w,
            _ => None,
        }
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            fill(&shared, Err(JoinError::Cancelled));
        }
    }
}

impl<T> JoinHandle<T> {
    /// True once the result is available.
    ///
    /// ```
    /// resumable::run(async {
    ///     let h = resumable::spawn_blocking(|| ());
    ///     h.await.unwrap();
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        !matches!(
            *self.shared.lock().unwrap_or_else(|e| e.into_inner()),
            Slot::Waiting(_)
        )
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Done(r) => Poll::Ready(r),
            Slot::Waiting(w) => {
                let w = match w {
                    Some(w) if w.will_wake(cx.waker()) => w,
                    _ => cx.waker().clone(),
                };
                *slot = Slot::Waiting(Some(w));
                Poll::Pending
            }
            Slot::Taken => panic!("a `JoinHandle` was polled after it returned its result"),
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}
