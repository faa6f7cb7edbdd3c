//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/79, shrunk): error[E0425]: cannot find value `x1` in this scope
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 6, fixed: the
//! shadowed binding gets a fixed slot).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x1: i64 = (1) % 1000;
    let mut d0 = D::new(
        (if (5 < 1) {
            let Some(mut x1) = some(1) else {
                return Ok(a1);
            };
            let mut x3: i64 = (yield_await!(w(5))) % 1000;
            1
        } else {
            1
        }) % 1000,
    );
    Ok(8)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x1: i64 = (1) % 1000;
    let mut d0 = D::new(
        (if (5 < 1) {
            let Some(mut x1) = some(1) else {
                return Ok(a1);
            };
            let mut x3: i64 = (w(5).await) % 1000;
            1
        } else {
            1
        }) % 1000,
    );
    Ok(8)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_79() {
    assert_same(&observe(
        &|| coroutine(D::new(17), 17),
        &|| native(D::new(17), 17),
        &[1],
    ));
}
