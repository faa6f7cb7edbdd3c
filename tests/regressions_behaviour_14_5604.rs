//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 14/5604, shrunk): full: event 6 is `drop d1` in the coroutine, `drop d2` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut x1: i64 = (a1) % 1000;
    match i64::rem_euclid(x1, 4) {
        0 => {}
        1 | 2 => {}
        _ => {
            let mut d0 = D::new((1) % 1000);
            'l5: for i6 in 0..i64::rem_euclid(keep(&D::new(a1), yield_await!(w(a1))), 4) {}
        }
    }
    Some(yield_await!(wx(&mut x1, 11)))
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut x1: i64 = (a1) % 1000;
    match i64::rem_euclid(x1, 4) {
        0 => {}
        1 | 2 => {}
        _ => {
            let mut d0 = D::new((1) % 1000);
            'l5: for i6 in 0..i64::rem_euclid(keep(&D::new(a1), w(a1).await), 4) {}
        }
    }
    Some(wx(&mut x1, 11).await)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_14_5604() {
    assert_same(&observe(
        &|| coroutine(D::new(13), 3),
        &|| native(D::new(13), 3),
        &[0],
    ));
}
