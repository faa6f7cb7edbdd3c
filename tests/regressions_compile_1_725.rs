//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 1/725, shrunk): error[E0425]: cannot find value `d0` in this scope
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 6, fixed: the
//! shadowed binding gets a fixed slot).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d0 = D::new((a1) % 1000);
    let mut c3: i64 = 0;
    'l2: loop {
        if c3 >= 2 {
            break 'l2;
        }
        c3 += 1;
        let mut d0 = D::new((1) % 1000);
        'l4: for i5 in 0..i64::rem_euclid(yield_await!(w(1)), 4) {}
    }
    Some(2)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d0 = D::new((a1) % 1000);
    let mut c3: i64 = 0;
    'l2: loop {
        if c3 >= 2 {
            break 'l2;
        }
        c3 += 1;
        let mut d0 = D::new((1) % 1000);
        'l4: for i5 in 0..i64::rem_euclid(w(1).await, 4) {}
    }
    Some(2)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_1_725() {
    assert_same(&observe(
        &|| coroutine(D::new(20), 15),
        &|| native(D::new(20), 15),
        &[0],
    ));
}
