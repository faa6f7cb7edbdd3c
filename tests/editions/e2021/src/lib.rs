//! Coroutines on this edition: lifetimes (named, elided, of `Self`) captured by the
//! returned future, methods, traits, generics and blocks.
#![deny(warnings)]

// The same cases compile on every edition: one file, included by each edition's crate.
#[cfg(test)]
#[path = "../../cases.rs"]
mod cases;
