//! Producer/consumer with a bounded [`Queue`]: asyncio's `Queue` example, made
//! deterministic. The producer blocks when the queue is full (back-pressure), two workers
//! of different speeds share the items, `join` waits until every item is processed, and
//! the workers, waiting forever on `get`, are cancelled at the end.
//!
//! ```sh
//! cargo run --example producer_consumer                  # real time: about 5 s
//! RESUMABLE_VIRTUAL_TIME=1 cargo run --example producer_consumer   # virtual time: at once
//! ```
//!
//! The Python it ports:
//!
//! ```python
//! import asyncio
//!
//!
//! async def producer(queue, n):
//!     for i in range(n):
//!         await queue.put(i)  # waits while the queue is full
//!         print(f"produced {i}, qsize={queue.qsize()}")
//!
//!
//! async def worker(name, queue, seconds):
//!     while True:
//!         item = await queue.get()
//!         print(f"{name} working on {item}")
//!         await asyncio.sleep(seconds)
//!         print(f"{name} finished {item}")
//!         queue.task_done()
//!
//!
//! async def main():
//!     queue = asyncio.Queue(maxsize=2)
//!     workers = [
//!         asyncio.create_task(worker("fast", queue, 1.0)),
//!         asyncio.create_task(worker("slow", queue, 2.5)),
//!     ]
//!     await producer(queue, 6)
//!     await queue.join()  # until task_done() was called for every item
//!     print("all items processed")
//!
//!     for w in workers:
//!         w.cancel()
//!     results = await asyncio.gather(*workers, return_exceptions=True)
//!     cancelled = sum(isinstance(r, asyncio.CancelledError) for r in results)
//!     print(f"{cancelled} workers cancelled")
//!
//!
//! asyncio.run(main())
//! ```

use std::time::Duration;

use resumable::sync::Queue;
use resumable::time::sleep;
use resumable::{gather, spawn, yield_await};

#[resumable::coroutine]
fn producer(queue: Queue<u32>, n: u32) {
    for i in 0..n {
        // Waits while the queue is full. `Err` only if the queue was shut down.
        yield_await!(queue.put(i)).unwrap();
        println!("produced {i}, qsize={}", queue.qsize());
    }
}

#[resumable::coroutine]
fn worker(name: &'static str, queue: Queue<u32>, seconds: f64) {
    loop {
        let item = yield_await!(queue.get()).unwrap();
        println!("{name} working on {item}");
        yield_await!(sleep(Duration::from_secs_f64(seconds)));
        println!("{name} finished {item}");
        queue.task_done().unwrap();
    }
}

#[resumable::coroutine]
fn main_task() {
    // A queue is a cheap handle: each task gets its own clone (asyncio passes the object).
    let queue = Queue::with_capacity(2);
    let workers = [
        spawn(worker("fast", queue.clone(), 1.0)),
        spawn(worker("slow", queue.clone(), 2.5)),
    ];
    yield_await!(producer(queue.clone(), 6));
    yield_await!(queue.join()); // until task_done() was called for every item
    println!("all items processed");

    // Cancelling drops each worker's future where it waits (in `get`).
    for w in &workers {
        w.cancel();
    }
    let results = yield_await!(gather(workers)).unwrap();
    let cancelled = results
        .iter()
        .filter(|r| matches!(r, Err(e) if e.is_cancelled()))
        .count();
    println!("{cancelled} workers cancelled");
}

fn main() {
    resumable::run(main_task()); // asyncio.run(main())
}
