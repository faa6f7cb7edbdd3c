//! Timeouts and cancellation. asyncio cancels by throwing `CancelledError` into the
//! coroutine, and `finally:` blocks clean up; here a coroutine is cancelled by dropping
//! it where it is suspended, and `Drop` cleans up (the locals alive at that point are
//! dropped, as when a fn returns). `timeout` is asyncio's `wait_for` and, around a
//! block, its `async with asyncio.timeout(..)`.
//!
//! ```sh
//! cargo run --example timeouts                  # real time: about 7 s
//! RESUMABLE_VIRTUAL_TIME=1 cargo run --example timeouts   # virtual time: at once
//! ```
//!
//! The Python it ports:
//!
//! ```python
//! import asyncio
//!
//!
//! async def operation(name, seconds):
//!     print(f"{name}: started")
//!     try:
//!         await asyncio.sleep(seconds)
//!         print(f"{name}: finished")
//!         return f"{name} result"
//!     finally:
//!         print(f"{name}: cleanup")
//!
//!
//! async def main():
//!     # The deadline is not reached.
//!     result = await asyncio.wait_for(operation("quick", 1), timeout=5)
//!     print(f"got {result}")
//!
//!     # The deadline is reached: the operation is cancelled, then wait_for raises.
//!     try:
//!         await asyncio.wait_for(operation("slow", 10), timeout=2)
//!     except TimeoutError:
//!         print("slow: timed out")
//!
//!     # One deadline for a whole block.
//!     try:
//!         async with asyncio.timeout(3):
//!             await operation("step 1", 2)
//!             await operation("step 2", 2)
//!     except TimeoutError:
//!         print("block: timed out")
//!
//!     # Cancelling a task: it stops at its current await, in the loop's next iteration.
//!     task = asyncio.create_task(operation("background", 3600))
//!     await asyncio.sleep(1)
//!     task.cancel()
//!     print("background: cancel requested")
//!     try:
//!         await task
//!     except asyncio.CancelledError:
//!         print("background: cancelled")
//!
//!
//! asyncio.run(main())
//! ```

use std::time::Duration;

use resumable::time::{sleep, timeout};
use resumable::{spawn, yield_await};

/// Prints its message when dropped: on return, and on cancellation.
struct Finally(String);

impl Drop for Finally {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[resumable::coroutine]
fn operation(name: &'static str, seconds: u64) -> String {
    println!("{name}: started");
    let _cleanup = Finally(format!("{name}: cleanup")); // Python's `finally:`
    yield_await!(sleep(secs(seconds)));
    println!("{name}: finished");
    format!("{name} result")
}

#[resumable::coroutine]
fn main_task() {
    // The deadline is not reached.
    if let Ok(result) = yield_await!(timeout(secs(5), operation("quick", 1))) {
        println!("got {result}");
    }

    // The deadline is reached: the operation is dropped (cleanup runs), then `Err`.
    if yield_await!(timeout(secs(2), operation("slow", 10))).is_err() {
        println!("slow: timed out");
    }

    // One deadline for a whole block.
    let steps = async {
        operation("step 1", 2).await;
        operation("step 2", 2).await;
    };
    if yield_await!(timeout(secs(3), steps)).is_err() {
        println!("block: timed out");
    }

    // Cancelling a task: it is dropped at its current yield, in the loop's next iteration.
    let task = spawn(operation("background", 3600));
    yield_await!(sleep(secs(1)));
    task.cancel();
    println!("background: cancel requested");
    if let Err(error) = yield_await!(task) {
        assert!(error.is_cancelled());
        println!("background: cancelled");
    }
}

fn main() {
    resumable::run(main_task()); // asyncio.run(main())
}
