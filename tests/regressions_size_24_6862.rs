//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest` in
//! edition 2024 (program 24/6862 at 8c9fd33): a kept temporary's two fixed holders took a
//! place each (8 B more than the `async fn`). The program is in `editions/class_23.rs`,
//! shared with the edition-2024 crate; here it is checked in edition 2021, where the other
//! holder takes the value. See `difftest/KNOWN_DIVERGENCES.md`, class 23.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;

#[path = "editions/class_23.rs"]
mod class_23;
