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

// Regression (difftest/KNOWN_DIVERGENCES.md, class 23): found by the long mode in edition
// 2024 (seed 24, program 6862).
#[cfg(test)]
#[allow(unused_parens, unused_mut, unused_labels, clippy::all)]
mod class_23 {
    use crate::runtime::*;
    use resumable::yield_await;

    #[resumable::coroutine]
    fn coroutine(a1: i64) -> Option<i64> {
        if ((t(2, 1)
            < 'b4: {
                let mut x1: i64 = (a1) % 1000;
                yield_await!(wx(&mut x1, 8))
            })
            && (keep(&D::new(1), a1) < yield_await!(w(a1))))
        {}
        Some(a1)
    }

    async fn native(a1: i64) -> Option<i64> {
        if ((t(2, 1)
            < 'b4: {
                let mut x1: i64 = (a1) % 1000;
                wx(&mut x1, 8).await
            })
            && (keep(&D::new(1), a1) < w(a1).await))
        {}
        Some(a1)
    }

    #[test]
    fn a_kept_temporary_after_a_borrowed_local_in_a_condition_shares_its_bytes() {
        // The block's `x1` (borrowed across its yield: a fixed slot) is dead before the
        // temporary `D::new(1)` exists. The temporary has two holders (one per edition's
        // drop order), both fixed, of which the edition gives it one and `()` the other:
        // they share one place, which `x1`'s place is (they were two, 72 B against 64 B).
        // The same behaviour, run to the end and cancelled at every suspension point.
        assert_same(&observe(&|| coroutine(1), &|| native(1), &[1, 2]));
        let co = std::mem::size_of_val(&coroutine(1));
        let native = std::mem::size_of_val(&native(1));
        assert!(
            co <= native,
            "the coroutine is {co} B, the async fn {native} B"
        );
    }
}
