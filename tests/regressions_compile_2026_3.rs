//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/3, shrunk): error: cannot find macro `__resumable_yield` in this scope
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    if (if (1 < 1) {
        yield_await!(w(1));
        a1
    } else {
        0
    } == (-2))
    {}
    Ok(2)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    if (if (1 < 1) {
        w(1).await;
        a1
    } else {
        0
    } == (-2))
    {}
    Ok(2)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_3() {
    assert_same(&observe(
        &|| coroutine(D::new(18), 7),
        &|| native(D::new(18), 7),
        &[0],
    ));
}
