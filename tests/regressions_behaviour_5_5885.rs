//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 5/5885 at 95ca81b, shrunk by hand from the harness's reproducer; the
//! generator has changed since, so the seed no longer makes it): full: event 5 is
//! `drop d0` in the coroutine, `drop d2` in the async fn
//! See `difftest/KNOWN_DIVERGENCES.md`, class 17.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = a0;
    let Ok(mut x0) = ok({
        match i64::rem_euclid(yield_await!(w(1)), 4) {
            0 => {}
            1 | 2 => {}
            _ => {}
        }
        'l2: for i3 in 0..i64::rem_euclid(some(2)?, 4) {}
        keep(&D::new(3), 9)
    }) else {
        drop(d1);
        panic!("p6");
    };
    Some(1)
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = a0;
    let Ok(mut x0) = ok({
        match i64::rem_euclid(w(1).await, 4) {
            0 => {}
            1 | 2 => {}
            _ => {}
        }
        'l2: for i3 in 0..i64::rem_euclid(some(2)?, 4) {}
        keep(&D::new(3), 9)
    }) else {
        drop(d1);
        panic!("p6");
    };
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_5_5885() {
    assert_same(&observe(
        &|| coroutine(D::new(3), 4),
        &|| native(D::new(3), 4),
        &[0, 1],
    ));
}
