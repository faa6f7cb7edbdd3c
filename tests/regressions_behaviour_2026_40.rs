//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/40, shrunk): full: event 2 is `drop d0` in the coroutine, `~pending` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    yield_await!(w({
        if (1 == 0) {
            let mut d0 = a0;
        }
        a1
    }));
    Some(a1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    w({
        if (1 == 0) {
            let mut d0 = a0;
        }
        a1
    })
    .await;
    Some(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_40() {
    assert_same(&observe(
        &|| coroutine(D::new(-4), -3),
        &|| native(D::new(-4), -3),
        &[1],
    ));
}
