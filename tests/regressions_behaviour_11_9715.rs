//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 11/9715, shrunk): full: event 9 is `drop d2` in the coroutine, `new d4=19` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new(
        ('b1: {
            let mut x0: i64 = (1) % 1000;
            let mut d1 = a0;
            keep(
                &D::new(yield_await!(wd(&d1, 5))),
                yield_await!(wx(&mut x0, (-2))),
            )
        }) % 1000,
    );
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new(
        ('b1: {
            let mut x0: i64 = (1) % 1000;
            let mut d1 = a0;
            keep(&D::new(wd(&d1, 5).await), wx(&mut x0, (-2)).await)
        }) % 1000,
    );
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_11_9715() {
    assert_same(&observe(
        &|| coroutine(D::new(15), -2),
        &|| native(D::new(15), -2),
        &[0],
    ));
}
