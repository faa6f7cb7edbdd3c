//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/259, shrunk): full: event 13 is `drop d3` in the coroutine, `drop d2` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((yield_await!(w(a0.0))) % 1000);
    Some(keep(&D::new(1), yield_await!(w(a1))))
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((w(a0.0).await) % 1000);
    Some(keep(&D::new(1), w(a1).await))
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_259() {
    assert_same(&observe(
        &|| coroutine(D::new(14), 20),
        &|| native(D::new(14), 20),
        &[2],
    ));
}
