//! Inline concurrency without tasks: [`join!`](crate::join!), [`select!`](crate::select!)
//! and [`race`].
//!
//! These expand to *future expressions* (never to `.await`), so they can be awaited
//! anywhere, including inside `yield_await!(..)` in a coroutine. Their sub-futures are
//! polled in place, in order, within the task that awaits them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future or, once it finished, its output. Used by the `join!` futures.
#[doc(hidden)]
pub enum MaybeDone<F: Future> {
    Pending(F),
    Done(F::Output),
    Taken,
}

impl<F: Future> MaybeDone<F> {
    /// Polls the future if still pending; true once the output is stored.
    #[doc(hidden)]
    pub fn poll_done(self: Pin<&mut Self>, cx: &mut Context<'_>) -> bool {
        // SAFETY: the `Pending` future is structurally pinned: it is polled in place and
        // replaced (dropped in place) only through this pinned reference.
        let this = unsafe { self.get_unchecked_mut() };
        match this {
            MaybeDone::Pending(f) => {
                // SAFETY: see above; `f` is never moved.
                match unsafe { Pin::new_unchecked(f) }.poll(cx) {
                    Poll::Ready(v) => {
                        *this = MaybeDone::Done(v);
                        true
                    }
                    Poll::Pending => false,
                }
            }
            MaybeDone::Done(_) => true,
            MaybeDone::Taken => panic!("`join!` polled after completion"),
        }
    }

    /// Moves the output out (after `poll_done` returned true).
    #[doc(hidden)]
    pub fn take(self: Pin<&mut Self>) -> F::Output {
        // SAFETY: only the `Done` variant is moved out, and it holds no future.
        let this = unsafe { self.get_unchecked_mut() };
        match std::mem::replace(this, MaybeDone::Taken) {
            MaybeDone::Done(v) => v,
            _ => unreachable!("`take` after `poll_done` returned true"),
        }
    }
}

macro_rules! join_n {
    ($(#[$doc:meta])* $name:ident; $($F:ident $f:ident),+) => {
        $(#[$doc])*
        #[must_use = "futures do nothing unless awaited"]
        pub struct $name<$($F: Future),+> {
            $($f: MaybeDone<$F>,)+
        }

        impl<$($F: Future),+> $name<$($F),+> {
            /// Wraps the futures; see [`join!`](crate::join!).
            #[allow(clippy::too_many_arguments)]
            pub fn new($($f: $F),+) -> Self {
                $name { $($f: MaybeDone::Pending($f),)+ }
            }
        }

        impl<$($F: Future),+> Future for $name<$($F),+> {
            type Output = ($($F::Output,)+);

            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                // SAFETY: every field is structurally pinned and only reached through
                // `Pin::new_unchecked` below; the struct has no `Drop` impl.
                let this = unsafe { self.get_unchecked_mut() };
                let mut all = true;
                $(
                    // SAFETY: see above.
                    all &= unsafe { Pin::new_unchecked(&mut this.$f) }.poll_done(cx);
                )+
                if !all {
                    return Poll::Pending;
                }
                // SAFETY: see above.
                Poll::Ready(($(unsafe { Pin::new_unchecked(&mut this.$f) }.take(),)+))
            }
        }

        impl<$($F: Future),+> fmt::Debug for $name<$($F),+> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    };
}

join_n!(
    /// The future of a one-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async { assert_eq!(resumable::join!(async { 1 }).await, (1,)) });
    /// ```
    Join1; A a);
join_n!(
    /// The future of a two-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async { assert_eq!(resumable::join!(async { 1 }, async { 2 }).await, (1, 2)) });
    /// ```
    Join2; A a, B b);
join_n!(
    /// The future of a three-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async { resumable::join!(async {}, async {}, async {}).await });
    /// ```
    Join3; A a, B b, C c);
join_n!(
    /// The future of a four-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async { resumable::join!(async {}, async {}, async {}, async {}).await });
    /// ```
    Join4; A a, B b, C c, D d);
join_n!(
    /// The future of a five-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async { resumable::join!(async {}, async {}, async {}, async {}, async {}).await });
    /// ```
    Join5; A a, B b, C c, D d, E e);
join_n!(
    /// The future of a six-branch [`join!`](crate::join!).
    ///
    /// ```
    /// resumable::run(async {
    ///     resumable::join!(async {}, async {}, async {}, async {}, async {}, async {}).await
    /// });
    /// ```
    Join6; A a, B b, C c, D d, E e, G g);

/// Polls several futures concurrently *within the current task* (no tasks are spawned)
/// and gives all their outputs as a tuple, in argument order. Up to six futures.
///
/// The futures are polled in argument order each time the task wakes.
///
/// ```
/// use resumable::{join, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let (a, b) = join!(
///         async { sleep(Duration::from_millis(20)).await; "a" },
///         async { sleep(Duration::from_millis(10)).await; "b" },
///     )
///     .await;
///     assert_eq!((a, b), ("a", "b"));
/// });
/// ```
#[macro_export]
macro_rules! join {
    ($a:expr $(,)?) => {
        $crate::join::Join1::new($a)
    };
    ($a:expr, $b:expr $(,)?) => {
        $crate::join::Join2::new($a, $b)
    };
    ($a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::join::Join3::new($a, $b, $c)
    };
    ($a:expr, $b:expr, $c:expr, $d:expr $(,)?) => {
        $crate::join::Join4::new($a, $b, $c, $d)
    };
    ($a:expr, $b:expr, $c:expr, $d:expr, $e:expr $(,)?) => {
        $crate::join::Join5::new($a, $b, $c, $d, $e)
    };
    ($a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $g:expr $(,)?) => {
        $crate::join::Join6::new($a, $b, $c, $d, $e, $g)
    };
}

/// One of two values: the output of a [`race`].
///
/// ```
/// use resumable::Either;
/// let e: Either<i32, &str> = Either::Left(1);
/// assert!(matches!(e, Either::Left(1)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Either<L, R> {
    /// The first future finished first.
    Left(L),
    /// The second future finished first.
    Right(R),
}

