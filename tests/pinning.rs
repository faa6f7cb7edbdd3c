//! Awaited futures are polled in place: `!Unpin` futures work and are never moved, and a
//! coroutine is `Unpin` exactly when everything it holds is.
#![deny(warnings)]

use resumable::yield_await;
use std::marker::PhantomPinned;
use testkit::{address_checked, block_on, implements, ready_after_one};

async fn native(n: u32) -> u32 {
    ready_after_one(n).await
}

#[resumable::coroutine]
fn awaits_address_checked_futures() -> u32 {
    let a = yield_await!(address_checked(3, 1));
    let b = yield_await!(native(2));
    let mut total = a + b;
    for i in 0..3 {
        total += yield_await!(address_checked(i, i as u32));
    }
    total
}

#[test]
fn not_unpin_futures_are_polled_where_they_lie() {
    assert_eq!(block_on(awaits_address_checked_futures()), 6);
}

#[test]
fn a_coroutine_may_move_before_its_first_poll() {
    let fut = awaits_address_checked_futures();
    let moved = Box::new(fut);
    assert_eq!(block_on(*moved), 6);
}

#[resumable::coroutine]
fn pending_forever() {
    yield_await!(std::future::pending::<()>());
}

#[test]
fn std_pending_is_awaited_in_place() {
    let mut fut = std::pin::pin!(pending_forever());
    assert!(testkit::poll_n(fut.as_mut(), 3).is_none());
}

#[resumable::coroutine]
fn holds_unpin_things(x: u32) -> u32 {
    let y = yield_await!(ready_after_one(x));
    x + y
}

#[resumable::coroutine]
fn holds_a_not_unpin_local(p: PhantomPinned) {
    yield_await!(ready_after_one(()));
    let _ = p;
}

#[resumable::coroutine]
fn awaits_a_native_future() {
    yield_await!(native(1));
}

fn assert_unpin<T: Unpin>(_: &T) {}

#[test]
fn a_coroutine_is_unpin_when_all_it_holds_is() {
    assert_unpin(&holds_unpin_things(1));
    assert!(implements!(holds_unpin_things(1), Unpin));
}

#[test]
fn a_coroutine_holding_a_not_unpin_value_or_future_is_not_unpin() {
    assert!(!implements!(holds_a_not_unpin_local(PhantomPinned), Unpin));
    assert!(!implements!(awaits_a_native_future(), Unpin));
}
