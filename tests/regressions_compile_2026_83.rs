//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/83, shrunk): error[E0277]: the `?` operator can only be used in a closure that returns `Result` or `Option` (or another type that implements `FromResidual`): cannot use the
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    yield_await!(w(some(4)?));
    Some(a1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    w(some(4)?).await;
    Some(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_83() {
    assert_same(&observe(
        &|| coroutine(D::new(2), -5),
        &|| native(D::new(2), -5),
        &[0],
    ));
}
