//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/47, shrunk): error[E0308]: mismatched types: expected `Poll<Option<i64>>`, found `Option<{integer}>`
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    Some(
        (yield_await!(w(1))
            + yield_await!(w(match i64::rem_euclid(2, 4) {
                0 => {
                    let Ok(mut x2) = ok(a1) else {
                        return Some(4);
                    };
                    3
                }
                1 | 2 => {
                    (-1)
                }
                _ => {
                    a1
                }
            }))),
    )
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    Some(
        (w(1).await
            + w(match i64::rem_euclid(2, 4) {
                0 => {
                    let Ok(mut x2) = ok(a1) else {
                        return Some(4);
                    };
                    3
                }
                1 | 2 => (-1),
                _ => a1,
            })
            .await),
    )
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_47() {
    assert_same(&observe(
        &|| coroutine(D::new(-5), -5),
        &|| native(D::new(-5), -5),
        &[1],
    ));
}
