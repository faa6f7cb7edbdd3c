//! Structured concurrency with [`TaskGroup`], asyncio's `TaskGroup` (Python 3.11). The
//! group's `join` is the end of asyncio's `async with` block: it waits for every child.
//! When a child fails, the group cancels the others and `join` gives every error
//! (asyncio raises them together as an `ExceptionGroup`).
//!
//! ```sh
//! cargo run --example task_group                  # real time: about 4 s
//! RESUMABLE_VIRTUAL_TIME=1 cargo run --example task_group   # virtual time: at once
//! ```
//!
//! The Python it ports:
//!
//! ```python
//! import asyncio
//!
//!
//! async def worker(name, seconds, fail=False):
//!     try:
//!         await asyncio.sleep(seconds)
//!         if fail:
//!             raise ValueError(f"{name} failed")
//!         print(f"{name}: done")
//!         return name.upper()
//!     finally:
//!         print(f"{name}: exits")
//!
//!
//! async def main():
//!     async with asyncio.TaskGroup() as tg:
//!         a = tg.create_task(worker("a", 1))
//!         b = tg.create_task(worker("b", 2))
//!         print("both started")
//!     print(f"results: {a.result()}, {b.result()}")
//!
//!     try:
//!         async with asyncio.TaskGroup() as tg:
//!             tg.create_task(worker("ok", 1))
//!             tg.create_task(worker("bad", 2, fail=True))
//!             slow = tg.create_task(worker("slow", 10))
//!     except* ValueError as group:
//!         for error in group.exceptions:
//!             print(f"error: {error}")
//!     if slow.cancelled():
//!         print("slow: was cancelled")
//!
//!
//! asyncio.run(main())
//! ```

use std::time::Duration;

use resumable::time::sleep;
use resumable::{yield_await, TaskGroup};

/// Prints its message when dropped: on return, on error, and on cancellation.
struct Finally(String);

impl Drop for Finally {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

/// A child reports failure by returning `Err`: the group's error type is `String` here.
#[resumable::coroutine]
fn worker(name: &'static str, seconds: u64, fail: bool) -> Result<String, String> {
    let _exits = Finally(format!("{name}: exits")); // Python's `finally:`
    yield_await!(sleep(Duration::from_secs(seconds)));
    if fail {
        return Err(format!("{name} failed"));
    }
    println!("{name}: done");
    Ok(name.to_uppercase())
}

#[resumable::coroutine]
fn main_task() {
    let group = TaskGroup::new();
    let a = group.spawn(worker("a", 1, false));
    let b = group.spawn(worker("b", 2, false));
    println!("both started");
    yield_await!(group.join()).unwrap(); // the end of `async with`: every child is done
    let result_a = yield_await!(a).unwrap();
    let result_b = yield_await!(b).unwrap();
    println!("results: {result_a}, {result_b}");

    let group = TaskGroup::new();
    group.spawn(worker("ok", 1, false));
    group.spawn(worker("bad", 2, true));
    let slow = group.spawn(worker("slow", 10, false));
    if let Err(errors) = yield_await!(group.join()) {
        for error in errors {
            println!("error: {error}");
        }
    }
    if yield_await!(slow).is_err_and(|e| e.is_cancelled()) {
        println!("slow: was cancelled");
    }
}

fn main() {
    resumable::run(main_task()); // asyncio.run(main())
}
