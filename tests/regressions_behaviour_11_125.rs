//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 11/125, shrunk): full: event 8 is `drop d3` in the coroutine, `drop d1` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    Some({
        let mut d1 = D::new((11) % 1000);
        keep(&D::new(d1.0), yield_await!(wd(&d2, 1)))
    })
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    Some({
        let mut d1 = D::new((11) % 1000);
        keep(&D::new(d1.0), wd(&d2, 1).await)
    })
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_11_125() {
    assert_same(&observe(
        &|| coroutine(D::new(14), 13),
        &|| native(D::new(14), 13),
        &[0],
    ));
}
