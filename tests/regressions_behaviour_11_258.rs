//! Divergences between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (programs 11/258 and 11/119 at 338026f, shrunk by the harness; written by hand): an
//! `if` condition's temporary made after a yield in it lived to the end of the `if`
//! statement (the fix for class 18 extended it), where Rust drops it before a branch runs.
//! full: event 5 is `new d3=6` in the coroutine, `drop d2` in the async fn
//! See `difftest/KNOWN_DIVERGENCES.md`, class 18.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    if (keep(&D::new(yield_await!(w(1))), 1) < a1) {
        let mut d1 = D::new((a1) % 1000);
    }
    Ok(a1)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    if (keep(&D::new(w(1).await), 1) < a1) {
        let mut d1 = D::new((a1) % 1000);
    }
    Ok(a1)
}

#[resumable::coroutine]
fn coroutine_119(a0: D, a1: i64) -> Option<i64> {
    if ((keep(
        &D::new(match i64::rem_euclid(a1, 4) {
            0 => a1,
            1 | 2 => {
                yield_await!(wd(&a0, 11))
            }
            _ => 8,
        }),
        1,
    ) + (-3))
        < a1)
    {
        let mut x1: i64 = (yield_await!(w(1))) % 1000;
    } else {
    }
    Some(1)
}

async fn native_119(a0: D, a1: i64) -> Option<i64> {
    if ((keep(
        &D::new(match i64::rem_euclid(a1, 4) {
            0 => a1,
            1 | 2 => wd(&a0, 11).await,
            _ => 8,
        }),
        1,
    ) + (-3))
        < a1)
    {
        let mut x1: i64 = (w(1).await) % 1000;
    } else {
    }
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_11_258() {
    assert_same(&observe(
        &|| coroutine(D::new(3), 4),
        &|| native(D::new(3), 4),
        &[0, 1],
    ));
    assert_same(&observe(
        &|| coroutine_119(D::new(3), 5),
        &|| native_119(D::new(3), 5),
        &[0, 1],
    ));
}
