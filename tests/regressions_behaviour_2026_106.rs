//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/106, shrunk): full: event 2 is `drop d1` in the coroutine, `w2=12` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    if (keep(&D::new(a1), 1) < yield_await!(w(12))) {}
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    if (keep(&D::new(a1), 1) < w(12).await) {}
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_106() {
    assert_same(&observe(
        &|| coroutine(D::new(5), 0),
        &|| native(D::new(5), 0),
        &[2],
    ));
}
