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

#[inline(never)]
fn sum_iter(it: impl Iterator<Item = u64>) -> u64 {
    it.fold(0u64, |s, x| s.wrapping_add(x))
}

#[inline(never)]
fn sum_stream(s: impl Stream<Item = u64>) -> u64 {
    let mut s = pin!(s);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut sum = 0u64;
    loop {
        match s.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(x)) => sum = sum.wrapping_add(x),
            Poll::Ready(None) => return sum,
            Poll::Pending => unreachable!("these streams never wait"),
        }
    }
}

/// `sum_iter` with each item opaque to the optimiser.
#[inline(never)]
fn sum_iter_opaque(it: impl Iterator<Item = u64>) -> u64 {
    it.fold(0u64, |s, x| s.wrapping_add(black_box(x)))
}

/// `sum_stream` with each item opaque to the optimiser.
#[inline(never)]
fn sum_stream_opaque(s: impl Stream<Item = u64>) -> u64 {
    let mut s = pin!(s);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut sum = 0u64;
    loop {
        match s.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(x)) => sum = sum.wrapping_add(black_box(x)),
            Poll::Ready(None) => return sum,
            Poll::Pending => unreachable!("these streams never wait"),
        }
    }
}

// One function per variant, so callgrind can count inside it only
// (`--toggle-collect=*bench_<variant>*`).
#[inline(never)]
fn bench_by_hand(n: u64) -> u64 {
    sum_iter(ByHand::Start { n: black_box(n) })
}
#[inline(never)]
fn bench_resumable(n: u64) -> u64 {
    sum_iter(ours(black_box(n)))
}
#[inline(never)]
fn bench_genawaiter(n: u64) -> u64 {
    sum_iter(genawaiter_gen(black_box(n)))
}
#[inline(never)]
fn bench_resumable_stream(n: u64) -> u64 {
    sum_stream(ours_stream(black_box(n)))
}
#[inline(never)]
fn bench_async_stream(n: u64) -> u64 {
    sum_stream(async_stream_gen(black_box(n)))
}

#[inline(never)]
fn bench_by_hand_opaque(n: u64) -> u64 {
    sum_iter_opaque(ByHand::Start { n: black_box(n) })
}
#[inline(never)]
fn bench_resumable_opaque(n: u64) -> u64 {
    sum_iter_opaque(ours(black_box(n)))
}
#[inline(never)]
fn bench_genawaiter_opaque(n: u64) -> u64 {
    sum_iter_opaque(genawaiter_gen(black_box(n)))
}
#[inline(never)]
fn bench_resumable_stream_opaque(n: u64) -> u64 {
    sum_stream_opaque(ours_stream(black_box(n)))
}
#[inline(never)]
fn bench_async_stream_opaque(n: u64) -> u64 {
    sum_stream_opaque(async_stream_gen(black_box(n)))
}

/// A variant: its name and its function (items in, checksum out).
type Variant = (&'static str, fn(u64) -> u64);

const VARIANTS: &[Variant] = &[
    ("by_hand", bench_by_hand),
    ("resumable", bench_resumable),
    ("genawaiter", bench_genawaiter),
    ("resumable_stream", bench_resumable_stream),
    ("async_stream", bench_async_stream),
    ("by_hand_opaque", bench_by_hand_opaque),
    ("resumable_opaque", bench_resumable_opaque),
    ("genawaiter_opaque", bench_genawaiter_opaque),
    ("resumable_stream_opaque", bench_resumable_stream_opaque),
    ("async_stream_opaque", bench_async_stream_opaque),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let expected = bench_by_hand(1000);
    for (name, f) in VARIANTS {
        assert_eq!(f(1000), expected, "{name} produces the same sequence");
    }
    match args.as_slice() {
        [variant, items] => {
            let items: u64 = items.parse().expect("a number of items");
            let (_, f) = VARIANTS.iter().find(|(name, _)| name == variant).expect(
                "a variant: by_hand, resumable, genawaiter, resumable_stream, async_stream \
                 (each also with the suffix _opaque)",
            );
            println!("{}", f(items));
        }
        _ => {
            let items = 10_000_000;
            for (name, f) in VARIANTS {
                let start = Instant::now();
                black_box(f(items));
                let ns = start.elapsed().as_nanos() as f64 / items as f64;
                println!("{name:>23}: {ns:.2} ns/item (timing: orientation only)");
            }
        }
    }
}
