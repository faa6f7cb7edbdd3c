//! Divergences found by `difftest` (long mode, seed 1, programs 105, 158 and 505, shrunk):
//! a yield before a `return` whose value holds a loop with `break`s of its own, or inside
//! a loop whose exit leads to a `return`. The code after the `return` was taken for code
//! that runs after the yield (E0382 on a value moved before it), or a `break` inside the
//! returned value for one that leaves it (E0425 on a local the next state stores).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;
#[resumable::coroutine]
fn coroutine105(a0: D, a1: i64) -> Option<i64> {
    let Some(mut x1) = some(2) else {
        drop(a0);
        yield_await!(w(1));
        return Some({
            let mut c9: i64 = 0;
            'l8: loop {
                if c9 >= 3 {
                    break 'l8 (-1);
                }
                c9 += 1;
            }
        });
    };
    drop(a0);
    Some(6)
}

async fn native105(a0: D, a1: i64) -> Option<i64> {
    let Some(mut x1) = some(2) else {
        drop(a0);
        (w(1)).await;
        return Some({
            let mut c9: i64 = 0;
            'l8: loop {
                if c9 >= 3 {
                    break 'l8 (-1);
                }
                c9 += 1;
            }
        });
    };
    drop(a0);
    Some(6)
}

#[resumable::coroutine]
fn coroutine158(a0: D, a1: i64) -> Option<i64> {
    let Some(mut x0) = some(1) else {
        let mut d0 = a0;
        'l2: for i3 in 0..i64::rem_euclid(1, 4) {
            let mut d2 = D::new((yield_await!(w(5))) % 1000);
        }
        return Some(a1);
    };
    let mut x1: i64 = (a0.0) % 1000;
    Some(1)
}

async fn native158(a0: D, a1: i64) -> Option<i64> {
    let Some(mut x0) = some(1) else {
        let mut d0 = a0;
        'l2: for i3 in 0..i64::rem_euclid(1, 4) {
            let mut d2 = D::new(((w(5)).await) % 1000);
        }
        return Some(a1);
    };
    let mut x1: i64 = (a0.0) % 1000;
    Some(1)
}

#[resumable::coroutine]
fn coroutine505(a0: D, a1: i64) -> Result<i64, i64> {
    let mut c7: i64 = 0;
    'l6: loop {
        if c7 >= 0 {
            break 'l6;
        }
        c7 += 1;
        return Ok({
            let mut c17: i64 = 0;
            'l16: loop {
                if c17 >= 1 {
                    break 'l16 yield_await!(w(a1));
                }
                c17 += 1;
            }
        });
    }
    Ok(1)
}

async fn native505(a0: D, a1: i64) -> Result<i64, i64> {
    let mut c7: i64 = 0;
    'l6: loop {
        if c7 >= 0 {
            break 'l6;
        }
        c7 += 1;
        return Ok({
            let mut c17: i64 = 0;
            'l16: loop {
                if c17 >= 1 {
                    break 'l16 (w(a1)).await;
                }
                c17 += 1;
            }
        });
    }
    Ok(1)
}

#[test]
fn coroutine_behaves_as_async_fn_1_105() {
    assert_same(&observe(
        &|| coroutine105(D::new(3), 2),
        &|| native105(D::new(3), 2),
        &[0, 1],
    ));
}

#[test]
fn coroutine_behaves_as_async_fn_1_158() {
    assert_same(&observe(
        &|| coroutine158(D::new(3), 2),
        &|| native158(D::new(3), 2),
        &[0, 1],
    ));
}

#[test]
fn coroutine_behaves_as_async_fn_1_505() {
    assert_same(&observe(
        &|| coroutine505(D::new(3), 2),
        &|| native505(D::new(3), 2),
        &[0, 1],
    ));
}
