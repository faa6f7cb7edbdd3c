//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/60, shrunk): error[E0382]: use of moved value: `d0`: value used here after move
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 5, fixed: the
//! local gets a fixed slot with a drop flag).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d0 = D::new((1) % 1000);
    let mut d1 = d0;
    Some(if (yield_await!(w(5)) == 1) {
        a0.0
    } else {
        d0 = D::new((a1) % 1000);
        (-2)
    })
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d0 = D::new((1) % 1000);
    let mut d1 = d0;
    Some(if (w(5).await == 1) {
        a0.0
    } else {
        d0 = D::new((a1) % 1000);
        (-2)
    })
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_60() {
    assert_same(&observe(
        &|| coroutine(D::new(7), 2),
        &|| native(D::new(7), 2),
        &[0],
    ));
}
