//! Where a coroutine waits: each suspension reports "file:line `yield_await!(expr)`" to the
//! runtime, so `runtime::dump()` shows where every task is suspended.
#![deny(warnings)]

use resumable::{for_await, yield_await};
use std::future::pending;

#[resumable::coroutine]
fn waits_forever() {
    let _ = 1;
    yield_await!(pending::<()>()); // line 11
}

#[resumable::coroutine]
fn outer() {
    yield_await!(waits_forever()); // line 16
}

#[resumable::coroutine]
fn iterates_a_pending_stream() {
    for_await!(_x in futures::stream::pending::<u32>() { // line 21
        yield_await!(std::future::ready(()));
    });
}

/// Runs `fut` on a runtime in debug mode, where coroutines record their yield points.
fn in_debug_mode(fut: impl std::future::Future<Output = ()>) {
    resumable::runtime::Builder::new()
        .debug(true)
        .build()
        .expect("a runtime")
        .block_on(fut);
}

fn location_of(name: &str) -> Option<&'static str> {
    resumable::runtime::dump()
        .tasks
        .into_iter()
        .find(|t| t.name.as_deref() == Some(name))
        .and_then(|t| t.location)
}

#[test]
fn a_task_suspended_in_a_coroutine_shows_its_yield_point_in_the_dump() {
    in_debug_mode(async {
        let _t = resumable::spawn_named("waiter", waits_forever());
        resumable::yield_now().await;
        assert_eq!(
            location_of("waiter"),
            Some("tests/yield_locations.rs:11 `yield_await!(pending::<()>())`")
        );
    });
}

#[test]
fn the_innermost_coroutine_names_the_location() {
    in_debug_mode(async {
        let _t = resumable::spawn_named("outer", outer());
        resumable::yield_now().await;
        assert_eq!(
            location_of("outer"),
            Some("tests/yield_locations.rs:11 `yield_await!(pending::<()>())`")
        );
    });
}

#[test]
fn a_task_waiting_in_for_await_shows_the_loop() {
    in_debug_mode(async {
        let _t = resumable::spawn_named("reader", iterates_a_pending_stream());
        resumable::yield_now().await;
        assert_eq!(
            location_of("reader"),
            Some("tests/yield_locations.rs:21 `for_await!`")
        );
    });
}
