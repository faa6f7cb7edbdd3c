//! [`Mutex<T>`]: a [`Lock`](super::Lock) that owns the data it protects.

use std::cell::UnsafeCell;
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::lock::RawLock;
use super::waiters::WaiterKey;

struct Shared<T: ?Sized> {
    lock: RawLock,
    value: UnsafeCell<T>,
}

/// A lock around a value: `lock().await` returns a [`MutexGuard`] that derefs to it.
///
/// The guard owns a handle (an `Rc`), so it is `'static` and can be held across yield
/// points in a coroutine's state. FIFO hand-over and cancellation safety are those of
/// [`Lock`](super::Lock).
///
/// Loop-local: neither `Send` nor `Sync` (see the [module docs](super)).
///
/// ```
/// use resumable::sync::Mutex;
///
/// # futures::executor::block_on(async {
/// let counter = Mutex::new(0);
/// *counter.lock().await += 1;
/// assert_eq!(*counter.lock().await, 1);
/// # });
/// ```
pub struct Mutex<T: ?Sized> {
    shared: Rc<Shared<T>>,
}

impl<T: ?Sized> Clone for Mutex<T> {
    fn clone(&self) -> Self {
        Mutex {
            shared: Rc::clone(&self.shared),
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex")
            .field("locked", &self.locked())
            .finish_non_exhaustive()
    }
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    ///
    /// ```
    /// let names = resumable::sync::Mutex::new(Vec::<String>::new());
    /// assert!(!names.locked());
    /// ```
    pub fn new(value: T) -> Self {
        Mutex {
            shared: Rc::new(Shared {
                lock: RawLock::new(),
                value: UnsafeCell::new(value),
            }),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Waits for the lock and returns the guard giving access to the value.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let names = resumable::sync::Mutex::new(Vec::new());
    /// names.lock().await.push("ada");
    /// assert_eq!(names.lock().await.len(), 1);
    /// # });
    /// ```
    pub fn lock(&self) -> MutexLock<T> {
        MutexLock {
            mutex: Some(self.clone()),
            key: None,
        }
    }

    /// Takes the lock if it is free now.
    ///
    /// ```
    /// let value = resumable::sync::Mutex::new(1);
    /// let guard = value.try_lock().unwrap();
    /// assert!(value.try_lock().is_none());
    /// assert_eq!(*guard, 1);
    /// ```
    pub fn try_lock(&self) -> Option<MutexGuard<T>> {
        self.shared.lock.try_lock().then(|| MutexGuard {
            mutex: self.clone(),
        })
    }

    /// Whether the lock is held (false, as for [`Lock::locked`](super::Lock::locked),
    /// while it is handed over to a waiter that has not run yet).
    ///
    /// ```
    /// let value = resumable::sync::Mutex::new(1);
    /// let _guard = value.try_lock();
    /// assert!(value.locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.shared.lock.is_locked()
    }
}

/// Holds a [`Mutex`] and gives access to its value; dropping it releases the lock.
///
/// ```
/// let value = resumable::sync::Mutex::new(String::from("a"));
/// let mut guard = value.try_lock().unwrap();
/// guard.push('b');
/// assert_eq!(&*guard, "ab");
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MutexGuard<T: ?Sized> {
    mutex: Mutex<T>,
}

impl<T: ?Sized> MutexGuard<T> {
    /// The mutex this guard holds.
    ///
    /// ```
    /// let value = resumable::sync::Mutex::new(1);
    /// let guard = value.try_lock().unwrap();
    /// assert!(guard.mutex().locked());
    /// ```
    pub fn mutex(&self) -> &Mutex<T> {
        &self.mutex
    }
}

impl<T: ?Sized> Deref for MutexGuard<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: one guard per locking, alive only while locked, so no other `&mut T`
        // exists; the borrow is tied to `&self`; the `Rc` keeps the value alive; `Mutex`
        // is `!Sync`, so no other thread sees it.
        unsafe { &*self.mutex.shared.value.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only borrow through this guard,
        // and the guard is the only one of its locking.
        unsafe { &mut *self.mutex.shared.value.get() }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized> Drop for MutexGuard<T> {
    fn drop(&mut self) {
        self.mutex.shared.lock.unlock();
    }
}

/// The future of [`Mutex::lock`].
///
/// ```
/// let mutex = resumable::sync::Mutex::new(5);
/// let lock: resumable::sync::MutexLock<i32> = mutex.lock();
/// assert_eq!(*futures::executor::block_on(lock), 5);
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct MutexLock<T: ?Sized> {
    /// `None` once completed.
    mutex: Option<Mutex<T>>,
    key: Option<WaiterKey>,
}

impl<T: ?Sized> Unpin for MutexLock<T> {}

impl<T: ?Sized> fmt::Debug for MutexLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MutexLock")
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: ?Sized> Future for MutexLock<T> {
    type Output = MutexGuard<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<MutexGuard<T>> {
        let this = self.get_mut();
        let mutex = this
            .mutex
            .as_ref()
            .expect("`MutexLock` polled after completion");
        std::task::ready!(mutex.shared.lock.poll_lock(&mut this.key, cx));
        let mutex = this.mutex.take().expect("checked above");
        Poll::Ready(MutexGuard { mutex })
    }
}

impl<T: ?Sized> Drop for MutexLock<T> {
    fn drop(&mut self) {
        if let (Some(mutex), Some(key)) = (&self.mutex, self.key) {
            mutex.shared.lock.cancel(key);
        }
    }
}
