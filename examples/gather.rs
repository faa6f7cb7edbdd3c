//! `gather`: run coroutines concurrently and collect their results in argument order
//! (the `asyncio.gather` example of asyncio's "Coroutines and Tasks" page), then what
//! happens when one of them fails.
//!
//! ```sh
//! cargo run --example gather                  # real time: about 3 s
//! RESUMABLE_VIRTUAL_TIME=1 cargo run --example gather   # virtual time: the same output, at once
//! ```
//!
//! The Python it ports (the second half is asyncio's `return_exceptions=True`; our
//! coroutines return a `Result` instead of raising):
//!
//! ```python
//! import asyncio
//!
//!
//! async def factorial(name, number):
//!     f = 1
//!     for i in range(2, number + 1):
//!         print(f"Task {name}: Compute factorial({number}), currently i={i}...")
//!         await asyncio.sleep(1)
//!         f *= i
//!     print(f"Task {name}: factorial({number}) = {f}")
//!     return f
//!
//!
//! async def parse(text, delay):
//!     await asyncio.sleep(delay)
//!     return int(text)
//!
//!
//! async def main():
//!     # Schedule three calls *concurrently*:
//!     L = await asyncio.gather(
//!         factorial("A", 2),
//!         factorial("B", 3),
//!         factorial("C", 4),
//!     )
//!     print(L)
//!
//!     # Results keep argument order, whichever finishes first; errors are results too.
//!     results = await asyncio.gather(
//!         parse("12", 0.3), parse("x", 0.1), parse("7", 0.2), return_exceptions=True
//!     )
//!     for r in results:
//!         print(f"error: {r}" if isinstance(r, Exception) else f"value: {r}")
//!
//!
//! asyncio.run(main())
//! ```

use std::time::Duration;

use resumable::time::sleep;
use resumable::{gather, yield_await};

#[resumable::coroutine]
fn factorial(name: &'static str, number: u64) -> u64 {
    let mut f = 1;
    for i in 2..=number {
        println!("Task {name}: Compute factorial({number}), currently i={i}...");
        yield_await!(sleep(Duration::from_secs(1)));
        f *= i;
    }
    println!("Task {name}: factorial({number}) = {f}");
    f
}

#[resumable::coroutine]
fn parse(text: &'static str, delay: Duration) -> Result<i64, String> {
    yield_await!(sleep(delay));
    text.parse()
        .map_err(|_| format!("invalid literal for int() with base 10: '{text}'"))
}

#[resumable::coroutine]
fn main_task() {
    // Each argument becomes a task, in order, so the three run concurrently.
    // `Err` only if a task panicked or was cancelled (asyncio would raise).
    let l = yield_await!(gather([
        factorial("A", 2),
        factorial("B", 3),
        factorial("C", 4),
    ]))
    .unwrap();
    println!("{l:?}");

    let ms = Duration::from_millis;
    let results = yield_await!(gather([
        parse("12", ms(300)),
        parse("x", ms(100)),
        parse("7", ms(200)),
    ]));
    for r in results.unwrap() {
        match r {
            Ok(value) => println!("value: {value}"),
            Err(error) => println!("error: {error}"),
        }
    }
}

fn main() {
    resumable::run(main_task()); // asyncio.run(main())
}
