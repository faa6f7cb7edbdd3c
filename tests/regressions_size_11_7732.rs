//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 11/7732, shrunk): size: the coroutine is 88 B, the async fn 80 B
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x3: i64 = (if (a1 == 8) {
        let mut d1 = a0;
        0
    } else {
        drop(a0);
        t(1, a1)
    }) % 1000;
    let mut d1 = D::new(
        ({
            let mut c5: i64 = 0;
            'l4: loop {
                if c5 >= 0 {
                    break 'l4 0;
                }
                c5 += 1;
                yield_await!(wx(&mut x3, 11));
            }
        }) % 1000,
    );
    Ok(yield_await!(wd(&d1, (-3))))
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x3: i64 = (if (a1 == 8) {
        let mut d1 = a0;
        0
    } else {
        drop(a0);
        t(1, a1)
    }) % 1000;
    let mut d1 = D::new(
        ({
            let mut c5: i64 = 0;
            'l4: loop {
                if c5 >= 0 {
                    break 'l4 0;
                }
                c5 += 1;
                wx(&mut x3, 11).await;
            }
        }) % 1000,
    );
    Ok(wd(&d1, (-3)).await)
}

#[test]
fn coroutine_behaves_as_async_fn_size_11_7732() {
    assert_same(&observe(
        &|| coroutine(D::new(-5), 7),
        &|| native(D::new(-5), 7),
        &[0],
    ));
}
