//! # resumable
//!
//! Python's `async`/`await` and `asyncio`, for Rust, with nothing hidden.
//!
//! (The full guide is being written; see the README.)

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
}
