//! Coroutines are plain `Future`s: the same `#[resumable::coroutine]` fns run unchanged on
//! our loop, on tokio's `current_thread` and `multi_thread` runtimes, and on
//! `futures::executor`. A coroutine is `Send` when everything it keeps across its yields
//! is, exactly as an `async fn` is, so `tokio::spawn` can move it between threads.
//!
//! What ties a coroutine to a runtime is what it awaits: `resumable::time::sleep` needs
//! our loop's timers, `tokio::time::sleep` needs tokio's; `resumable::yield_now`,
//! `resumable::sync` and `futures`' channels need neither.
//!
//! ```sh
//! cargo run --example on_tokio
//! ```
//!
//! asyncio's counterpart is swapping the loop under unchanged coroutines (no output
//! to compare, so `tests/examples/on_tokio.stdout` holds the expected one):
//!
//! ```python
//! import asyncio
//! import uvloop
//!
//! asyncio.run(main())  # the default loop
//! uvloop.run(main())   # the same coroutines on another loop
//! ```

use std::rc::Rc;
use std::time::Duration;

use resumable::sync::Queue;
use resumable::{yield_await, yield_now};

/// Needs no particular runtime: `yield_now` only asks to be polled again.
#[resumable::coroutine]
fn sum_of_squares(n: u64) -> u64 {
    let mut total = 0;
    for i in 1..=n {
        yield_await!(yield_now()); // lets the executor run something else
        total += i * i;
    }
    total
}

/// Uses tokio's timer, so it runs on tokio (with its time driver enabled) only.
#[resumable::coroutine]
fn slow_double(n: u64, ms: u64) -> u64 {
    yield_await!(tokio::time::sleep(Duration::from_millis(ms)));
    2 * n
}

/// Not `Send`: `queue` and `label` (both `Rc`s inside) live across a yield. Runs on
/// single-threaded executors (ours, tokio's `LocalSet`, `futures`' `LocalPool`); it ends
/// when the queue is shut down and empty.
#[resumable::coroutine]
fn drain(queue: Queue<u64>, label: Rc<str>) -> String {
    let mut items = Vec::new();
    while let Ok(item) = yield_await!(queue.get()) {
        items.push(item);
    }
    format!("{label}: {items:?}")
}

/// Checks at compile time that a coroutine is `Send` (`tokio::spawn` needs it too).
fn assert_send<F: Send>(future: F) -> F {
    future
}

fn main() {
    // Our loop.
    let total = resumable::run(sum_of_squares(10));
    println!("resumable::run: sum_of_squares(10) = {total}");

    // tokio, current_thread: block_on, and a !Send coroutine under a LocalSet.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let total = runtime.block_on(sum_of_squares(10));
    println!("tokio current_thread: sum_of_squares(10) = {total}");
    let local = tokio::task::LocalSet::new();
    let drained = local.block_on(&runtime, async {
        let queue = Queue::with_capacity(2);
        let consumer = tokio::task::spawn_local(drain(queue.clone(), "tokio LocalSet".into()));
        for i in 1..=5 {
            queue.put(i).await.unwrap();
        }
        queue.shutdown();
        consumer.await.unwrap()
    });
    println!("{drained}");

    // tokio, multi_thread: tokio::spawn moves Send coroutines between worker threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let results = runtime.block_on(async {
        let squares: Vec<_> = (1..=4)
            .map(|n| tokio::spawn(assert_send(sum_of_squares(n * 10))))
            .collect();
        let doubled = tokio::spawn(assert_send(slow_double(21, 10)));
        let mut results = Vec::new();
        for task in squares {
            results.push(task.await.unwrap());
        }
        results.push(doubled.await.unwrap());
        results
    });
    println!("tokio multi_thread: {results:?}");

    // futures::executor: block_on, and a !Send coroutine on a LocalPool.
    let total = futures::executor::block_on(sum_of_squares(10));
    println!("futures block_on: sum_of_squares(10) = {total}");
    let mut pool = futures::executor::LocalPool::new();
    let queue = Queue::new();
    for i in [3, 1, 2] {
        queue.put_nowait(i).unwrap();
    }
    queue.shutdown();
    let drained = pool.run_until(drain(queue, "futures LocalPool".into()));
    println!("{drained}");
}
