//! `coroutine_block!{ .. }` and `coroutine_block!(move { .. })`: the analogues of `async`
//! and `async move` blocks.
#![deny(warnings)]

use resumable::{coroutine_block, yield_await};
use testkit::{block_on, ready_after_one as ready, Log};

#[test]
fn a_block_borrows_what_it_uses() {
    let v = [1, 2, 3];
    let fut = coroutine_block! {
        let n = yield_await!(ready(v.len()));
        n + v[0]
    };
    assert_eq!(block_on(fut), 4);
    assert_eq!(v.len(), 3);
}

#[test]
fn a_move_block_owns_what_it_uses_and_may_consume_it() {
    let log = Log::new();
    let s = String::from("abc");
    let d = log.value("d");
    let fut = coroutine_block!(move {
        yield_await!(ready(()));
        let owned: String = s;
        drop(d);
        owned.len()
    });
    assert!(log.events().is_empty());
    assert_eq!(block_on(fut), 3);
    assert_eq!(log.events(), ["drop d"]);
}

#[test]
fn a_move_block_can_be_returned_and_spawned() {
    fn make(n: u32) -> impl std::future::Future<Output = u32> + Send {
        coroutine_block!(move {
            let m = yield_await!(ready(n));
            m * 2
        })
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(async { tokio::spawn(make(21)).await.unwrap() }),
        42
    );
}

#[test]
fn question_mark_and_return_leave_the_block_only() {
    fn parse(
        s: &'static str,
    ) -> impl std::future::Future<Output = Result<u32, std::num::ParseIntError>> {
        coroutine_block!(move {
            let n: u32 = yield_await!(ready(s)).parse()?;
            if n == 0 {
                return Ok(100);
            }
            Ok(n)
        })
    }
    assert_eq!(block_on(parse("7")), Ok(7));
    assert_eq!(block_on(parse("0")), Ok(100));
    assert!(block_on(parse("x")).is_err());
}

#[resumable::coroutine]
fn outer_with_nested_blocks(log: &Log) -> u32 {
    let a = yield_await!(ready(1));
    let inner = coroutine_block! {
        let b = yield_await!(ready(10));
        log.push("inner");
        b
    };
    let b = yield_await!(inner);
    let c = yield_await!(coroutine_block!(move {
        let c = yield_await!(ready(100));
        c + a
    }));
    a + b + c
}

#[test]
fn a_block_nested_in_a_coroutine_fn_is_a_coroutine_of_its_own() {
    let log = Log::new();
    assert_eq!(block_on(outer_with_nested_blocks(&log)), 112);
    assert_eq!(log.events(), ["inner"]);
}
