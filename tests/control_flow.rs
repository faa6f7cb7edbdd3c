//! Control flow inside `#[resumable::coroutine]` fns behaves as in the same body written
//! as an `async fn`.
#![deny(warnings)]

use resumable::yield_await;
use testkit::{block_on, ready_after_one};

#[resumable::coroutine]
fn straight_line(a: u32) -> u32 {
    let b = a + 1;
    let c = yield_await!(ready_after_one(b * 2));
    c + b
}

#[test]
fn straight_line_code_runs_to_its_value() {
    assert_eq!(block_on(straight_line(1)), 6);
}
