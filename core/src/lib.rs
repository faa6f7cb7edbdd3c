//! # resumable
//!
//! Python's `async`/`await` and `asyncio`, for Rust, with nothing hidden:
//! [`#[resumable::coroutine]`](macro@coroutine) rewrites a plain `fn` with
//! [`yield_await!`] points into an explicit state machine (read it with `cargo expand`),
//! and a small single-threaded event loop ([`run`], [`spawn`], [`time`], [`sync`],
//! [`net`]) resumes those machines in asyncio's order.
//!
//! ```
//! use resumable::{time::sleep, yield_await};
//! use std::time::Duration;
//!
//! #[resumable::coroutine]
//! fn fetch_data() -> &'static str {
//!     yield_await!(sleep(Duration::from_millis(10))); // pause; the loop runs others
//!     "sample data"
//! }
//!
//! #[resumable::coroutine]
//! fn main_task() -> String {
//!     let data = yield_await!(fetch_data()); // calling is lazy, like Python
//!     format!("Received {data}")
//! }
//!
//! assert_eq!(resumable::run(main_task()), "Received sample data");
//! ```
//!
//! ## Seeing the running program
//!
//! - Debug mode (`RESUMABLE_DEBUG=1`, or [`runtime::Builder::debug`]) warns on stderr about
//!   slow steps, tasks still pending or never polled when a runtime is dropped, each
//!   warning naming the task and the fix; [`runtime::dump`] lists the live tasks.
//! - The `tracing` cargo feature (off by default, compiled out when off) reports each task
//!   step as a `poll` span and spawn, wake, cancel, panic, completion, timer and I/O
//!   readiness as events, all with target `resumable`:
//!   `resumable = { version = "0.1", features = ["tracing"] }`.
//!
#![doc = include_str!("guide.md")]

pub use resumable_macros::{coroutine, coroutine_block, for_await, yield_, yield_await};

mod edition;
mod fixed;
mod generator;
mod machine;

/// The ecosystem's async iterator (`futures_core::Stream`), re-exported: async generators
/// (`#[resumable::coroutine] fn f() -> impl resumable::Stream<Item = T>`) implement it,
/// `for_await!` iterates it.
///
/// ```
/// fn is_stream<S: resumable::Stream>(_: &S) {}
/// is_stream(&resumable::sync::Queue::<u8>::new().into_stream());
/// ```
pub use futures_core::Stream;
pub use generator::{Coroutine, CoroutineState};
pub mod graph;
pub use graph::StateGraph;
pub mod sync;

// ---- the runtime ----
mod blocking;
mod gather;
mod handle;
#[doc(hidden)]
pub mod join;
mod join_handle;
mod reactor;
pub mod runtime;
mod scheduler;
pub mod task;
mod task_group;
pub mod time;

pub use blocking::spawn_blocking;
pub use gather::{
    as_completed, gather, gather_all, wait, AsCompleted, Gather, GatherAll, NextCompleted,
    ReturnWhen, Wait,
};
pub use handle::{Handle, RuntimeGone};
pub use join::{race, Either, Race};
pub use join_handle::JoinHandle;
pub use runtime::{run, Runtime};
pub use task::{spawn, spawn_named, yield_now, JoinError, Task};
pub use task_group::{GroupError, GroupJoin, TaskGroup};
// ---- end of the runtime block ----

pub mod net;

/// Items the `#[coroutine]` expansion refers to. Not a public API: no stability promise,
/// and their soundness rests on contracts only the macro upholds.
#[doc(hidden)]
pub mod __private {
    /// The README's Rust code blocks, compiled and run as doctests so they stay true.
    #[doc = include_str!("../../README.md")]
    #[cfg(doctest)]
    pub struct ReadmeDoctests;

    pub use crate::edition::{
        edition, probe, Edition, Edition2021, Edition2024, EditionProbe, ProbeItem,
    };
    pub use crate::fixed::{
        drop_flagged, drop_movable, twin_end, twin_next, twin_yield, Fixed, FixedSlot, Flag,
        FlagValue, Flagged, Held, Live, LiveMovable, Movable, Overlay, SlotBytes,
    };
    pub use crate::machine::{
        async_generator, generator, generator_resumed_after_completion, machine, pending_at,
        resumed_after_completion, resumed_after_panicking, store, Ahead, AsyncGenerator, Copied,
        CopyNow, Dead, DeadCopy, DeadKeep, DropDead, DropInOrder, ForAwait, FromResidual,
        Generator, KeepDead, Later, Machine, Operand, OperandCopy, OperandLater, Pinned, ReadLater,
        Slot, State, StreamSlot, Try, Unfinished, Vacate,
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

    pub use crate::generator::CoroutineState;

    impl<T: ?Sized, U: ?Sized> Captures<T> for U {}
}
