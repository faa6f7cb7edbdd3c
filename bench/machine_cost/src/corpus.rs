//! The corpus: each body once, expanded by `twins!` into a `#[resumable::coroutine] fn` and
//! an `async fn` with the same tokens, plus a [`Body`] entry that measures both.
//!
//! Most bodies keep owned values across yields; two borrow a local buffer across a yield
//! (`fill(&mut buf).await`, as a socket read does), which puts it in a fixed slot.

use std::hint::black_box;

use crate::harness::tick;

/// One body of the corpus, with its two machines behind plain function pointers.
pub struct Body {
    /// The body's name (its module).
    pub name: &'static str,
    /// `size_of` the coroutine's future.
    pub size_co: fn() -> usize,
    /// `size_of` the `async fn`'s future.
    pub size_native: fn() -> usize,
    /// Drives the coroutine `n` times; the `Debug` text of its last output.
    pub run_co: fn(usize) -> String,
    /// Drives the `async fn` `n` times; the `Debug` text of its last output.
    pub run_native: fn(usize) -> String,
}

/// Expands each body into `mod name { mod co { fn body } mod native { async fn body } BODY }`.
/// `calls other` makes `callee` the same-kind `body` of `other` (a coroutine calls a
/// coroutine, an `async fn` an `async fn`); `[generics]` are the fn's generic parameters;
/// `with (args)` the arguments every measurement passes (through `black_box`).
macro_rules! twins {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $([$($gen:tt)*])? ($($arg:ident: $ty:ty),*) -> $ret:ty $(, calls $callee:ident)?
            $body:block
            with ($($val:expr),*);
    )*) => {$(
        $(#[doc = $doc])*
        pub mod $name {
            /// The body as a coroutine.
            // A body that is a lone `e.await` trips `unused_braces` on the user's block in
            // the expansion (reported to the macro's owner); the `async fn` does not.
            #[allow(unused_braces)]
            pub mod co {
                #[allow(unused_imports)]
                use super::super::*;
                $(use super::super::$callee::co::body as callee;)?

                /// The body.
                #[resumable::coroutine]
                pub fn body $(<$($gen)*>)? ($($arg: $ty),*) -> $ret $body
            }

            /// The body as an `async fn`.
            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                $(use super::super::$callee::native::body as callee;)?

                /// The body.
                pub async fn body $(<$($gen)*>)? ($($arg: $ty),*) -> $ret $body
            }

            /// Both machines, measured.
            #[allow(dead_code)]
            pub const BODY: super::Body = super::Body {
                name: stringify!($name),
                size_co: || std::mem::size_of_val(&co::body($($val),*)),
                size_native: || std::mem::size_of_val(&native::body($($val),*)),
                run_co: |n| {
                    format!("{:?}", crate::harness::drive_n(n, || co::body($(super::black_box($val)),*)))
                },
                run_native: |n| {
                    format!("{:?}", crate::harness::drive_n(n, || native::body($(super::black_box($val)),*)))
                },
            };
        }
    )*};
}

/// Fills `buf` after one suspension, as a read into a caller's buffer does: the future
/// borrows `buf` while it is pending. The same fn for both machines.
pub async fn fill(buf: &mut [u8]) -> usize {
    tick(()).await;
    buf[0] = 1;
    buf.len()
}

/// A value with a destructor, held across a yield.
#[derive(Debug)]
pub struct Guard(pub u32);

impl Drop for Guard {
    fn drop(&mut self) {
        black_box(self.0);
    }
}

