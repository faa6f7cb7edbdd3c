//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/8, shrunk): full: event 3 is `drop d1` in the coroutine, `w2 ready` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d0 = D::new((1 + (-2)) % 1000);
    let Some(mut x1) = some(((a1 + d0.0) - 5)) else {
        return Ok(10);
    };
    Ok(yield_await!(w(1)))
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d0 = D::new((1 + (-2)) % 1000);
    let Some(mut x1) = some(((a1 + d0.0) - 5)) else {
        return Ok(10);
    };
    Ok(w(1).await)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_8() {
    assert_same(&observe(
        &|| coroutine(D::new(-5), 16),
        &|| native(D::new(-5), 16),
        &[0],
    ));
}
