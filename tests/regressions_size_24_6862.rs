//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest` in
//! edition 2024 (program 24/6862 at 8c9fd33, reduced by hand): a temporary kept across a
//! yield in a block's tail has two holders, one per edition's drop order, both fixed
//! slots when the temporary is borrowed across the yield; each took a place of its own, so
//! the temporary did not share bytes with a fixed local dead before it (72 B against
//! 64 B). The holders now share one place (the edition gives the value to one and `()` to
//! the other). The same program in edition 2024 is `tests/editions/e2024`'s `class_23`;
//! this one checks edition 2021, where the other holder takes the value.
//! See `difftest/KNOWN_DIVERGENCES.md`, class 23.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

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
    // Run to the end and cancelled at every suspension point; no larger than the async fn.
    assert_same(&observe(&|| coroutine(1), &|| native(1), &[1, 2]));
}
