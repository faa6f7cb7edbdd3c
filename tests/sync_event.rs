//! `resumable::sync::Event`: a flag tasks wait for; `set` wakes them all.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use resumable::sync::Event;

#[test]
fn wait_on_a_set_event_completes_at_once() {
    let event = Event::new();
    event.set();
    assert_eq!(poll(&mut event.wait()), Poll::Ready(()));
}

#[test]
fn set_wakes_every_waiter() {
    let event = Event::new();
    let (counter, waker) = counting_waker();
    let mut waits: Vec<_> = (0..3).map(|_| event.wait()).collect();
    for wait in &mut waits {
        assert!(poll_with(wait, &waker).is_pending());
    }
    event.set();
    assert_eq!(woken(&counter), 3);
    for wait in &mut waits {
        assert_eq!(poll(wait), Poll::Ready(()));
    }
}

#[test]
fn a_waiter_woken_by_set_completes_even_if_the_event_is_cleared_before_it_runs() {
    let event = Event::new();
    let mut wait = event.wait();
    assert!(poll(&mut wait).is_pending());
    event.set();
    event.clear();
    assert_eq!(poll(&mut wait), Poll::Ready(()));
}

#[test]
fn after_clear_new_waiters_wait_for_the_next_set() {
    let event = Event::new();
    event.set();
    event.clear();
    assert!(!event.is_set());
    let mut wait = event.wait();
    assert!(poll(&mut wait).is_pending());
    event.set();
    assert!(event.is_set());
    assert_eq!(poll(&mut wait), Poll::Ready(()));
}

#[test]
fn a_cancelled_waiter_does_not_keep_others_from_being_woken() {
    let event = Event::new();
    let (counter, waker) = counting_waker();
    let mut cancelled = event.wait();
    let mut kept = event.wait();
    assert!(poll(&mut cancelled).is_pending());
    assert!(poll_with(&mut kept, &waker).is_pending());
    drop(cancelled);
    event.set();
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut kept), Poll::Ready(()));
}

#[test]
fn a_waiter_cancelled_after_set_takes_nothing_from_the_others() {
    let event = Event::new();
    let mut first = event.wait();
    let mut second = event.wait();
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    event.set();
    drop(first);
    assert_eq!(poll(&mut second), Poll::Ready(()));
}
