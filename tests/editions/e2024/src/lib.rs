//! Coroutines on this edition: lifetimes (named, elided, of `Self`) captured by the
//! returned future, methods, traits, generics and blocks.
#![deny(warnings)]

// The same cases compile on every edition: one file, included by each edition's crate.
#[cfg(test)]
#[path = "../../cases.rs"]
mod cases;

// difftest's drop-logging values and scripted awaitables, for the case below.
#[cfg(test)]
#[rustfmt::skip] // formatted with difftest, in edition 2021
#[path = "../../../../difftest/src/runtime.rs"]
#[allow(dead_code, clippy::all)]
mod runtime;

// Difftest class 23, found in this edition (the same file is checked in edition 2021 by
// `tests/regressions_size_24_6862.rs`).
#[cfg(test)]
#[path = "../../class_23.rs"]
#[allow(unused_parens, unused_mut, unused_labels, clippy::all)]
mod class_23;
