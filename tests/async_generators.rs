//! Async generators and async iteration: a `#[resumable::coroutine]` fn with `yield_!`
//! declared as `-> impl Stream<Item = Y>` is a `futures_core::Stream` that may also
//! `yield_await!`; `for_await!(item in stream { .. })` iterates any stream inside a
//! coroutine, polled in place (no `Unpin` needed), with `break`/`continue`/`return`/`?`,
//! and cancellation between items.
#![deny(warnings)]
// The expansion contains no `unsafe`: the support types in `resumable` hold it all.
#![forbid(unsafe_code)]

use futures::StreamExt;
use resumable::sync::Queue;
use resumable::{for_await, yield_, yield_await, Stream};
use std::pin::pin;
use std::task::{Context, Poll};
use testkit::{block_on, noop_waker, ready_after_one, Log};

#[resumable::coroutine]
fn ticks(n: u32, log: Log) -> impl Stream<Item = u32> {
    for i in 0..n {
        let v = yield_await!(ready_after_one(i * 10));
        log.push(format!("got {v}"));
        yield_!(v);
    }
}

#[test]
fn an_async_generator_is_a_stream_that_awaits_between_items() {
    let log = Log::new();
    let items: Vec<u32> = block_on(ticks(3, log.clone()).collect());
    assert_eq!(items, [0, 10, 20]);
    assert_eq!(log.take(), ["got 0", "got 10", "got 20"]);
}

#[test]
fn an_async_generator_is_pending_while_it_awaits_and_fused_at_the_end() {
    let log = Log::new();
    let mut s = pin!(ticks(1, log));
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Pending);
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Ready(Some(0)));
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Ready(None));
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Ready(None));
}

#[resumable::coroutine]
fn guarded(log: Log) -> impl Stream<Item = u32> {
    let _a = log.value("a");
    yield_!(1);
    let _b = log.value("b");
    yield_await!(log_future(&log));
    yield_!(2);
}

fn log_future(log: &Log) -> impl std::future::Future<Output = ()> {
    let guard = log.value("future");
    let inner = ready_after_one(());
    async move {
        inner.await;
        drop(guard);
    }
}

#[test]
fn dropping_a_suspended_async_generator_drops_the_future_then_the_locals() {
    let log = Log::new();
    let mut s = Box::pin(guarded(log.clone()));
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Ready(Some(1)));
    assert_eq!(s.as_mut().poll_next(&mut cx), Poll::Pending);
    drop(s);
    assert_eq!(log.take(), ["drop future", "drop b", "drop a"]);
}

// ---- for_await! ----

#[resumable::coroutine]
fn total(queue: Queue<u32>) -> u32 {
    let mut sum = 0;
    for_await!(n in queue.into_stream() {
        if n == 0 {
            continue;
        }
        if n > 100 {
            break;
        }
        sum += n;
    });
    sum
}

#[test]
fn for_await_iterates_a_queue_until_it_is_shut_down_or_broken_out_of() {
    let queue = Queue::new();
    for n in [1, 0, 2, 3] {
        queue.put_nowait(n).unwrap();
    }
    queue.shutdown();
    assert_eq!(resumable::run(total(queue)), 6);
    let queue = Queue::new();
    for n in [1, 200, 2] {
        queue.put_nowait(n).unwrap();
    }
    assert_eq!(resumable::run(total(queue)), 1);
}

#[resumable::coroutine]
fn first_even(log: Log) -> Option<u32> {
    let _held = log.value("held");
    for_await!(n in Box::pin(ticks(10, log.clone())) {
        let _item = log.value("item");
        if n % 20 == 0 && n > 0 {
            return Some(n);
        }
    });
    None
}

#[test]
fn for_await_iterates_our_own_async_generators_and_return_leaves_the_loop() {
    let log = Log::new();
    assert_eq!(block_on(first_even(log.clone())), Some(20));
    assert_eq!(
        log.take(),
        [
            "got 0",
            "drop item",
            "got 10",
            "drop item",
            "got 20",
            "drop item",
            "drop held"
        ]
    );
}

#[resumable::coroutine]
fn relay(log: Log) -> u32 {
    let mut seen = 0;
    for_await!(n in futures::stream::iter(vec![log.value("x"), log.value("y")]).then(|d| async move { d }).boxed_local() {
        seen += 1;
        log.push(format!("saw {}", n.name()));
        yield_await!(ready_after_one(()));
    });
    seen
}

#[test]
fn cancelling_between_items_drops_the_stream_and_the_current_item_once() {
    let log = Log::new();
    let mut fut = Box::pin(relay(log.clone()));
    assert_eq!(testkit::poll_n(fut.as_mut(), 1), None);
    assert_eq!(log.take(), ["saw x"]);
    drop(fut);
    assert_eq!(log.take(), ["drop x", "drop y"]);
    let log = Log::new();
    assert_eq!(block_on(relay(log.clone())), 2);
}

