//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 1/299, shrunk): full: event 5 is `t9=9` in the coroutine, `drop d1` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut c2: i64 = 0;
    'l1: while c2 < i64::rem_euclid(keep(&D::new(a1), yield_await!(w(a0.0))), 4) {
        c2 += 1;
        if (t(9, a0.0) == 3) {}
    }
    Ok(a1)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut c2: i64 = 0;
    'l1: while c2 < i64::rem_euclid(keep(&D::new(a1), w(a0.0).await), 4) {
        c2 += 1;
        if (t(9, a0.0) == 3) {}
    }
    Ok(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_1_299() {
    assert_same(&observe(
        &|| coroutine(D::new(9), 14),
        &|| native(D::new(9), 14),
        &[0],
    ));
}