twins! {
    /// Nothing at all: the cost of the machine itself.
    empty () -> () {} with ();

    /// One suspension.
    one_yield (x: u32) -> u32 { tick(x).await } with (7);

    /// Three yields in a row, each result used later.
    straight_3 (x: u32) -> u32 {
        let a = tick(x).await;
        let b = tick(a + 1).await;
        let c = tick(b * 2).await;
        a + b + c
    } with (3);

    /// Ten yields in a row.
    straight_10 (x: u64) -> u64 {
        let mut s = x;
        s += tick(1u64).await;
        s += tick(2u64).await;
        s += tick(3u64).await;
        s += tick(4u64).await;
        s += tick(5u64).await;
        s += tick(6u64).await;
        s += tick(7u64).await;
        s += tick(8u64).await;
        s += tick(9u64).await;
        s += tick(10u64).await;
        s
    } with (1);

    /// Arithmetic between yields.
    arith_between (x: u64) -> u64 {
        let a = x.wrapping_mul(31).rotate_left(5);
        let b = tick(a ^ 0x5555).await;
        let c = b.wrapping_add(a).count_ones() as u64;
        let d = tick(c + a).await;
        d.wrapping_mul(b)
    } with (12345);

    /// A `for` loop with a yield, 10 iterations.
    loop_10 (n: u32) -> u32 {
        let mut total = 0u32;
        for i in 0..n {
            total = total.wrapping_add(tick(i).await);
        }
        total
    } with (10);

    /// The same loop, 100 iterations.
    loop_100 (n: u32) -> u32 {
        let mut total = 0u32;
        for i in 0..n {
            total = total.wrapping_add(tick(i).await);
        }
        total
    } with (100);

    /// A `while` loop with a yield.
    while_loop (n: u32) -> u32 {
        let mut x = 0;
        while x < n {
            x += tick(1u32).await;
        }
        x
    } with (20);

    /// Two nested loops, a yield under a condition.
    nested_loops (n: u32) -> u32 {
        let mut s = 0u32;
        for i in 0..n {
            for j in 0..n {
                if (i + j) % 3 == 0 {
                    s += tick(j).await;
                }
            }
        }
        s
    } with (10);

    /// `loop` left with `break value`.
    loop_break_value (limit: u32) -> u32 {
        let mut i = 0;
        let r = loop {
            let v = tick(i).await;
            if v > limit {
                break v * 2;
            }
            i += 1;
        };
        r + i
    } with (8);

    /// Labelled `continue` out of an inner loop.
    labelled_continue (n: u32) -> u32 {
        let mut s = 0;
        'outer: for i in 0..n {
            for j in 0..n {
                if j > i {
                    continue 'outer;
                }
                s += tick(i ^ j).await;
            }
        }
        s
    } with (6);

    /// Sixteen integer locals alive across one yield.
    many_locals (x: u64) -> u64 {
        let a0 = x + 1;
        let a1 = x * 3;
        let a2 = x ^ 0xff;
        let a3 = x.rotate_left(7);
        let a4 = x.wrapping_mul(x);
        let a5 = a0 + a1;
        let a6 = a2 | a3;
        let a7 = a4 & 0xffff;
        let a8 = a5 ^ a6;
        let a9 = a7 + 11;
        let b0 = a8.count_ones() as u64;
        let b1 = a9.leading_zeros() as u64;
        let b2 = a0 * 5;
        let b3 = a1 * 7;
        let b4 = a2 * 9;
        let b5 = a3 ^ a4;
        let y = tick(x).await;
        a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + b0 + b1 + b2 + b3 + b4 + b5 + y
    } with (5);

    /// Locals of mixed types (heap and inline) alive across a yield.
    mixed_locals (n: usize) -> usize {
        let s = String::from("resumable");
        let v: Vec<u32> = (0..n as u32).collect();
        let flag = n % 2 == 0;
        let opt = (n > 0).then_some(n as u64);
        let byte = 7u8;
        let got = tick(n).await;
        s.len() + v.len() + flag as usize + opt.unwrap_or(0) as usize + byte as usize + got
    } with (16);

    /// Big locals that die before the yield (nothing of them is stored).
    dead_before_yield (n: usize) -> usize {
        let big = [3u8; 2048];
        let first = big[n % 2048] as usize;
        let v = vec![1u8; n];
        let len = v.len();
        drop(v);
        tick(first + len).await
    } with (100);

    /// A 4 KiB array held across a yield.
    big_array_local (i: usize) -> u8 {
        let buf = [7u8; 4096];
        tick(()).await;
        buf[i % 4096]
    } with (5);

    /// A 4 KiB array argument (rustc stores arguments twice, rust-lang/rust#62958).
    big_array_arg (buf: [u8; 4096]) -> u8 {
        tick(()).await;
        buf[17]
    } with ([9u8; 4096]);

    /// Two arrays in disjoint scopes (their slots can overlap).
    big_array_scopes () -> usize {
        let a = {
            let x = [1u8; 1000];
            tick(()).await;
            x.len()
        };
        let b = {
            let y = [2u8; 2000];
            tick(()).await;
            y.len()
        };
        a + b
    } with ();

    /// A 1 KiB buffer borrowed by the awaited future (a read into a stack buffer).
    borrowed_buffer () -> usize {
        let mut buf = [0u8; 1024];
        let n = fill(&mut buf).await;
        n + buf[0] as usize
    } with ();

    /// A buffer borrowed across a yield in one scope, an array kept across a yield in the
    /// next: rustc lets the two share bytes; the array takes the buffer's fixed slot, which
    /// its `let` tells is as large (see the README's limits).
    borrowed_buffer_scopes () -> usize {
        let n = {
            let mut buf = [0u8; 1024];
            fill(&mut buf).await
        };
        let m = {
            let other = [2u8; 1024];
            tick(()).await;
            other[n % 1024] as usize
        };
        n + m
    } with ();

    /// A 2 KiB array updated across the yields of a loop.
    big_array_loop (n: usize) -> u64 {
        let mut acc = [0u64; 256];
        for i in 0..n {
            let v = tick(i as u64).await;
            acc[i % 256] += v;
        }
        acc.iter().sum()
    } with (32);

    /// Two 1 KiB arrays, the second born after the first yield.
    big_array_twice (seed: u8) -> u8 {
        let a = [seed; 1024];
        tick(()).await;
        let b = [a[0].wrapping_add(1); 1024];
        tick(()).await;
        a[3] ^ b[5]
    } with (4);

    /// A `String` argument used after the yield.
    string_arg (s: String) -> usize {
        let n = tick(s.len()).await;
        s.len() + n
    } with (String::from("hello, world"));

    /// A `Vec` filled across yields, returned.
    vec_push (n: u32) -> Vec<u32> {
        let mut v = Vec::new();
        for i in 0..n {
            v.push(tick(i).await);
        }
        v
    } with (16);

    /// An `if` whose taken branch holds 512 bytes across its yield.
    branch_taken (flag: bool) -> u64 {
        if flag {
            let big = [1u64; 64];
            tick(()).await;
            big[3]
        } else {
            tick(2u64).await
        }
    } with (true);

    /// The same `if`, the small branch taken.
    branch_not_taken (flag: bool) -> u64 {
        if flag {
            let big = [1u64; 64];
            tick(()).await;
            big[3]
        } else {
            tick(2u64).await
        }
    } with (false);

    /// A `match` binding a `Vec` held across a yield.
    match_option (v: Option<Vec<u8>>) -> usize {
        match v {
            Some(bytes) => {
                tick(()).await;
                bytes.len()
            }
            None => 0,
        }
    } with (Some(vec![1, 2, 3]));

    /// A four-armed `match`, two yields in one arm.
    wide_match (n: u32) -> u32 {
        match n % 4 {
            0 => tick(n).await,
            1 => tick(n + 1).await * 2,
            2 => {
                let t = tick(n).await;
                t + tick(t).await
            }
            _ => n,
        }
    } with (6);

    /// `?` on the `Ok` path.
    question_ok (s: String) -> Result<u32, std::num::ParseIntError> {
        let n: u32 = tick(s).await.parse()?;
        Ok(n + tick(1u32).await)
    } with (String::from("41"));

    /// `?` on the `Err` path (an early exit).
    question_err (s: String) -> Result<u32, std::num::ParseIntError> {
        let n: u32 = tick(s).await.parse()?;
        Ok(n + tick(1u32).await)
    } with (String::from("x41"));

    /// `return` from inside a loop.
    early_return (n: u32) -> u32 {
        for i in 0..n {
            if tick(i).await == 5 {
                return i * 10;
            }
        }
        0
    } with (100);

    /// Shadowed bindings across yields.
    shadowing (x: u32) -> u32 {
        let x = tick(x).await;
        let x = tick(x * 2).await;
        let x = x + 1;
        tick(x).await
    } with (1);

    /// Three yields inside one expression (temporaries kept in order).
    expr_yields (x: u32) -> u32 {
        tick(x).await + tick(x + 1).await * tick(x + 2).await
    } with (2);

    /// A value with a destructor held across a yield.
    drop_guard (x: u32) -> u32 {
        let g = Guard(x);
        let y = tick(x).await;
        g.0 + y
    } with (3);

    /// A tuple of mixed fields held across a yield.
    tuple_locals (x: u32) -> (u32, String, [u16; 8]) {
        let t = (x, String::from("t"), [x as u16; 8]);
        let y = tick(1u32).await;
        (t.0 + y, t.1, t.2)
    } with (4);

    /// A boxed 1 KiB array held across a yield.
    boxed (x: u64) -> u64 {
        let b: Box<[u64; 128]> = Box::new([x; 128]);
        tick(()).await;
        b[5]
    } with (8);

    /// Two calls of another coroutine.
    nested_once (x: u32) -> u32, calls one_yield {
        callee(x).await + callee(x + 1).await
    } with (1);

    /// Level 1 of a chain of coroutine calls.
    chain_0 (x: u32) -> u32 {
        tick(x).await + 1
    } with (1);

    /// Level 1 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_0 (x: u32) -> u32 {
        let buf = [x as u8; 256];
        tick(x).await + buf[0] as u32
    } with (1);

    /// Level 2 of a chain of coroutine calls.
    chain_1 (x: u32) -> u32, calls chain_0 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 3 of a chain of coroutine calls.
    chain_2 (x: u32) -> u32, calls chain_1 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 4 of a chain of coroutine calls.
    chain_3 (x: u32) -> u32, calls chain_2 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 5 of a chain of coroutine calls.
    chain_4 (x: u32) -> u32, calls chain_3 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 6 of a chain of coroutine calls.
    chain_5 (x: u32) -> u32, calls chain_4 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 7 of a chain of coroutine calls.
    chain_6 (x: u32) -> u32, calls chain_5 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 8 of a chain of coroutine calls.
    chain_7 (x: u32) -> u32, calls chain_6 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 9 of a chain of coroutine calls.
    chain_8 (x: u32) -> u32, calls chain_7 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 10 of a chain of coroutine calls.
    chain_9 (x: u32) -> u32, calls chain_8 {
        let y = callee(x).await;
        tick(y).await + 1
    } with (1);
    /// Level 2 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_1 (x: u32) -> u32, calls bigchain_0 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[7] as u32
    } with (1);
    /// Level 3 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_2 (x: u32) -> u32, calls bigchain_1 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[14] as u32
    } with (1);
    /// Level 4 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_3 (x: u32) -> u32, calls bigchain_2 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[21] as u32
    } with (1);
    /// Level 5 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_4 (x: u32) -> u32, calls bigchain_3 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[28] as u32
    } with (1);
    /// Level 6 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_5 (x: u32) -> u32, calls bigchain_4 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[35] as u32
    } with (1);
    /// Level 7 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_6 (x: u32) -> u32, calls bigchain_5 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[42] as u32
    } with (1);
    /// Level 8 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_7 (x: u32) -> u32, calls bigchain_6 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[49] as u32
    } with (1);
    /// Level 9 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_8 (x: u32) -> u32, calls bigchain_7 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[56] as u32
    } with (1);
    /// Level 10 of a chain of calls, each holding 256 bytes across its yields.
    bigchain_9 (x: u32) -> u32, calls bigchain_8 {
        let buf = [x as u8; 256];
        let y = callee(x).await;
        tick(y).await + buf[63] as u32
    } with (1);
    /// A generic value held across a yield (instantiated with `String`).
    generic_identity [T: Unpin + Clone] (v: T) -> (T, T) {
        let w = tick(v.clone()).await;
        (v, w)
    } with (String::from("g"));

    /// A generic iterator held across yields (instantiated with `Vec<u32>`).
    generic_sum [I: IntoIterator<Item = u32>] (items: I) -> u32 {
        let mut s = 0;
        for x in items {
            s += tick(x).await;
        }
        s
    } with (vec![1, 2, 3, 4, 5]);

    /// A const-generic array argument (instantiated with `[u32; 64]`).
    generic_array [T: Copy, const N: usize] (arr: [T; N]) -> T {
        let i = tick(N / 2).await;
        arr[i]
    } with ([3u32; 64]);

    /// A generic coroutine calling a generic coroutine (instantiated with `u64`).
    generic_nested [T: Unpin + Clone] (v: T) -> (T, T), calls generic_identity {
        let (a, _b) = callee(v).await;
        callee(a).await
    } with (7u64);
}

