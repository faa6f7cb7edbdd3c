//! Generators: the [`Coroutine`] trait (a stable mirror of the unstable
//! `std::ops::Coroutine`) and what one resumption returns, [`CoroutineState`].
//!
//! A `#[resumable::coroutine]` fn whose body uses `yield_!` is a generator. Declared as
//! `-> impl Iterator<Item = Y>` it is an iterator; declared as
//! `-> impl Coroutine<R, Yield = Y, Return = T>` it is resumed with an argument of type
//! `R`, which is what `yield_!(..)` evaluates to inside the body (Python's `gen.send(x)`).
//!
//! ```
//! use resumable::{yield_, Coroutine, CoroutineState};
//! use std::pin::pin;
//!
//! /// Python: `def averager(): total, n = 0, 0; while True: total += yield total / max(n, 1); n += 1`
//! #[resumable::coroutine]
//! fn averager() -> impl Coroutine<f64, Yield = f64, Return = ()> {
//!     let (mut total, mut n) = (0.0, 0.0);
//!     loop {
//!         let mean = if n == 0.0 { 0.0 } else { total / n };
//!         total += yield_!(mean);
//!         n += 1.0;
//!     }
//! }
//!
//! let mut avg = pin!(averager());
//! avg.as_mut().resume(0.0); // primes it, like Python's `next(gen)`: the argument is dropped
//! assert_eq!(avg.as_mut().resume(10.0), CoroutineState::Yielded(10.0));
//! assert_eq!(avg.as_mut().resume(20.0), CoroutineState::Yielded(15.0));
//! ```
//!
//! How this maps to Python's `send`/`throw`/`close` is on [`Coroutine`].

use core::pin::Pin;

/// What a resumed [`Coroutine`] returns: it yielded a value and can be resumed again, or
/// it completed with its return value. Mirrors `std::ops::CoroutineState`.
///
/// ```
/// use resumable::CoroutineState;
/// let s: CoroutineState<u32, &str> = CoroutineState::Yielded(1);
/// assert!(matches!(s, CoroutineState::Yielded(1)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CoroutineState<Y, R> {
    /// Suspended at a `yield_!(value)`.
    Yielded(Y),
    /// Returned.
    Complete(R),
}

/// A resumable computation that yields values of type `Yield`, receives a value of type
/// `R` on each resumption, and finally returns `Return`. Mirrors the unstable
/// `std::ops::Coroutine`; implemented by `#[resumable::coroutine]` fns declared as
/// `-> impl Coroutine<R, Yield = Y, Return = T>`.
///
/// ```
/// use resumable::{yield_, Coroutine, CoroutineState};
/// use std::pin::pin;
///
/// #[resumable::coroutine]
/// fn echo() -> impl Coroutine<u32, Yield = u32, Return = &'static str> {
///     let a = yield_!(0);
///     let b = yield_!(a + 1);
///     if b == 0 { return "zero"; }
///     "done"
/// }
///
/// let mut co = pin!(echo());
/// assert_eq!(co.as_mut().resume(99), CoroutineState::Yielded(0)); // 99 is dropped
/// assert_eq!(co.as_mut().resume(4), CoroutineState::Yielded(5));
/// assert_eq!(co.as_mut().resume(0), CoroutineState::Complete("zero"));
/// ```
///
/// # Python's generator methods, and what is left out
///
/// | Python | resumable |
/// |---|---|
/// | `next(gen)` | `Iterator::next`, or `resume(())` |
/// | `gen.send(x)` | `Coroutine::resume(x)`; `let x = yield_!(y);` receives it |
/// | `gen.close()` | drop the generator: the locals in scope at the suspended `yield_!` are dropped, innermost first (Python raises `GeneratorExit` there) |
/// | `gen.throw(e)` | not provided: send a value the body inspects (`R = Result<T, E>` and `yield_!(y)?`) |
/// | `return v` / `StopIteration(v)` | `CoroutineState::Complete(v)` |
/// | `yield from inner` | `for x in inner { yield_!(x); }` (no delegation of `send` or of the return value) |
/// | `async def` + `yield`, `async for` | `-> impl Stream<Item = Y>`, `for_await!(x in stream { .. })` |
/// | `agen.asend(x)`, `athrow`, `aclose()` | not provided: an async generator's `yield_!` evaluates to `()`; drop it to close it |
///
/// The first argument passed to `resume` is dropped (there is no `yield_!` waiting for
/// it yet), as Python requires `send(None)` first. A generator declared as an `Iterator`
/// (or a `Stream`) is *fused*: after it returned `None`, it keeps returning `None`. A
/// generator declared as a `Coroutine` panics if resumed after it completed, as
/// `std::ops::Coroutine` does.
pub trait Coroutine<R = ()> {
    /// The type of the values it yields.
    type Yield;
    /// The type of the value it returns.
    type Return;

    /// Runs it until its next `yield_!` or its end. `arg` is what the `yield_!` it is
    /// suspended at evaluates to (dropped on the first resumption).
    ///
    /// # Panics
    /// If it already completed, or if an earlier resumption panicked.
    fn resume(self: Pin<&mut Self>, arg: R) -> CoroutineState<Self::Yield, Self::Return>;
}

impl<G: Coroutine<R> + Unpin + ?Sized, R> Coroutine<R> for &mut G {
    type Yield = G::Yield;
    type Return = G::Return;

    fn resume(mut self: Pin<&mut Self>, arg: R) -> CoroutineState<G::Yield, G::Return> {
        G::resume(Pin::new(&mut **self), arg)
    }
}

impl<G: Coroutine<R> + ?Sized, R> Coroutine<R> for Pin<&mut G> {
    type Yield = G::Yield;
    type Return = G::Return;

    fn resume(self: Pin<&mut Self>, arg: R) -> CoroutineState<G::Yield, G::Return> {
        G::resume(Pin::get_mut(self).as_mut(), arg)
    }
}
