//! What every body of the corpus is driven with: a scripted awaitable (`Pending` k times,
//! then `Ready`), a trivial `block_on`, and `drive_n`, the one function callgrind counts.

use std::future::Future;
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

/// Returns `Pending` `pending` times (waking itself each time), then `Ready(value)`.
pub struct Scripted<T> {
    pending: u32,
    value: Option<T>,
}

impl<T: Unpin> Future for Scripted<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if this.pending > 0 {
            this.pending -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            Poll::Ready(this.value.take().expect("Scripted polled after completion"))
        }
    }
}

/// One suspension, then `value`. The count goes through `black_box` so that the optimiser
/// cannot resolve the script at compile time, for either kind of machine.
pub fn tick<T: Unpin>(value: T) -> Scripted<T> {
    Scripted {
        pending: black_box(1),
        value: Some(value),
    }
}

/// Polls `fut` to completion with a no-op waker.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Builds and drives `n` machines made by `make`, returning the last output. Never
/// inlined: `bench/run` counts the instructions executed inside this function only
/// (`valgrind --tool=callgrind --toggle-collect='*drive_n*'`).
#[inline(never)]
pub fn drive_n<Fut: Future>(n: usize, make: impl Fn() -> Fut) -> Option<Fut::Output> {
    let mut last = None;
    for _ in 0..n {
        last = Some(black_box(block_on(make())));
    }
    last
}
