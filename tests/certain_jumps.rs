//! Code after a yield that certainly leaves by a `break` or `continue` to a loop or block
//! further out: the levels it jumps over never run again, so the state keeps none of
//! their locals (as rustc's), and the machine still behaves as the `async fn` (output,
//! drops, cancellation at every poll, size). Difftest class 15: its program (seed 3, 8913,
//! where four dead `i64`s were kept: 72 B against 64 B) is `regressions_size_3_8913.rs`.
// (The runtime is shared with difftest: not all of it is used here.)
#![allow(dead_code, unused_labels)]

#[path = "../difftest/src/runtime.rs"]
mod runtime;
use runtime::*;

macro_rules! twins {
    ($test:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty $body:block, $(($($a:expr),*)),+) => {
        #[test]
        fn $test() {
            #[resumable::coroutine]
            fn co($($arg: $ty),*) -> $ret $body

            async fn native($($arg: $ty),*) -> $ret $body

            for script in [&[0][..], &[1, 0, 2][..]] {
                $(
                    assert_same(&observe(&|| co($($a),*), &|| native($($a),*), script));
                )+
            }
        }
    };
}

// A labelled `break` from an inner loop straight to the outer one: the inner loop's
// counter and the outer body's locals are dead after the yield; the `D` declared in the
// outer body is dropped by the jump, after the yield.
twins!(a_break_to_an_outer_loop_drops_what_it_leaves, (n: i64) -> i64 {
    let mut total = 0;
    'outer: loop {
        let d = D::new(total);
        let mut i: i64 = 0;
        loop {
            i += 1;
            if i + total > n {
                total += w(i).await;
                break 'outer;
            }
            if i > 2 {
                break;
            }
        }
        total += i + d.0;
    }
    total
}, (5), (0));

// A `continue` to the outer loop: its body runs again, so what it reads is kept; what
// only the inner levels read is not.
twins!(a_continue_to_an_outer_loop_runs_its_body_again, (n: i64) -> i64 {
    let mut total = 0;
    let mut round = 0;
    'outer: while round < n {
        round += 1;
        let d = D::new(round);
        let mut j: i64 = 0;
        loop {
            j += 1;
            if j == 2 {
                total += w(d.0).await;
                continue 'outer;
            }
            total += j;
        }
    }
    total
}, (3), (0));

// A `break` with a value out of a labelled block, from a yield two blocks down.
twins!(a_break_out_of_a_labelled_block_with_a_value, (a: D, k: i64) -> i64 {
    let v = 'b: {
        let inner = D::new(k);
        let mut c: i64 = 0;
        while c < 4 {
            c += 1;
            if c == k {
                let got = w(c).await;
                break 'b got + inner.0;
            }
        }
        -1
    };
    v + a.0
}, (D::new(1), 2), (D::new(2), 9));

// The certain jump is in the code after a statement with a yield (its join), not right
// after the yield; an unlabelled `break` lands at the innermost loop, whose body does not
// run again: `spare` is dead after the yield.
twins!(a_jump_after_a_join_skips_the_levels_too, (n: i64) -> i64 {
    let mut acc = 0;
    for i in 0..n {
        let held = D::new(i);
        let mut k: i64 = 0;
        let mut spare: i64 = i;
        loop {
            k += 1;
            spare += 2;
            if k > 1 {
                let x = if spare > 3 { w(k).await } else { 1 };
                acc += x + held.0;
                break;
            }
        }
        acc += k;
    }
    acc
}, (3), (0));
