//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/1, shrunk): error: `yield_await!` in the `else` of a `let`-`else` is not supported; use a `match` instead
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 3, fixed: the
//! `let`-`else` is split into a match that drops the scrutinee and a match that runs
//! the `else`).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    let Some(mut x0) = some(1) else {
        return Some(if (7 < 6) {
            (-2)
        } else {
            yield_await!(w(d2.0));
            a1
        });
    };
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    let Some(mut x0) = some(1) else {
        return Some(if (7 < 6) {
            (-2)
        } else {
            w(d2.0).await;
            a1
        });
    };
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_2026_1() {
    assert_same(&observe(
        &|| coroutine(D::new(16), 1),
        &|| native(D::new(16), 1),
        &[0],
    ));
}
