//! # resumable
//!
//! Python's `async`/`await` and `asyncio`, for Rust, with nothing hidden.
//!
//! (The full guide is being written; see the README.)

pub use resumable_macros::{coroutine, coroutine_block, yield_await};

mod machine;
pub mod sync;

/// Items the `#[coroutine]` expansion refers to. Not a public API: no stability promise,
/// and their soundness rests on contracts only the macro upholds.
#[doc(hidden)]
pub mod __private {
    pub use crate::machine::{
        machine, resume, resumed_after_completion, resumed_after_panicking, start, FromResidual,
        Machine, Pinned, Slot, Slots, State, Try,
    };

    /// Names the lifetimes a coroutine's `impl Future` return type captures, on editions
    /// where return-position `impl Trait` does not capture them by itself (2018, 2021):
    /// `-> impl Future<Output = T> + Captures<(&'a (), &'b ())>`. Implemented for all types.
    ///
    /// ```
    /// use resumable::__private::Captures;
    /// fn both<'a, 'b>(a: &'a str, b: &'b str) -> impl Iterator<Item = usize> + Captures<(&'a (), &'b ())> {
    ///     [a.len(), b.len()].into_iter().filter(move |_| !a.is_empty() && !b.is_empty())
    /// }
    /// assert_eq!(both("ab", "c").sum::<usize>(), 3);
    /// ```
    pub trait Captures<T: ?Sized> {}

    impl<T: ?Sized, U: ?Sized> Captures<T> for U {}
}
