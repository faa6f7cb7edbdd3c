//! A coroutine's future is never larger than the same body written as an `async fn`,
//! measured side by side in the same build.
#![deny(warnings)]
// The expansion contains no `unsafe`: the support types in `resumable` hold it all.
#![forbid(unsafe_code)]

use std::mem::size_of_val;
use testkit::{ready_after_one as ready, Log};

macro_rules! twins {
    ($co:ident, $native:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[resumable::coroutine]
        fn $co($($arg: $ty),*) -> $ret $body

        async fn $native($($arg: $ty),*) -> $ret $body
    };
}

twins!(empty_co, empty_native, () -> () {});

twins!(one_yield_co, one_yield_native, () -> u32 {
    ready(1u32).await
});

twins!(big_argument_co, big_argument_native, (buf: [u8; 8192]) -> u8 {
    ready(()).await;
    buf[0]
});

twins!(big_local_co, big_local_native, () -> u8 {
    let buf = [7u8; 4096];
    ready(()).await;
    buf[1]
});

twins!(dead_before_yield_co, dead_before_yield_native, () -> u8 {
    let buf = vec![7u8; 4096];
    let first = buf[0];
    drop(buf);
    ready(()).await;
    first
});

// An array read by index and dead after it is not kept across the yield (rustc does not
// keep it either). Regression: treating `big[i]` as a non-moving use kept it (2 KiB).
twins!(indexed_then_dead_co, indexed_then_dead_native, (i: usize) -> usize {
    let big = [3u8; 2048];
    let first = big[i % 2048] as usize;
    ready(first).await
});

// Dead primitives are not kept across a yield (nothing to drop; rustc does not keep them).
// Regression (difftest seed 7, program 850): `let x0: i64 = 7;` unused after the yield was
// kept as a possible guard, 8 bytes more than the `async fn`.
twins!(dead_primitives_co, dead_primitives_native, (a: u64) -> u64 {
    let x1: i64 = 3;
    let x0 = (7 + 1) * 2;
    let r: (u8, &str) = (1, "a");
    let used = x1 as u64 + x0 + r.0 as u64;
    ready(()).await;
    a + used
});

// A value moved on some paths only is kept with its drop flag, a field of its own next to
// the value's, so that the layout puts it in spare bytes as rustc does with its drop flags
// (difftest class 9: the flag beside the value cost 8 bytes, seed 2026 programs 7, 222).
twins!(drop_flag_co, drop_flag_native, (n: u8) -> u8 {
    let s = String::from("held on some paths");
    if n > 1 {
        drop(s);
    }
    ready(()).await;
    n
});

// A local moved in one branch only has a drop flag; at a yield of the branch that moved
// it, it is known to be moved out: the variant keeps nothing of it (rustc keeps the flag;
// regression: difftest seed 10 programs 8028, 8159, where its value's bytes cost 8 B).
twins!(moved_here_co, moved_here_native, (n: u8) -> u8 {
    let s = String::from("moved on the path to the yield");
    let v = match n {
        0 => {
            let t = s;
            ready(t.len() as u8).await
        }
        _ => n,
    };
    v
});

// A condition with a yield, whose operands borrow temporaries: the values computed from
// them are plain values, not `&mut`s to pin in fixed slots (regression: difftest seed 10
// program 1144 and 7 more, 8 to 32 bytes of slots; the places of the temporaries looked
// like `&mut` borrows to the attribute).
struct Noisy(u64);

impl Drop for Noisy {
    fn drop(&mut self) {
        std::hint::black_box(self.0);
    }
}

fn keep(_: &Noisy, v: u64) -> u64 {
    v
}

twins!(held_operands_co, held_operands_native, (n: u64) -> u64 {
    if 1 < keep(&Noisy(keep(&Noisy(keep(&Noisy(9), 10)), 1)), ready(keep(&Noisy(5), n)).await) {
        return 1;
    }
    n
});

// Temporaries kept to the end of a condition with yields, each borrowed by a value held
// across a yield, so pinned in fixed slots; the second is made on one path only (the right
// operand of `||`), so it has a drop flag. The flag is a field of the state's variants,
// as rustc keeps its drop flags in its state, not a byte padded to 8 in the slot
// (regression: difftest seed 1 programs 7048 and 7110, 112 and 120 B vs 104 B).
struct Wide(u64, u32);

impl Drop for Wide {
    fn drop(&mut self) {
        std::hint::black_box((self.0, self.1));
    }
}

fn keep_wide(_: &Wide, v: i64) -> i64 {
    v
}

