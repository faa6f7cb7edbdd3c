//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 14/9935, shrunk): full: event 17 is `drop d1` in the coroutine, `drop d2` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    'l2: for i3 in 0..i64::rem_euclid(1, 4) {
        let mut d2 = D::new((1) % 1000);
        'l5: for i6 in 0..i64::rem_euclid(keep(&D::new(1), a1), 4) {
            let mut d2 = D::new((yield_await!(wd(&d2, 9))) % 1000);
        }
    }
    Some(a1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    'l2: for i3 in 0..i64::rem_euclid(1, 4) {
        let mut d2 = D::new((1) % 1000);
        'l5: for i6 in 0..i64::rem_euclid(keep(&D::new(1), a1), 4) {
            let mut d2 = D::new((wd(&d2, 9).await) % 1000);
        }
    }
    Some(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_14_9935() {
    assert_same(&observe(
        &|| coroutine(D::new(4), 1),
        &|| native(D::new(4), 1),
        &[2],
    ));
}
