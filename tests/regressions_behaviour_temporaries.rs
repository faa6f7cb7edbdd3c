//! Divergences found by `difftest` (long mode, seed 1, shrunk): the temporaries of a
//! `for` loop's iterated expression live until the loop ends (programs 76, 179, 283);
//! a labelled block's tail among the operands of the body's value (program 258).
#![allow(warnings, clippy::all)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use resumable::yield_await;
use runtime::*;
#[resumable::coroutine]
fn coroutine76(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x2: i64 = (6) % 1000;
    match i64::rem_euclid(a0.0, 4) {
        0 => 1,
        1 | 2 => {
            'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(a1), x2), 4) {
                yield_await!(w(6));
            }
            x2
        }
        _ => (-3),
    };
    Ok((-1))
}

async fn native76(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x2: i64 = (6) % 1000;
    match i64::rem_euclid(a0.0, 4) {
        0 => 1,
        1 | 2 => {
            'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(a1), x2), 4) {
                (w(6)).await;
            }
            x2
        }
        _ => (-3),
    };
    Ok((-1))
}

#[resumable::coroutine]
fn coroutine179(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), 1), 4) {
        let mut x2: i64 = (yield_await!(w(1))) % 1000;
    }
    Ok(a1)
}

async fn native179(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), 1), 4) {
        let mut x2: i64 = ((w(1)).await) % 1000;
    }
    Ok(a1)
}

#[resumable::coroutine]
fn coroutine258(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x1: i64 = (2) % 1000;
    Ok('b5: { keep(&D::new(7), x1) })
}

async fn native258(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x1: i64 = (2) % 1000;
    Ok('b5: { keep(&D::new(7), x1) })
}

#[resumable::coroutine]
fn coroutine283(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), a0.0), 4) {
        let mut d2 = D::new((i2) % 1000);
        let mut d1 = D::new((yield_await!(w(d2.0))) % 1000);
    }
    Ok(a1)
}

async fn native283(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), a0.0), 4) {
        let mut d2 = D::new((i2) % 1000);
        let mut d1 = D::new(((w(d2.0)).await) % 1000);
    }
    Ok(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_1_76() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine76(D::new(3), 2),
            &|| native76(D::new(3), 2),
            script,
        ));
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_179() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine179(D::new(3), 2),
            &|| native179(D::new(3), 2),
            script,
        ));
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_258() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine258(D::new(3), 2),
            &|| native258(D::new(3), 2),
            script,
        ));
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_283() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine283(D::new(3), 2),
            &|| native283(D::new(3), 2),
            script,
        ));
    }
}

// Found later (long mode, seed 1): a `match` scrutinee's temporary inside an awaited
// expression (48), a yield in a `for` loop's iterated expression (179, second shape), a
// temporary under `?` evaluated before a yield of the same statement (424; `a1 = 3`
// takes the arm that yields).

#[resumable::coroutine]
fn coroutine48(a0: D, a1: i64) -> Result<i64, i64> {
    if (a1
        < yield_await!(w(match i64::rem_euclid(keep(&D::new(8), a0.0), 4) {
            0 => {
                2
            }
            1 | 2 => {
                10
            }
            _ => {
                6
            }
        })))
    {}
    Ok(1)
}

async fn native48(a0: D, a1: i64) -> Result<i64, i64> {
    if (a1
        < ((w(match i64::rem_euclid(keep(&D::new(8), a0.0), 4) {
            0 => 2,
            1 | 2 => 10,
            _ => 6,
        }))
        .await))
    {}
    Ok(1)
}

#[resumable::coroutine]
fn coroutine179_yield(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), yield_await!(w(a1))), 4) {
        let mut x2: i64 = (yield_await!(w(1))) % 1000;
    }
    Ok(a1)
}

async fn native179_yield(a0: D, a1: i64) -> Result<i64, i64> {
    'l1: for i2 in 0..i64::rem_euclid(keep(&D::new(1), (w(a1)).await), 4) {
        let mut x2: i64 = ((w(1)).await) % 1000;
    }
    Ok(a1)
}

