//! Sequential vs concurrent: the first example of asyncio's "Coroutines and Tasks" page.
//! Awaiting two coroutines one after the other takes 1 s + 2 s; spawning them as tasks
//! first lets their sleeps overlap, so the same work takes 2 s.
//!
//! ```sh
//! cargo run --example say_after                  # real time: about 5 s
//! RESUMABLE_VIRTUAL_TIME=1 cargo run --example say_after   # virtual time: the same output, at once
//! ```
//!
//! The Python it ports (the docs print `time.strftime('%X')`; this prints the time
//! elapsed on the loop's clock, so that the output can be compared line by line):
//!
//! ```python
//! import asyncio
//!
//!
//! async def say_after(delay, what):
//!     await asyncio.sleep(delay)
//!     print(what)
//!
//!
//! async def main():
//!     loop = asyncio.get_running_loop()
//!
//!     start = loop.time()
//!     print("sequential: started")
//!     await say_after(1, "hello")
//!     await say_after(2, "world")
//!     print(f"sequential: finished after {loop.time() - start:.1f} s")
//!
//!     start = loop.time()
//!     task1 = asyncio.create_task(say_after(1, "hello"))
//!     task2 = asyncio.create_task(say_after(2, "world"))
//!     print("concurrent: started")
//!     await task1
//!     await task2
//!     print(f"concurrent: finished after {loop.time() - start:.1f} s")
//!
//!
//! asyncio.run(main())
//! ```

use std::time::Duration;

use resumable::time::{sleep, Instant};
use resumable::{spawn, yield_await};

#[resumable::coroutine]
fn say_after(delay: Duration, what: &'static str) {
    yield_await!(sleep(delay));
    println!("{what}");
}

#[resumable::coroutine]
fn main_task() {
    let second = Duration::from_secs(1);

    // Calling a coroutine runs nothing; awaiting it runs it to the end, here and now.
    let start = Instant::now();
    println!("sequential: started");
    yield_await!(say_after(second, "hello"));
    yield_await!(say_after(2 * second, "world"));
    let elapsed = start.elapsed().as_secs_f64();
    println!("sequential: finished after {elapsed:.1} s");

    // `spawn` (asyncio's `create_task`) schedules both at once; they sleep concurrently.
    let start = Instant::now();
    let task1 = spawn(say_after(second, "hello"));
    let task2 = spawn(say_after(2 * second, "world"));
    println!("concurrent: started");
    yield_await!(task1).unwrap();
    yield_await!(task2).unwrap();
    let elapsed = start.elapsed().as_secs_f64();
    println!("concurrent: finished after {elapsed:.1} s");
}

fn main() {
    resumable::run(main_task()); // asyncio.run(main())
}
