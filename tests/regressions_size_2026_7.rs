//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/7, shrunk): size: the coroutine is 80 B, the async fn 72 B
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 9: a drop flag
//! costs bytes).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    if (a0.0 == (-2)) {
    } else {
        drop(a0);
        'l3: for i4 in 0..i64::rem_euclid(1, 4) {
            let Some(mut x2) = some(a1) else {
                panic!("p7");
            };
            yield_await!(w(i4));
        }
    }
    Some(a1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    if (a0.0 == (-2)) {
    } else {
        drop(a0);
        'l3: for i4 in 0..i64::rem_euclid(1, 4) {
            let Some(mut x2) = some(a1) else {
                panic!("p7");
            };
            w(i4).await;
        }
    }
    Some(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_size_2026_7() {
    assert_same(&observe(
        &|| coroutine(D::new(4), 7),
        &|| native(D::new(4), 7),
        &[0],
    ));
}
