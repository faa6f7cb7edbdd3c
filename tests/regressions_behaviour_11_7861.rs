//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 11/7861, shrunk): full: event 6 is `drop d2` in the coroutine, `drop d1` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((1) % 1000);
    Some({ keep(&D::new(2), yield_await!(wd(&d1, 6))) })
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((1) % 1000);
    Some({ keep(&D::new(2), wd(&d1, 6).await) })
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_11_7861() {
    assert_same(&observe(
        &|| coroutine(D::new(7), -5),
        &|| native(D::new(7), -5),
        &[0],
    ));
}
