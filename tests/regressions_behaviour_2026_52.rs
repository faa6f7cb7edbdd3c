//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/52, shrunk): full: event 3 is `drop d1` in the coroutine, `w2 ready` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((1) % 1000);
    yield_await!(w(d1.0));
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((1) % 1000);
    w(d1.0).await;
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_52() {
    assert_same(&observe(
        &|| coroutine(D::new(9), 10),
        &|| native(D::new(9), 10),
        &[0],
    ));
}
