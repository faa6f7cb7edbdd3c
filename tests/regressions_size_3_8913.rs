//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 3/8913, shrunk): size: the coroutine is 72 B, the async fn 64 B
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    let Some(mut x1) = some(a1) else {
        return Some(d2.0);
    };
    Some({
        let mut c4: i64 = 0;
        'l3: loop {
            if c4 >= 3 {
                break 'l3 {
                    let mut c6: i64 = 0;
                    'l5: loop {
                        if c6 >= 2 {
                            break 'l5 yield_await!(w(12));
                        }
                        c6 += 1;
                    }
                };
            }
            c4 += 1;
            x1 += a1;
        }
    })
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = a0;
    let Some(mut x1) = some(a1) else {
        return Some(d2.0);
    };
    Some({
        let mut c4: i64 = 0;
        'l3: loop {
            if c4 >= 3 {
                break 'l3 {
                    let mut c6: i64 = 0;
                    'l5: loop {
                        if c6 >= 2 {
                            break 'l5 w(12).await;
                        }
                        c6 += 1;
                    }
                };
            }
            c4 += 1;
            x1 += a1;
        }
    })
}

#[test]
fn coroutine_behaves_as_async_fn_size_3_8913() {
    assert_same(&observe(
        &|| coroutine(D::new(6), 11),
        &|| native(D::new(6), 11),
        &[0],
    ));
}
