//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/222, shrunk): size: the coroutine is 88 B, the async fn 80 B
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 9: a drop flag
//! costs bytes).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    yield_await!(w(
        if (({ a1 } < yield_await!(w(1)))
            && ((a1 < yield_await!(w(1)))
                || ((yield_await!(w((-3))) == (-1)) && (1 < yield_await!(w(a1))))))
        {
            let mut d1 = d2;
            a1
        } else {
            d2.0
        }
    ));
    Some(a1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    w(
        if (({ a1 } < w(1).await)
            && ((a1 < w(1).await) || ((w((-3)).await == (-1)) && (1 < w(a1).await))))
        {
            let mut d1 = d2;
            a1
        } else {
            d2.0
        },
    )
    .await;
    Some(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_size_2026_222() {
    assert_same(&observe(
        &|| coroutine(D::new(20), 1),
        &|| native(D::new(20), 1),
        &[1],
    ));
}
