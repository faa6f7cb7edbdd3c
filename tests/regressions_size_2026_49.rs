//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 2026/49, shrunk): size: the coroutine is 104 B, the async fn 96 B
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Result<i64, i64> {
    if ((yield_await!(w(a1)) < keep(&D::new(4), 8)) || (9 < keep(&D::new(6), yield_await!(w(a1)))))
    {
        let Some(mut x1) = some(1) else {
            let Ok(mut x2) = ok(1) else {
                let mut d0 = D::new((a1) % 1000);
                return Ok(yield_await!(wd(&d0, 7)));
            };
            panic!("p7");
        };
        let mut d0 = D::new((yield_await!(wx(&mut x1, (-1)))) % 1000);
    } else {
    }
    Ok(a1)
}

async fn native(a0: D, a1: i64) -> Result<i64, i64> {
    if ((w(a1).await < keep(&D::new(4), 8)) || (9 < keep(&D::new(6), w(a1).await))) {
        let Some(mut x1) = some(1) else {
            let Ok(mut x2) = ok(1) else {
                let mut d0 = D::new((a1) % 1000);
                return Ok(wd(&d0, 7).await);
            };
            panic!("p7");
        };
        let mut d0 = D::new((wx(&mut x1, (-1)).await) % 1000);
    } else {
    }
    Ok(a1)
}

#[test]

fn coroutine_behaves_as_async_fn_size_2026_49() {
    assert_same(&observe(
        &|| coroutine(D::new(15), -4),
        &|| native(D::new(15), -4),
        &[1],
    ));
}