/// The bodies measured, in report order (the inner levels of the chains are not listed
/// on their own: they would weigh the median towards one shape).
pub const CORPUS: &[Body] = &[
    empty::BODY,
    one_yield::BODY,
    straight_3::BODY,
    straight_10::BODY,
    arith_between::BODY,
    loop_10::BODY,
    loop_100::BODY,
    while_loop::BODY,
    nested_loops::BODY,
    loop_break_value::BODY,
    labelled_continue::BODY,
    many_locals::BODY,
    mixed_locals::BODY,
    dead_before_yield::BODY,
    big_array_local::BODY,
    big_array_arg::BODY,
    big_array_scopes::BODY,
    borrowed_buffer::BODY,
    borrowed_buffer_scopes::BODY,
    big_array_loop::BODY,
    big_array_twice::BODY,
    string_arg::BODY,
    vec_push::BODY,
    branch_taken::BODY,
    branch_not_taken::BODY,
    match_option::BODY,
    wide_match::BODY,
    question_ok::BODY,
    question_err::BODY,
    early_return::BODY,
    shadowing::BODY,
    expr_yields::BODY,
    drop_guard::BODY,
    tuple_locals::BODY,
    boxed::BODY,
    nested_once::BODY,
    chain_1::BODY,
    chain_4::BODY,
    chain_9::BODY,
    bigchain_9::BODY,
    generic_identity::BODY,
    generic_sum::BODY,
    generic_array::BODY,
    generic_nested::BODY,
];