/// Polls two futures within the current task; the first to finish wins and the other is
/// dropped (at its current yield point) with the `Race`. Biased: on a tie, and at every
/// wake-up, `a` is polled first.
///
/// ```
/// use resumable::{race, Either, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let winner = race(sleep(Duration::from_secs(60)), async { "quick" }).await;
///     assert_eq!(winner, Either::Right("quick"));
/// });
/// ```
pub fn race<A: Future, B: Future>(a: A, b: B) -> Race<A, B> {
    Race { a, b }
}

/// The future returned by [`race`].
///
/// ```
/// let _r: resumable::Race<std::future::Ready<()>, std::future::Pending<()>> =
///     resumable::race(std::future::ready(()), std::future::pending());
/// ```
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Race<A, B> {
    a: A,
    b: B,
}

impl<A: Future, B: Future> Future for Race<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: both fields are structurally pinned, polled in place and never moved;
        // `Race` has no `Drop` impl.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        if let Poll::Ready(v) = unsafe { Pin::new_unchecked(&mut this.a) }.poll(cx) {
            return Poll::Ready(Either::Left(v));
        }
        // SAFETY: see above.
        if let Poll::Ready(v) = unsafe { Pin::new_unchecked(&mut this.b) }.poll(cx) {
            return Poll::Ready(Either::Right(v));
        }
        Poll::Pending
    }
}

/// Applies a function to a future's output; what `select!` branches expand to.
/// The inner future is dropped before the function runs.
#[doc(hidden)]
#[must_use = "futures do nothing unless awaited"]
pub struct Map<Fut, F> {
    future: Option<Fut>,
    f: Option<F>,
}

impl<Fut, F> Map<Fut, F> {
    #[doc(hidden)]
    pub fn new(future: Fut, f: F) -> Self {
        Map {
            future: Some(future),
            f: Some(f),
        }
    }
}

impl<Fut: Future, F: FnOnce(Fut::Output) -> U, U> Future for Map<Fut, F> {
    type Output = U;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<U> {
        // SAFETY: `future` is structurally pinned (polled in place, dropped in place by
        // `Pin::set`); `f` is not pinned and is moved out freely. No `Drop` impl.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above.
        let mut future = unsafe { Pin::new_unchecked(&mut this.future) };
        let inner = future
            .as_mut()
            .as_pin_mut()
            .expect("`select!` polled after completion");
        match inner.poll(cx) {
            Poll::Ready(v) => {
                future.set(None);
                let f = this.f.take().expect("present until completion");
                Poll::Ready(f(v))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Waits for the first of several futures, within the current task, and evaluates that
/// branch's body with its output; the other futures are dropped. tokio's syntax:
/// `pattern = future => body`, patterns irrefutable. Branches are polled in order
/// (biased), so the result is deterministic.
///
/// It expands to a future (await it, or `yield_await!` it in a coroutine). Bodies run as
/// closure bodies: `return`, `break` and `?` inside them apply to the body, not to the
/// enclosing function; compute a value and act on it after the `.await` instead.
///
/// ```
/// use resumable::{select, time::sleep};
/// use std::time::Duration;
///
/// resumable::run(async {
///     let which = select! {
///         _ = sleep(Duration::from_secs(60)) => "timer",
///         n = async { 41 } => if n == 41 { "value" } else { "other" },
///     }
///     .await;
///     assert_eq!(which, "value");
/// });
/// ```
#[macro_export]
macro_rules! select {
    ($p:pat = $f:expr => $body:expr $(,)?) => {
        $crate::join::Map::new($f, |__resumable_v| match __resumable_v { $p => $body })
    };
    ($p:pat = $f:expr => $body:expr, $($rest:tt)+) => {
        $crate::join::Map::new(
            $crate::race($f, $crate::select!($($rest)+)),
            |__resumable_v| match __resumable_v {
                $crate::Either::Left($p) => $body,
                $crate::Either::Right(__resumable_rest) => __resumable_rest,
            },
        )
    };
}