twins!(kept_temporaries_co, kept_temporaries_native, (a0: Wide, a1: i64) -> Option<i64> {
    let d1 = Wide(1, 1);
    if ((keep_wide(&Wide(0, 0), a1) + ready(d1.0 as i64).await) == 7)
        || (keep_wide(&Wide(1, 1), 5) < ready(1i64).await)
    {
        return None;
    }
    drop(a0);
    Some(11)
});

twins!(kept_temporaries_loop_co, kept_temporaries_loop_native, (a0: Wide, a1: i64) -> Option<i64> {
    let d0 = Wide(1, 1);
    if ((keep_wide(&Wide(0, 0), a1) + ready(d0.0 as i64).await) == 7)
        || (keep_wide(&Wide(1, 1), 5) < ready(1i64).await)
    {
    } else {
        let x3: i64 = 1;
        for _ in 0..i64::rem_euclid(1, 4) {
            ready(x3).await;
        }
    }
    drop(a0);
    Some(a1)
});

/// Pending once, then ready with the first byte of what it borrows: a future that
/// borrows a local across its yield (which pins the local in a fixed slot).
struct Touch<'a, T>(&'a mut T, bool);

impl<T: AsRef<[u8]>> std::future::Future for Touch<'_, T> {
    type Output = usize;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<usize> {
        if std::mem::replace(&mut self.1, true) {
            std::task::Poll::Ready(usize::from(self.0.as_ref()[0]))
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

fn touch<T: AsRef<[u8]>>(value: &mut T) -> Touch<'_, T> {
    Touch(value, false)
}

// Locals borrowed across yields in disjoint scopes share one slot's bytes, as they share
// bytes of the `async fn`'s state. Regression: difftest class 16 (quick-mode program
// 2026/49, 104 B against 96 B); with a slot each, this was 256 + 320 bytes of slots.
twins!(disjoint_borrows_co, disjoint_borrows_native, (which: bool) -> usize {
    let n = if which {
        let mut a = [1u8; 256];
        touch(&mut a).await
    } else {
        let mut b = [2u8; 320];
        touch(&mut b).await
    };
    let m = {
        let mut c = [3u8; 300];
        touch(&mut c).await
    };
    n + m
});

// A local borrowed in a loop and dead after it gives its bytes to a local borrowed later:
// its `let` names a plain `Copy` type, so it is over at its last use (rustc's layout
// frees it by liveness). Regression: difftest class 20 (seed 11 program 7732, 88 B
// against 80 B); with a place each, this was 208 B against 176 B.
twins!(ended_at_last_use_co, ended_at_last_use_native, (n: usize) -> usize {
    let mut first: [u8; 64] = [1; 64];
    let mut i: usize = 0;
    while i < n {
        let wide = [i as u8; 48];
        touch(&mut first).await;
        i += usize::from(wide[0]) + 1;
    }
    let mut second = [2u8; 64];
    touch(&mut second).await
});

// A big array kept at one yield, after a scope whose buffer was borrowed across a yield:
// the array takes the buffer's place (as large, by their `let`s), where it shares bytes
// with the buffer as in the `async fn`'s state. With the array in the state, this was
// 2,064 B against 1,088 B (the machine corpus's `borrowed_buffer_scopes`).
twins!(array_in_a_free_place_co, array_in_a_free_place_native, (i: usize) -> usize {
    let n = {
        let mut buf = [0u8; 1024];
        touch(&mut buf).await
    };
    let m = {
        let other = [2u8; 1024];
        ready(()).await;
        usize::from(other[(n + i) % 1024])
    };
    n + m
});

// A big array whose value is the last use of a fixed local (of a plain type) takes that
// local's place: the local ends after the array's `let`, before the array takes a place.
twins!(array_after_last_use_co, array_after_last_use_native, (n: u32) -> u8 {
    let mut acc: [u8; 512] = [1; 512];
    for i in 0..n {
        touch(&mut acc).await;
        acc[1] = u8::wrapping_add(acc[1], i as u8);
    }
    let big: [u8; 300] = [acc[1]; 300];
    ready(()).await;
    big[299]
});

// Yield points after a diverging statement never run: rustc leaves them out of the state,
// and so does the machine (regression: difftest seed 2026 program 166, 56 B vs 32 B).
#[allow(unreachable_code, unused_variables)]
#[resumable::coroutine]
fn unreachable_co(a: u64) -> u64 {
    let small = ready(a).await;
    return small + 1;
    let big = [a as u8; 512];
    ready(()).await;
    big[3] as u64
}

#[allow(unreachable_code, unused_variables)]
async fn unreachable_native(a: u64) -> u64 {
    let small = ready(a).await;
    return small + 1;
    let big = [a as u8; 512];
    ready(()).await;
    big[3] as u64
}

twins!(disjoint_scopes_co, disjoint_scopes_native, () -> usize {
    let a = {
        let x = [1u8; 1000];
        ready(()).await;
        x.len()
    };
    let b = {
        let y = [2u8; 2000];
        ready(()).await;
        y.len()
    };
    a + b
});

twins!(loop_co, loop_native, (n: u32) -> u32 {
    let mut total = 0;
    for i in 0..n {
        total += ready(i).await;
    }
    total
});

twins!(branches_co, branches_native, (flag: bool) -> String {
    let s = String::from("x");
    if flag {
        let big = [0u64; 64];
        ready(()).await;
        format!("{s}{}", big[0])
    } else {
        ready(s).await
    }
});

twins!(nested_co, nested_native, () -> u32 {
    one_yield_co().await + one_yield_co().await
});

twins!(logged_co, logged_native, (log: Log) -> () {
    let _a = log.value("a");
    log.future("f", ()).await;
    let _b = log.value("b");
    log.future("g", ()).await;
});

twins!(question_co, question_native, (s: String) -> Result<u32, std::num::ParseIntError> {
    let n: u32 = ready(s).await.parse()?;
    Ok(n + 1)
});

twins!(match_co, match_native, (v: Option<Vec<u8>>) -> usize {
    match v {
        Some(bytes) => {
            ready(()).await;
            bytes.len()
        }
        None => 0,
    }
});

macro_rules! assert_not_larger {
    ($co:expr, $native:expr) => {{
        let (co, native) = ($co, $native);
        assert!(
            size_of_val(&co) <= size_of_val(&native),
            "{}: coroutine {} B > async fn {} B",
            stringify!($co),
            size_of_val(&co),
            size_of_val(&native)
        );
    }};
}

#[test]
fn coroutines_are_never_larger_than_the_same_async_fn() {
    assert_not_larger!(empty_co(), empty_native());
    assert_not_larger!(one_yield_co(), one_yield_native());
    assert_not_larger!(big_argument_co([0; 8192]), big_argument_native([0; 8192]));
    assert_not_larger!(big_local_co(), big_local_native());
    assert_not_larger!(dead_before_yield_co(), dead_before_yield_native());
    assert_not_larger!(indexed_then_dead_co(1), indexed_then_dead_native(1));
    assert_not_larger!(disjoint_scopes_co(), disjoint_scopes_native());
    assert_not_larger!(dead_primitives_co(1), dead_primitives_native(1));
    assert_not_larger!(drop_flag_co(1), drop_flag_native(1));
    assert_not_larger!(held_operands_co(1), held_operands_native(1));
    assert_not_larger!(
        kept_temporaries_co(Wide(2, 2), 1),
        kept_temporaries_native(Wide(2, 2), 1)
    );
    assert_not_larger!(
        kept_temporaries_loop_co(Wide(2, 2), 1),
        kept_temporaries_loop_native(Wide(2, 2), 1)
    );
    assert_not_larger!(moved_here_co(0), moved_here_native(0));
    assert_not_larger!(disjoint_borrows_co(true), disjoint_borrows_native(true));
    assert_not_larger!(ended_at_last_use_co(1), ended_at_last_use_native(1));
    assert_not_larger!(array_in_a_free_place_co(1), array_in_a_free_place_native(1));
    assert_not_larger!(unreachable_co(1), unreachable_native(1));
    assert_not_larger!(loop_co(3), loop_native(3));
    assert_not_larger!(branches_co(true), branches_native(true));
    assert_not_larger!(nested_co(), nested_native());
    assert_not_larger!(logged_co(Log::new()), logged_native(Log::new()));
    assert_not_larger!(question_co("1".into()), question_native("1".into()));
    assert_not_larger!(match_co(None), match_native(None));
}

#[test]
fn a_big_array_after_the_last_use_of_a_fixed_local_agrees_with_async_fn() {
    for n in 0..3 {
        assert_eq!(
            testkit::block_on(array_after_last_use_co(n)),
            testkit::block_on(array_after_last_use_native(n))
        );
    }
}

#[test]
fn an_argument_is_stored_once() {
    // rustc stores `async fn` arguments twice (rust-lang/rust#62958); a coroutine does not.
    let co = big_argument_co([0; 8192]);
    assert!(size_of_val(&co) < 2 * 8192, "{} B", size_of_val(&co));
}
