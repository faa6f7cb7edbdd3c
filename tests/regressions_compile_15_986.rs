//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (program 15/986, shrunk): error[E0425]: cannot find value `c3` in this scope
//! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md` (class 22, fixed: a loop
//! body's earlier jumps out are pending when the code after the point only returns).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((a1) % 1000);
    let mut c3: i64 = 0;
    'l2: while c3 < i64::rem_euclid(a1, 4) {
        c3 += 1;
        return Some({
            let mut c5: i64 = 0;
            'l4: loop {
                if c5 >= 3 {
                    break 'l4 {
                        let Some(mut x3) = some(d1.0) else {
                            break 'l2;
                        };
                        yield_await!(wd(&d1, 7))
                    };
                }
                c5 += 1;
            }
        });
    }
    Some(yield_await!(wd(&a0, 9)))
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new((a1) % 1000);
    let mut c3: i64 = 0;
    'l2: while c3 < i64::rem_euclid(a1, 4) {
        c3 += 1;
        return Some({
            let mut c5: i64 = 0;
            'l4: loop {
                if c5 >= 3 {
                    break 'l4 {
                        let Some(mut x3) = some(d1.0) else {
                            break 'l2;
                        };
                        wd(&d1, 7).await
                    };
                }
                c5 += 1;
            }
        });
    }
    Some(wd(&a0, 9).await)
}

#[test]
fn coroutine_behaves_as_async_fn_compile_15_986() {
    assert_same(&observe(
        &|| coroutine(D::new(5), -4),
        &|| native(D::new(5), -4),
        &[0],
    ));
}
