//! The asyncio primer, ported line by line.
//!
//! ```python
//! import asyncio
//!
//! async def fetch_data():
//!     print("Fetching data...")
//!     await asyncio.sleep(2)
//!     print("Data Fetched")
//!     return {"data": "sample data"}
//!
//! async def main():
//!     print("Start")
//!     data = await fetch_data()
//!     print(f"Received {data}")
//!     print("End")
//!
//! asyncio.run(main())
//! ```
//!
//! Run it with `cargo run --example primer`; see what the attribute wrote with
//! `cargo expand --example primer`.

use resumable::time::sleep;
use resumable::yield_await;
use std::fmt;
use std::time::Duration;

/// The dict the Python version returns, printed the way Python prints it.
struct Data {
    data: &'static str,
}

impl fmt::Display for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{'data': '{}'}}", self.data)
    }
}

#[resumable::coroutine]
fn fetch_data() -> Data {
    println!("Fetching data...");
    yield_await!(sleep(Duration::from_secs(2)));
    println!("Data Fetched");
    Data {
        data: "sample data",
    }
}

#[resumable::coroutine]
fn main_task() {
    println!("Start");
    let data = yield_await!(fetch_data());
    println!("Received {data}");
    println!("End");
}

fn main() {
    resumable::run(main_task());
}
