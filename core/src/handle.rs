//! [`Handle`]: reach a runtime from other threads (asyncio's `call_soon_threadsafe`).

use std::fmt;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::join_handle::{self, JoinHandle};
use crate::runtime::context;
use crate::scheduler::Remote;

/// A `Send + Sync` handle to a runtime: spawn on it or call a function on its thread
/// from anywhere. Cheap to clone. Once the runtime is dropped, every method returns
/// [`RuntimeGone`].
///
/// ```
/// use resumable::Runtime;
///
/// let rt = Runtime::new().unwrap();
/// let handle = rt.handle();
/// let task = std::thread::spawn(move || handle.spawn(async { "hi" }).unwrap())
///     .join()
///     .unwrap();
/// assert_eq!(rt.block_on(task).unwrap(), "hi");
/// ```
#[derive(Clone)]
pub struct Handle {
    remote: Arc<Remote>,
}

/// The error of a [`Handle`] whose runtime was dropped.
///
/// ```
/// let handle = resumable::Runtime::new().unwrap().handle(); // runtime dropped at once
/// assert_eq!(handle.call_soon(|| ()), Err(resumable::RuntimeGone));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeGone;

impl fmt::Display for RuntimeGone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the runtime this handle belongs to was dropped")
    }
}

impl std::error::Error for RuntimeGone {}

impl Handle {
    pub(crate) fn new(remote: Arc<Remote>) -> Handle {
        Handle { remote }
    }

    /// The handle of the runtime running on this thread.
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// resumable::run(async {
    ///     let handle = resumable::Handle::current();
    ///     assert!(!handle.is_closed());
    /// });
    /// ```
    pub fn current() -> Handle {
        context::core_or_panic("Handle::current", |c| Handle::new(c.remote.clone()))
    }

    /// True once the runtime is dropped.
    ///
    /// ```
    /// let rt = resumable::Runtime::new().unwrap();
    /// let h = rt.handle();
    /// drop(rt);
    /// assert!(h.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        !self.remote.alive.load(Ordering::Acquire)
    }

    /// Runs `f` on the loop's thread, at the start of its next iteration (asyncio's
    /// `call_soon_threadsafe`). Wakes the loop if it is waiting.
    ///
    /// ```
    /// use std::sync::mpsc;
    ///
    /// let rt = resumable::Runtime::new().unwrap();
    /// let handle = rt.handle();
    /// let (tx, rx) = mpsc::channel();
    /// std::thread::spawn(move || handle.call_soon(move || tx.send(std::thread::current().name().map(String::from)).unwrap()).unwrap());
    /// rt.block_on(async {
    ///     while rx.try_recv().is_err() {
    ///         resumable::time::sleep(std::time::Duration::from_millis(1)).await;
    ///     }
    /// });
    /// ```
    pub fn call_soon<F>(&self, f: F) -> Result<(), RuntimeGone>
    where
        F: FnOnce() + Send + 'static,
    {
        if self.is_closed() {
            return Err(RuntimeGone);
        }
        self.remote.call(Box::new(f));
        Ok(())
    }

    /// Spawns `future` on the runtime from any thread; the [`JoinHandle`] gives its
    /// result. If the runtime is dropped before the task finishes, the handle completes
    /// with [`JoinError::Cancelled`](crate::JoinError::Cancelled).
    ///
    /// ```
    /// let rt = resumable::Runtime::new().unwrap();
    /// let h = rt.handle().spawn(async { 5 }).unwrap();
    /// assert_eq!(rt.block_on(h).unwrap(), 5);
    /// ```
    pub fn spawn<F>(&self, future: F) -> Result<JoinHandle<F::Output>, RuntimeGone>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (completer, handle) = join_handle::pair();
        self.call_soon(move || {
            let task = crate::spawn(future);
            crate::spawn(async move { completer.complete(task.await) });
        })?;
        Ok(handle)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("closed", &self.is_closed())
            .finish()
    }
}