#[resumable::coroutine]
fn lines(queue: Queue<String>) -> impl Stream<Item = String> {
    let mut pending = String::new();
    for_await!(chunk in queue.into_stream() {
        pending.push_str(&chunk);
        while let Some(end) = pending.find('\n') {
            let line: String = pending.drain(..=end).collect();
            yield_!(line.trim_end().to_string());
        }
    });
    if !pending.is_empty() {
        yield_!(pending);
    }
}

#[test]
fn an_async_generator_can_for_await_and_yield_inside_the_loop() {
    let queue = Queue::new();
    for chunk in ["hel", "lo\nwor", "ld\n\nlast"] {
        queue.put_nowait(chunk.to_string()).unwrap();
    }
    queue.shutdown();
    let got: Vec<String> = block_on(lines(queue).collect());
    assert_eq!(got, ["hello", "world", "", "last"]);
}

#[resumable::coroutine]
fn sum_parsed(queue: Queue<&'static str>) -> Result<u32, std::num::ParseIntError> {
    let mut sum = 0;
    for_await!('all: s in queue.into_stream() {
        loop {
            sum += s.parse::<u32>()?;
            continue 'all;
        }
    });
    Ok(sum)
}

#[test]
fn question_mark_and_labelled_continue_work_inside_for_await() {
    let queue = Queue::new();
    for s in ["1", "2"] {
        queue.put_nowait(s).unwrap();
    }
    queue.shutdown();
    assert_eq!(resumable::run(sum_parsed(queue)), Ok(3));
    let queue = Queue::new();
    queue.put_nowait("x").unwrap();
    assert!(resumable::run(sum_parsed(queue)).is_err());
}

// Regression: a `let mut` bound at a resume point and mutated only after the next one
// used to warn `unused_mut` (an error under `deny(warnings)`).
#[resumable::coroutine]
fn mutated_after_the_next_yield() -> u32 {
    let mut n = yield_await!(ready_after_one(1));
    loop {
        n += yield_await!(ready_after_one(1));
        if n > 2 {
            return n;
        }
    }
}

#[test]
fn a_let_mut_at_a_yield_mutated_after_the_next_one_compiles_cleanly() {
    assert_eq!(block_on(mutated_after_the_next_yield()), 3);
}

// ---- streams that are not `Unpin`, polled in place ----

#[resumable::coroutine]
fn not_unpin(n: u32) -> impl Stream<Item = u32> {
    for i in 0..n {
        // An `async` block is not `Unpin`, so neither is this generator.
        yield_await!(async { ready_after_one(()).await });
        yield_!(i);
    }
}

#[resumable::coroutine]
fn sum_in_place(log: Log) -> u32 {
    let mut sum = 0;
    for_await!(i in not_unpin(4) {
        let _item = log.value("item");
        yield_await!(ready_after_one(())); // the loop suspends: the stream stays put
        sum += i;
    });
    log.push("after the loop");
    sum
}

#[test]
fn for_await_polls_a_stream_that_is_not_unpin_in_place_without_boxing() {
    let log = Log::new();
    assert_eq!(block_on(sum_in_place(log.clone())), 6);
    assert_eq!(
        log.events().last().map(String::as_str),
        Some("after the loop")
    );
}

struct Logged<S>(S, #[allow(dead_code)] testkit::Dropper);

impl<S: Stream + Unpin> Stream for Logged<S> {
    type Item = S::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<S::Item>> {
        std::pin::Pin::new(&mut self.0).poll_next(cx)
    }
}

#[resumable::coroutine]
fn drops_the_stream_at_the_end_of_the_loop(log: Log) {
    for_await!(n in Logged(futures::stream::iter([1, 2]), log.value("stream")) {
        log.push(format!("item {n}"));
    });
    log.push("after the loop");
}

#[test]
fn the_stream_is_dropped_where_the_loop_ends() {
    let log = Log::new();
    block_on(drops_the_stream_at_the_end_of_the_loop(log.clone()));
    assert_eq!(
        log.take(),
        ["item 1", "item 2", "drop stream", "after the loop"]
    );
}

#[test]
fn memcheck_finds_no_invalid_access_double_free_or_leak() {
    // Re-runs this file's tests (drops, cancellation, panics) under valgrind.
    testkit::valgrind::rerun_under_memcheck("");
}

#[test]
fn for_await_works_in_a_coroutine_block() {
    let queue = Queue::new();
    for n in [1, 2, 3] {
        queue.put_nowait(n).unwrap();
    }
    queue.shutdown();
    let stream = queue.into_stream();
    let total = block_on(resumable::coroutine_block!(move {
        let mut total = 0;
        for_await!(n in stream {
            total += n;
        });
        total
    }));
    assert_eq!(total, 6);
}

// Regression: a stream held in a local (not a call) used to be kept in the state as a
// possible guard after `for_await!` had moved it ("use of moved value").
#[resumable::coroutine]
fn from_a_local(queue: Queue<u32>) -> u32 {
    let stream = queue.into_stream();
    let mut total = 0;
    for_await!(n in stream {
        total += n;
    });
    total
}

#[test]
fn for_await_over_a_stream_in_a_local_moves_it_into_the_loop() {
    let queue = Queue::new();
    queue.put_nowait(4).unwrap();
    queue.shutdown();
    assert_eq!(block_on(from_a_local(queue)), 4);
}
