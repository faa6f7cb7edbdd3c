//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/88, shrunk): full: event 3 is `drop d0` in the coroutine, `w2 ready` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    let mut d2 = D::new((1) % 1000);
    yield_await!(w(1));
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    let mut d2 = D::new((1) % 1000);
    w(1).await;
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_88() {
    assert_same(&observe(
        &|| coroutine(D::new(13), 17),
        &|| native(D::new(13), 17),
        &[0],
    ));
}
