//! `resumable::sync::Condition`: wait releases the lock and gets it back; notifications
//! go first come first served and are never lost to a cancelled waiter.

use std::task::{Poll, Waker};
use testkit::polling::{counting_waker, poll, poll_with, woken};

use std::cell::Cell;
use std::rc::Rc;

use resumable::sync::{Condition, Lock, LockGuard};

fn acquire(condition: &Condition) -> LockGuard {
    match poll(&mut condition.acquire()) {
        Poll::Ready(guard) => guard,
        Poll::Pending => panic!("the lock is not free"),
    }
}

/// `n` tasks waiting on `condition`, each having taken the lock and started its wait.
fn waiting(condition: &Condition, n: usize, waker: &Waker) -> Vec<resumable::sync::ConditionWait> {
    (0..n)
        .map(|_| {
            let mut wait = condition.wait(acquire(condition));
            assert!(poll_with(&mut wait, waker).is_pending());
            wait
        })
        .collect()
}

#[test]
fn wait_releases_the_lock_while_waiting_and_returns_with_it_held() {
    let condition = Condition::new();
    let mut wait = condition.wait(acquire(&condition));
    assert!(condition.locked(), "not released before the wait starts");
    assert!(poll(&mut wait).is_pending());
    assert!(!condition.locked(), "released while waiting");
    condition.notify(1);
    let Poll::Ready(guard) = poll(&mut wait) else {
        panic!("a notified waiter gets the free lock at once")
    };
    assert!(condition.locked());
    drop(guard);
    assert!(!condition.locked());
}

#[test]
fn a_notified_waiter_waits_for_the_lock_if_the_notifier_still_holds_it() {
    let condition = Condition::new();
    let mut wait = condition.wait(acquire(&condition));
    assert!(poll(&mut wait).is_pending());
    let notifier = acquire(&condition);
    condition.notify(1);
    assert!(poll(&mut wait).is_pending());
    drop(notifier);
    assert!(poll(&mut wait).is_ready());
}

#[test]
fn notify_wakes_waiters_first_come_first_served_and_only_as_many_as_asked() {
    let condition = Condition::new();
    let (counter, waker) = counting_waker();
    let mut waits = waiting(&condition, 3, &waker);
    condition.notify(2);
    assert_eq!(woken(&counter), 2);
    let Poll::Ready(first) = poll(&mut waits[0]) else {
        panic!("the first waiter was notified")
    };
    drop(first);
    assert!(poll(&mut waits[1]).is_ready());
    assert!(
        poll(&mut waits[2]).is_pending(),
        "the third one was not notified"
    );
}

#[test]
fn notify_all_wakes_every_waiter() {
    let condition = Condition::new();
    let (counter, waker) = counting_waker();
    let mut waits = waiting(&condition, 3, &waker);
    condition.notify_all();
    assert_eq!(woken(&counter), 3);
    // They take the lock one after the other.
    for wait in &mut waits {
        let Poll::Ready(guard) = poll(wait) else {
            panic!("a notified waiter gets the lock once the previous one released it")
        };
        drop(guard);
    }
}

#[test]
fn a_waiter_cancelled_after_being_notified_passes_the_notification_on() {
    let condition = Condition::new();
    let mut chosen = condition.wait(acquire(&condition));
    assert!(poll(&mut chosen).is_pending());
    let (counter, waker) = counting_waker();
    let mut next = condition.wait(acquire(&condition));
    assert!(poll_with(&mut next, &waker).is_pending());
    condition.notify(1);
    drop(chosen);
    assert_eq!(woken(&counter), 1);
    assert!(poll(&mut next).is_ready());
}

#[test]
fn a_waiter_cancelled_while_relocking_leaves_the_lock_free() {
    let condition = Condition::new();
    let mut wait = condition.wait(acquire(&condition));
    assert!(poll(&mut wait).is_pending());
    let notifier = acquire(&condition);
    condition.notify(1);
    assert!(poll(&mut wait).is_pending()); // now waiting for the lock
    drop(wait);
    drop(notifier);
    assert!(condition.lock().try_acquire().is_some(), "the lock is free");
}

#[test]
fn a_wait_dropped_before_it_was_polled_releases_the_lock() {
    let condition = Condition::new();
    let wait = condition.wait(acquire(&condition));
    drop(wait);
    assert!(condition.lock().try_acquire().is_some(), "the lock is free");
}

#[test]
fn wait_for_returns_at_once_when_the_predicate_already_holds() {
    let condition = Condition::new();
    let mut wait = condition.wait_for(acquire(&condition), || true);
    assert!(poll(&mut wait).is_ready());
}

#[test]
fn wait_for_keeps_waiting_until_the_predicate_holds_after_a_notification() {
    let condition = Condition::new();
    let value = Rc::new(Cell::new(0));
    let checks = Rc::new(Cell::new(0));
    let mut wait = {
        let (value, checks) = (value.clone(), checks.clone());
        condition.wait_for(acquire(&condition), move || {
            checks.set(checks.get() + 1);
            value.get() >= 2
        })
    };
    assert!(poll(&mut wait).is_pending());
    value.set(1);
    condition.notify_all();
    assert!(poll(&mut wait).is_pending(), "predicate still false");
    value.set(2);
    condition.notify_all();
    assert!(poll(&mut wait).is_ready());
    assert_eq!(
        checks.get(),
        3,
        "checked at start and after each notification"
    );
}

#[test]
#[should_panic(expected = "guard of another lock")]
fn wait_with_the_guard_of_another_lock_is_refused() {
    let condition = Condition::new();
    let other = Lock::new();
    drop(condition.wait(other.try_acquire().unwrap()));
}

#[test]
fn a_condition_can_share_an_existing_lock() {
    let lock = Lock::new();
    let condition = Condition::with_lock(lock.clone());
    let guard = lock.try_acquire().unwrap();
    let mut wait = condition.wait(guard);
    assert!(poll(&mut wait).is_pending());
    assert!(!lock.locked());
}
