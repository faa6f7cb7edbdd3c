//! Coroutines on this edition: lifetimes (named, elided, of `Self`) captured by the
//! returned future, methods, traits, generics and blocks.
#![deny(warnings)]

#[cfg(test)]
mod cases;