#[resumable::coroutine]
fn coroutine424(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new(
        (some(keep(&D::new(a1), 1))?
            + match i64::rem_euclid(a1, 4) {
                0 => a0.0,
                1 | 2 => a0.0,
                _ => {
                    yield_await!(w(a1));
                    8
                }
            })
            % 1000,
    );
    Some(1)
}

async fn native424(a0: D, a1: i64) -> Option<i64> {
    let mut d1 = D::new(
        (some(keep(&D::new(a1), 1))?
            + match i64::rem_euclid(a1, 4) {
                0 => a0.0,
                1 | 2 => a0.0,
                _ => {
                    (w(a1)).await;
                    8
                }
            })
            % 1000,
    );
    Some(1)
}

#[test]
fn coroutine_behaves_as_async_fn_1_48() {
    for a1 in [2, 3] {
        for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
            assert_same(&observe(
                &|| coroutine48(D::new(3), a1),
                &|| native48(D::new(3), a1),
                script,
            ));
        }
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_179_yield() {
    for a1 in [2, 3] {
        for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
            assert_same(&observe(
                &|| coroutine179_yield(D::new(3), a1),
                &|| native179_yield(D::new(3), a1),
                script,
            ));
        }
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_424() {
    for a1 in [2, 3] {
        for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
            assert_same(&observe(
                &|| coroutine424(D::new(3), a1),
                &|| native424(D::new(3), a1),
                script,
            ));
        }
    }
}

// Edition 2021's order for a block's tail temporaries (after the block's locals), with
// a yield in the tail (345) or in an arm of a `match` that is the tail (356).

#[resumable::coroutine]
fn coroutine345(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    Some(keep(&D::new(1), yield_await!(w(a1))))
}

async fn native345(a0: D, a1: i64) -> Option<i64> {
    let mut d2 = D::new((1) % 1000);
    Some(keep(&D::new(1), (w(a1)).await))
}

#[resumable::coroutine]
fn coroutine356(a0: D, a1: i64) -> Result<i64, i64> {
    match i64::rem_euclid(a1, 4) {
        0 => {}
        1 | 2 => {
            let mut d2 = a0;
            match i64::rem_euclid(keep(&D::new(1), (-2)), 4) {
                0 => {
                    drop(d2);
                    yield_await!(w(1));
                }
                1 | 2 => {}
                _ => {}
            }
        }
        _ => {}
    }
    Ok(a1)
}

async fn native356(a0: D, a1: i64) -> Result<i64, i64> {
    match i64::rem_euclid(a1, 4) {
        0 => {}
        1 | 2 => {
            let mut d2 = a0;
            match i64::rem_euclid(keep(&D::new(1), (-2)), 4) {
                0 => {
                    drop(d2);
                    (w(1)).await;
                }
                1 | 2 => {}
                _ => {}
            }
        }
        _ => {}
    }
    Ok(a1)
}

#[test]
fn coroutine_behaves_as_async_fn_1_345() {
    for a1 in [1, 2] {
        for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
            assert_same(&observe(
                &|| coroutine345(D::new(3), a1),
                &|| native345(D::new(3), a1),
                script,
            ));
        }
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_356() {
    for a1 in [1, 2] {
        for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
            assert_same(&observe(
                &|| coroutine356(D::new(3), a1),
                &|| native356(D::new(3), a1),
                script,
            ));
        }
    }
}

// A temporary made while evaluating the awaited future of a block's tail (708).

#[resumable::coroutine]
fn coroutine708(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((2) % 1000);
    Ok(yield_await!(w(keep(&D::new(1), 1))))
}

async fn native708(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((2) % 1000);
    Ok((w(keep(&D::new(1), 1))).await)
}

#[test]
fn coroutine_behaves_as_async_fn_1_708() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine708(D::new(3), 2),
            &|| native708(D::new(3), 2),
            script,
        ));
    }
}

