//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`
//! (long mode, program 1/308, shrunk): size: the coroutine is 56 B, the async fn 48 B.
//! `x3`, bound by a `let`-`else` pattern and never used, was kept across the yield: the
//! attribute cannot see that it is an `i64`. It now asks the type (`Copy` types have no
//! drop glue: not kept) by autoref specialisation, `resumable::__private::Dead`
//! (`difftest/KNOWN_DIVERGENCES.md`, class 8).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;

#[resumable::coroutine]
fn coroutine(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = a0;
    let mut d0 = d1;
    let Some(mut x3) = some({
        let mut c2: i64 = 0;
        'l1: loop {
            if c2 >= 2 {
                break 'l1 'b3: {
                    drop(d0);
                    a1
                };
            }
            c2 += 1;
            let mut d0 = D::new(
                ('b9: {
                    break 'b9 a1;
                    a1
                }) % 1000,
            );
        }
    }) else {
        panic!("p12");
    };
    Some(yield_await!(w(0)))
}

async fn native(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = a0;
    let mut d0 = d1;
    let Some(mut x3) = some({
        let mut c2: i64 = 0;
        'l1: loop {
            if c2 >= 2 {
                break 'l1 'b3: {
                    drop(d0);
                    a1
                };
            }
            c2 += 1;
            let mut d0 = D::new(
                ('b9: {
                    break 'b9 a1;
                    a1
                }) % 1000,
            );
        }
    }) else {
        panic!("p12");
    };
    Some((w(0)).await)
}

#[test]
fn coroutine_behaves_as_async_fn_size_1_308() {
    for script in [&[0][..], &[1, 0][..]] {
        assert_same(&observe(
            &|| coroutine(D::new(4), 7),
            &|| native(D::new(4), 7),
            script,
        ));
    }
}
