//! Shared helpers for the integration tests: a drop-logging value, a `block_on`, and
//! scripted futures.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A shared log of events (drops, side effects), in order.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Log::default()
    }

    /// Appends an event.
    pub fn push(&self, event: impl Into<String>) {
        self.0.borrow_mut().push(event.into());
    }

    /// The events so far.
    pub fn events(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    /// Removes and returns the events so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }

    /// A value that logs `drop <name>` when dropped.
    pub fn value(&self, name: &str) -> Dropper {
        Dropper {
            name: name.to_string(),
            log: self.clone(),
        }
    }

    /// Logs `event` and returns `value`: for checking evaluation order.
    pub fn note<T>(&self, event: &str, value: T) -> T {
        self.push(event);
        value
    }
}

/// Logs `drop <name>` when dropped.
pub struct Dropper {
    name: String,
    log: Log,
}

impl Dropper {
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Dropper {
    fn drop(&mut self) {
        self.log.push(format!("drop {}", self.name));
    }
}

/// A waker that does nothing (`Waker::noop` needs Rust 1.85; the MSRV is older).
pub fn noop_waker() -> Waker {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    Waker::from(std::sync::Arc::new(Noop))
}

/// Polls `fut` to completion on this thread, with a no-op waker (every future in the
/// tests makes progress each time it is polled).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Polls `fut` at most `polls` times; `Some(output)` if it completed.
pub fn poll_n<F: Future + ?Sized>(fut: Pin<&mut F>, polls: usize) -> Option<F::Output> {
    let mut fut = fut;
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    for _ in 0..polls {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    None
}

/// How many times `fut` must be polled to complete.
pub fn polls_to_complete<F: Future>(fut: F) -> usize {
    let mut fut = std::pin::pin!(fut);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut n = 0;
    loop {
        n += 1;
        if fut.as_mut().poll(&mut cx).is_ready() {
            return n;
        }
    }
}

/// A future that is pending `pending` times, then ready with `value`.
pub struct Pending<T> {
    pending: usize,
    value: Option<T>,
}

impl<T> Unpin for Pending<T> {}

/// A future pending once, then ready with `value` (a yield point that really suspends).
pub fn ready_after_one<T>(value: T) -> Pending<T> {
    pending_then(1, value)
}

/// A future pending `pending` times, then ready with `value`.
pub fn pending_then<T>(pending: usize, value: T) -> Pending<T> {
    Pending {
        pending,
        value: Some(value),
    }
}

impl<T> Future for Pending<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.pending == 0 {
            Poll::Ready(self.value.take().expect("polled after completion"))
        } else {
            self.pending -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// A future that logs `drop <name>` when dropped, pending once, then ready with `value`.
pub struct Logged<T> {
    inner: Pending<T>,
    _drop: Dropper,
}

impl<T> Future for Logged<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.inner).poll(cx)
    }
}

impl Log {
    /// A future pending once then ready with `value`, logging `drop <name>` when dropped.
    pub fn future<T>(&self, name: &str, value: T) -> Logged<T> {
        Logged {
            inner: ready_after_one(value),
            _drop: self.value(name),
        }
    }
}

/// A `!Unpin` future that records its address when first polled and panics if it is
/// ever polled at another address; pending `pending` times, then ready with `value`.
pub struct AddressChecked<T> {
    address: Option<usize>,
    pending: usize,
    value: Option<T>,
    _pin: std::marker::PhantomPinned,
}

/// See [`AddressChecked`].
pub fn address_checked<T>(pending: usize, value: T) -> AddressChecked<T> {
    AddressChecked {
        address: None,
        pending,
        value: Some(value),
        _pin: std::marker::PhantomPinned,
    }
}

impl<T> Future for AddressChecked<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: nothing is moved out of the pinned future; only plain fields are updated.
        let this = unsafe { self.get_unchecked_mut() };
        let here = this as *mut Self as usize;
        match this.address {
            None => this.address = Some(here),
            Some(first) => assert_eq!(first, here, "a pinned future was moved"),
        }
        if this.pending == 0 {
            Poll::Ready(this.value.take().expect("polled after completion"))
        } else {
            this.pending -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Runs the futures made by `a` and `b` (the same body as a coroutine and as an
/// `async fn`, say), each with a fresh log: to completion, cancelled after every possible
/// number of polls (0 = never polled), and returns the logs of `a` and `b` per case.
pub fn cancellation_logs<A: Future, B: Future>(
    a: impl Fn(Log) -> A,
    b: impl Fn(Log) -> B,
) -> Vec<(Vec<String>, Vec<String>)> {
    let polls = polls_to_complete(b(Log::new()));
    (0..=polls)
        .map(|k| {
            let run = |fut: Pin<&mut dyn Future<Output = ()>>| {
                let _ = poll_n(fut, k);
            };
            let log_a = Log::new();
            {
                let fut = a(log_a.clone());
                let fut = std::pin::pin!(async move {
                    fut.await;
                });
                run(fut);
            }
            let log_b = Log::new();
            {
                let fut = b(log_b.clone());
                let fut = std::pin::pin!(async move {
                    fut.await;
                });
                run(fut);
            }
            log_a.push(format!("-- after {k} polls"));
            log_b.push(format!("-- after {k} polls"));
            (log_a.take(), log_b.take())
        })
        .collect()
}

/// Whether the (possibly unnameable) type of `$value` implements `$trait`, decided at
/// compile time: an inherent method whose impl needs the trait wins over a trait method
/// that always applies. For the negative checks `static_assertions` cannot express on
/// `impl Future` types.
#[macro_export]
macro_rules! implements {
    ($value:expr, $($bound:tt)+) => {{
        struct Probe<T>(::core::marker::PhantomData<T>);
        trait Fallback {
            fn implements(&self) -> bool {
                false
            }
        }
        impl<T> Fallback for Probe<T> {}
        #[allow(dead_code)]
        impl<T: $($bound)+> Probe<T> {
            fn implements(&self) -> bool {
                true
            }
        }
        fn probe<T>(_: &T) -> Probe<T> {
            Probe(::core::marker::PhantomData)
        }
        probe(&$value).implements()
    }};
}
