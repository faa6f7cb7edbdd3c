//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 1/830, shrunk): error[E0425]: cannot find value `d1` in this scope
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((1) % 1000);
    match i64::rem_euclid(1, 4) {
        0 => {
            let mut d1 = a0;
            let mut d2 = D::new((if (d1.0 < yield_await!(w(8))) { a1 } else { 12 }) % 1000);
        }
        1 | 2 => {}
        _ => {}
    }
    Ok(d1.0)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((1) % 1000);
    match i64::rem_euclid(1, 4) {
        0 => {
            let mut d1 = a0;
            let mut d2 = D::new((if (d1.0 < w(8).await) { a1 } else { 12 }) % 1000);
        }
        1 | 2 => {}
        _ => {}
    }
    Ok(d1.0)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_1_830() {
    assert_same(&observe(
        &|| coroutine(D::new(-3), 6),
        &|| native(D::new(-3), 6),
        &[0],
    ));
}
