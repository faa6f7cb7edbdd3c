//! Difftest class 23 (`difftest/KNOWN_DIVERGENCES.md`), found by the long mode in edition
//! 2024 (seed 24, program 6862, reduced by hand): one file, included by the edition-2024
//! crate and by `tests/regressions_size_24_6862.rs` (edition 2021), so that the same tokens
//! are checked in both editions.
//!
//! The block's `x1` (borrowed across its yield: a fixed slot) is dead before the temporary
//! `D::new(1)` exists. The temporary, borrowed across the second yield, has two holders
//! (one per edition's drop order), both fixed; the edition gives it to one and `()` to the
//! other. They took a place each, so in edition 2024 the temporary did not share bytes
//! with `x1` (72 B against the `async fn`'s 64 B); they now share one place, the one `x1`
//! left.

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
    // The same behaviour, run to the end and cancelled at every suspension point, and no
    // larger than the `async fn` (`assert_same` compares the sizes too).
    assert_same(&observe(&|| coroutine(1), &|| native(1), &[1, 2]));
}
