//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/95, shrunk): full: event 6 is `new d3=1` in the coroutine, `drop d1` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (fixed: an `if` condition
//! whose awaited future borrows a temporary gets a block of its own, where it drops).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut x3: i64 = (a1) % 1000;
    Some(if (1 < yield_await!(w(keep(&D::new(x3), x3)))) {
        let mut d2 = D::new((1) % 1000);
        x3
    } else {
        1
    })
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut x3: i64 = (a1) % 1000;
    Some(if (1 < w(keep(&D::new(x3), x3)).await) {
        let mut d2 = D::new((1) % 1000);
        x3
    } else {
        1
    })
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_95() {
    assert_same(&observe(
        &|| coroutine(D::new(18), 15),
        &|| native(D::new(18), 15),
        &[1, 0, 1],
    ));
}
