//! `resumable::sync::Barrier`: rounds of `parties` tasks, indices in arrival order,
//! abort/reset breaking the barrier, and cancelled waiters leaving the round.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use resumable::sync::{Barrier, BrokenBarrier};

#[test]
fn the_round_completes_when_the_last_party_arrives_with_indices_in_arrival_order() {
    let barrier = Barrier::new(3);
    let (counter, waker) = counting_waker();
    let mut first = barrier.wait();
    let mut second = barrier.wait();
    assert!(poll_with(&mut first, &waker).is_pending());
    assert!(poll_with(&mut second, &waker).is_pending());
    assert_eq!(barrier.n_waiting(), 2);
    assert_eq!(poll(&mut barrier.wait()), Poll::Ready(Ok(2)));
    assert_eq!(woken(&counter), 2);
    assert_eq!(poll(&mut second), Poll::Ready(Ok(1)));
    assert_eq!(poll(&mut first), Poll::Ready(Ok(0)));
    assert_eq!(barrier.n_waiting(), 0);
}

#[test]
fn the_barrier_is_ready_for_the_next_round_at_once() {
    let barrier = Barrier::new(2);
    let mut a = barrier.wait();
    assert!(poll(&mut a).is_pending());
    assert_eq!(poll(&mut barrier.wait()), Poll::Ready(Ok(1)));
    // `a` has not run yet, but a new round already starts empty.
    let mut c = barrier.wait();
    assert!(poll(&mut c).is_pending());
    assert_eq!(poll(&mut a), Poll::Ready(Ok(0)));
    assert_eq!(poll(&mut barrier.wait()), Poll::Ready(Ok(1)));
    assert_eq!(poll(&mut c), Poll::Ready(Ok(0)));
}

#[test]
fn a_waiter_cancelled_before_the_round_completes_no_longer_counts() {
    let barrier = Barrier::new(2);
    let mut cancelled = barrier.wait();
    assert!(poll(&mut cancelled).is_pending());
    drop(cancelled);
    assert_eq!(barrier.n_waiting(), 0);
    let mut a = barrier.wait();
    assert!(poll(&mut a).is_pending(), "one party is not a round of two");
    assert_eq!(poll(&mut barrier.wait()), Poll::Ready(Ok(1)));
    assert_eq!(poll(&mut a), Poll::Ready(Ok(0)));
}

#[test]
fn abort_fails_waiting_and_later_waits_until_reset() {
    let barrier = Barrier::new(3);
    let (counter, waker) = counting_waker();
    let mut waiting = barrier.wait();
    assert!(poll_with(&mut waiting, &waker).is_pending());
    barrier.abort();
    assert!(barrier.broken());
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut waiting), Poll::Ready(Err(BrokenBarrier)));
    assert_eq!(poll(&mut barrier.wait()), Poll::Ready(Err(BrokenBarrier)));
    barrier.reset();
    assert!(!barrier.broken());
    assert!(poll(&mut barrier.wait()).is_pending());
}

#[test]
fn reset_fails_the_waiting_tasks_and_empties_the_barrier() {
    let barrier = Barrier::new(2);
    let mut waiting = barrier.wait();
    assert!(poll(&mut waiting).is_pending());
    barrier.reset();
    assert_eq!(poll(&mut waiting), Poll::Ready(Err(BrokenBarrier)));
    assert_eq!(barrier.n_waiting(), 0);
    assert!(!barrier.broken());
}

#[test]
fn the_broken_barrier_error_says_what_to_do() {
    let message = BrokenBarrier.to_string();
    assert!(
        message.contains("broken") && message.contains("reset()"),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "at least one party")]
fn a_barrier_of_zero_parties_is_refused() {
    let _ = Barrier::new(0);
}
