//! Generators, item for item: the same Fibonacci-like sequence produced by a hand-written
//! enum iterator, a `resumable` generator, `genawaiter`'s `rc::Gen`, a `resumable` async
//! generator and `async-stream`'s `stream!` (the two streams polled with a no-op waker).
//!
//! Each is consumed twice: summed (`VARIANT`), where LLVM inlines the whole generator into
//! the loop and may fold the sum algebraically (adding once per pair of items, say), and
//! with each item passed through `black_box` (`VARIANT_opaque`), which leaves no algebra
//! across items: what is left per item is the generator's own cost.
//!
//! `bench/generators_callgrind.sh` runs each variant under callgrind (instructions, not
//! time: the machine is noisy) and prints the instructions per item and the ratios.
//! Directly: `generators <variant> <items>` runs one variant; without arguments, all of
//! them with a short timing for orientation.

use futures::Stream;
use resumable::yield_;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// The sequence by hand, as an enum: not started, or suspended with its state.
enum ByHand {
    Start { n: u64 },
    Suspended { i: u64, a: u64, b: u64, n: u64 },
    Done,
}

impl Iterator for ByHand {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        let (i, a, b, n) = match *self {
            ByHand::Start { n } => (0, 0, 1, n),
            ByHand::Suspended { i, a, b, n } => (i + 1, b, a.wrapping_add(b), n),
            ByHand::Done => return None,
        };
        if i < n {
            *self = ByHand::Suspended { i, a, b, n };
            Some(a)
        } else {
            *self = ByHand::Done;
            None
        }
    }
}

#[resumable::coroutine]
fn ours(n: u64) -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        yield_!(a);
        (a, b) = (b, a.wrapping_add(b));
    }
}

#[resumable::coroutine]
fn ours_stream(n: u64) -> impl resumable::Stream<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        yield_!(a);
        (a, b) = (b, a.wrapping_add(b));
    }
}

fn genawaiter_gen(n: u64) -> impl Iterator<Item = u64> {
    genawaiter::rc::Gen::new(move |co| async move {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..n {
            co.yield_(a).await;
            (a, b) = (b, a.wrapping_add(b));
        }
    })
    .into_iter()
}

fn async_stream_gen(n: u64) -> impl Stream<Item = u64> {
    async_stream::stream! {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..n {
            yield a;
            (a, b) = (b, a.wrapping_add(b));
        }
    }
}

/// An item as it comes (the plain variants).
fn plain(x: u64) -> u64 {
    x
}

/// Sums the items, each through `item` (`plain`, or `black_box` for the opaque variants).
#[inline(never)]
fn sum_iter(it: impl Iterator<Item = u64>, item: impl Fn(u64) -> u64) -> u64 {
    it.fold(0u64, |s, x| s.wrapping_add(item(x)))
}

/// Sums the items of a stream, each through `item`, polling with a no-op waker.
#[inline(never)]
fn sum_stream(s: impl Stream<Item = u64>, item: impl Fn(u64) -> u64) -> u64 {
    let mut s = pin!(s);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut sum = 0u64;
    loop {
        match s.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(x)) => sum = sum.wrapping_add(item(x)),
            Poll::Ready(None) => return sum,
            Poll::Pending => unreachable!("these streams never wait"),
        }
    }
}

/// A variant: its name and its function (items in, checksum out).
type Variant = (&'static str, fn(u64) -> u64);

/// One function per variant, so callgrind can count inside it only
/// (`--toggle-collect=*bench_<variant>*`), each generator consumed plainly and opaquely.
macro_rules! variants {
    ($($plain:ident, $opaque:ident: $sum:ident($make:expr);)*) => {
        $(
            #[inline(never)]
            fn $plain(n: u64) -> u64 {
                $sum($make(black_box(n)), plain)
            }
            #[inline(never)]
            fn $opaque(n: u64) -> u64 {
                $sum($make(black_box(n)), black_box)
            }
        )*
        const VARIANTS: &[Variant] = &[
            $((stringify!($plain), $plain),)*
            $((stringify!($opaque), $opaque),)*
        ];
    };
}

variants! {
    bench_by_hand, bench_by_hand_opaque: sum_iter(|n| ByHand::Start { n });
    bench_resumable, bench_resumable_opaque: sum_iter(ours);
    bench_genawaiter, bench_genawaiter_opaque: sum_iter(genawaiter_gen);
    bench_resumable_stream, bench_resumable_stream_opaque: sum_stream(ours_stream);
    bench_async_stream, bench_async_stream_opaque: sum_stream(async_stream_gen);
}

/// A variant's name on the command line and in the output: its function's, without
/// `bench_`.
fn name(variant: &Variant) -> &'static str {
    variant.0.trim_start_matches("bench_")
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let expected = bench_by_hand(1000);
    for variant in VARIANTS {
        let name = name(variant);
        assert_eq!(
            variant.1(1000),
            expected,
            "{name} produces the same sequence"
        );
    }
    match args.as_slice() {
        [variant, items] => {
            let items: u64 = items.parse().expect("a number of items");
            let (_, f) = VARIANTS.iter().find(|v| name(v) == variant).expect(
                "a variant: by_hand, resumable, genawaiter, resumable_stream, async_stream \
                 (each also with the suffix _opaque)",
            );
            println!("{}", f(items));
        }
        _ => {
            let items = 10_000_000;
            for variant in VARIANTS {
                let name = name(variant);
                let start = Instant::now();
                black_box(variant.1(items));
                let ns = start.elapsed().as_nanos() as f64 / items as f64;
                println!("{name:>23}: {ns:.2} ns/item (timing: orientation only)");
            }
        }
    }
}
