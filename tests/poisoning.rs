//! A coroutine polled after it completed, or after one of its polls panicked, panics
//! with a clear message instead of running again.
#![deny(warnings)]

use resumable::yield_await;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Context;
use testkit::ready_after_one;

#[resumable::coroutine]
fn finishes() -> u32 {
    yield_await!(ready_after_one(1))
}

#[resumable::coroutine]
fn panics_after_a_yield() {
    yield_await!(ready_after_one(()));
    panic!("boom");
}

fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn polling_after_completion_panics_with_resumed_after_completion() {
    let waker = testkit::noop_waker();
    let mut fut = Box::pin(finishes());
    let mut cx = Context::from_waker(&waker);
    while fut.as_mut().poll(&mut cx).is_pending() {}
    let err = catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))).unwrap_err();
    assert!(
        message(err).contains("`finishes` resumed after completion"),
        "wrong message"
    );
}

#[test]
fn polling_after_a_panic_panics_with_resumed_after_panicking() {
    let waker = testkit::noop_waker();
    let mut fut = Box::pin(panics_after_a_yield());
    let mut cx = Context::from_waker(&waker);
    assert!(fut.as_mut().poll(&mut cx).is_pending());
    let first = catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))).unwrap_err();
    assert_eq!(message(first), "boom");
    let again = catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))).unwrap_err();
    assert!(message(again).contains("`panics_after_a_yield` resumed after panicking"));
}
