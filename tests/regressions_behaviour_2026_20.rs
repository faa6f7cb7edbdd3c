//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/20, shrunk): full: event 3 is `drop d1` in the coroutine, `~pending` in the async fn
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (fixed: a `match` scrutinee's
//! temporaries are kept in locals of their own, alive across the arms' yields).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d0 = D::new(
        (match i64::rem_euclid(keep(&D::new(1), 1), 4) {
            0 => a1,
            1 | 2 => {
                yield_await!(w(4))
            }
            _ => {
                let mut d1 = D::new((keep(&D::new(a1), 5)) % 1000);
                d1.0
            }
        }) % 1000,
    );
    Ok(a1)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d0 = D::new(
        (match i64::rem_euclid(keep(&D::new(1), 1), 4) {
            0 => a1,
            1 | 2 => w(4).await,
            _ => {
                let mut d1 = D::new((keep(&D::new(a1), 5)) % 1000);
                d1.0
            }
        }) % 1000,
    );
    Ok(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_behaviour_2026_20() {
    assert_same(&observe(
        &|| coroutine(D::new(19), 4),
        &|| native(D::new(19), 4),
        &[2, 1, 2],
    ));
}