// A kept temporary of an `if` condition's tail made from a yield's value: its holder is
// declared before the first yield (quick mode, seed 2026 program 39: E0282 on the way).
#[resumable::coroutine]
fn coroutine2026_39(a0: D, a1: i64) -> Result<i64, i64> {
    if (1 < keep(&D::new(yield_await!(w(a0.0))), yield_await!(w(a1)))) {}
    Ok(9)
}

async fn native2026_39(a0: D, a1: i64) -> Result<i64, i64> {
    if (1 < keep(&D::new((w(a0.0)).await), (w(a1)).await)) {}
    Ok(9)
}

#[test]
fn coroutine_behaves_as_async_fn_2026_39() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine2026_39(D::new(13), 11),
            &|| native2026_39(D::new(13), 11),
            script,
        ));
    }
}

// Temporaries of one statement drop in reverse order of creation, those kept across a
// yield (made before it) last: in an `if` condition (827), a `let` (827_let), a compound
// assignment (564).

#[resumable::coroutine]
fn coroutine564(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x3: i64 = (12) % 1000;
    x3 += (keep(&D::new(1), {
        let mut c4: i64 = 0;
        'l3: loop {
            if c4 >= 3 {
                break 'l3 x3;
            }
            c4 += 1;
            yield_await!(w(2));
        }
    }) + keep(&D::new(1), 1));
    Ok(1)
}

async fn native564(a0: D, a1: i64) -> Result<i64, i64> {
    let mut x3: i64 = (12) % 1000;
    x3 += (keep(&D::new(1), {
        let mut c4: i64 = 0;
        'l3: loop {
            if c4 >= 3 {
                break 'l3 x3;
            }
            c4 += 1;
            (w(2)).await;
        }
    }) + keep(&D::new(1), 1));
    Ok(1)
}

#[resumable::coroutine]
fn coroutine827(a0: D, a1: i64) -> Result<i64, i64> {
    if (keep(&D::new(keep(&D::new(1), yield_await!(w(a1)))), 1) == 1) {}
    Ok(a1)
}

async fn native827(a0: D, a1: i64) -> Result<i64, i64> {
    if (keep(&D::new(keep(&D::new(1), (w(a1)).await)), 1) == 1) {}
    Ok(a1)
}

#[resumable::coroutine]
fn coroutine827_let(a0: D, a1: i64) -> Result<i64, i64> {
    let x = keep(&D::new(keep(&D::new(1), yield_await!(w(a1)))), 1);
    Ok(x)
}

async fn native827_let(a0: D, a1: i64) -> Result<i64, i64> {
    let x = keep(&D::new(keep(&D::new(1), (w(a1)).await)), 1);
    Ok(x)
}

#[test]
fn coroutine_behaves_as_async_fn_1_564() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine564(D::new(3), 1),
            &|| native564(D::new(3), 1),
            script,
        ));
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_827() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine827(D::new(3), 1),
            &|| native827(D::new(3), 1),
            script,
        ));
    }
}

#[test]
fn coroutine_behaves_as_async_fn_1_827_let() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine827_let(D::new(3), 1),
            &|| native827_let(D::new(3), 1),
            script,
        ));
    }
}

// A tail's temporary made after a yield, in the block around the tail's evaluated
// operands: that block has the tail's own braces, so the temporary drops in the user's
// edition's order (quick mode, seed 2026 program 133, when the macro crate moved to 2024).
#[resumable::coroutine]
fn coroutine2026_133(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((1) % 1000);
    Ok((yield_await!(w(1)) + keep(&D::new(d1.0), 10)))
}

async fn native2026_133(a0: D, a1: i64) -> Result<i64, i64> {
    let mut d1 = D::new((1) % 1000);
    Ok(((w(1)).await + keep(&D::new(d1.0), 10)))
}

#[test]
fn coroutine_behaves_as_async_fn_2026_133() {
    for script in [&[0, 1, 0][..], &[1, 0, 2][..]] {
        assert_same(&observe(
            &|| coroutine2026_133(D::new(-2), 4),
            &|| native2026_133(D::new(-2), 4),
            script,
        ));
    }
}
