//! `resumable::sync::Semaphore` and `BoundedSemaphore`: permits with guards, FIFO
//! hand-over, no permit leaked by a cancelled acquisition, and the bound enforced.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use resumable::sync::{BoundedSemaphore, Semaphore};

#[test]
fn permits_are_taken_until_none_is_left_and_come_back_when_guards_drop() {
    let semaphore = Semaphore::new(2);
    let a = semaphore.try_acquire().unwrap();
    let b = semaphore.try_acquire().unwrap();
    assert!(semaphore.try_acquire().is_none());
    assert!(semaphore.locked());
    drop(a);
    assert_eq!(semaphore.available_permits(), 1);
    drop(b);
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
fn acquire_waits_for_a_permit_and_is_woken_when_one_is_given_back() {
    let semaphore = Semaphore::new(1);
    let permit = semaphore.try_acquire().unwrap();
    let (counter, waker) = counting_waker();
    let mut acquire = semaphore.acquire();
    assert!(poll_with(&mut acquire, &waker).is_pending());
    drop(permit);
    assert_eq!(woken(&counter), 1);
    assert_eq!(semaphore.available_permits(), 0, "handed over, not stored");
    assert!(poll(&mut acquire).is_ready());
}

#[test]
fn waiters_get_permits_first_come_first_served() {
    let semaphore = Semaphore::new(0);
    let mut first = semaphore.acquire();
    let mut second = semaphore.acquire();
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    semaphore.release();
    assert!(
        semaphore.try_acquire().is_none(),
        "newcomers cannot overtake"
    );
    assert!(poll(&mut second).is_pending());
    assert!(poll(&mut first).is_ready());
}

#[test]
fn an_acquisition_cancelled_while_waiting_takes_no_permit() {
    let semaphore = Semaphore::new(0);
    let mut cancelled = semaphore.acquire();
    assert!(poll(&mut cancelled).is_pending());
    drop(cancelled);
    semaphore.release();
    assert_eq!(semaphore.available_permits(), 1);
}

#[test]
fn an_acquisition_cancelled_after_the_hand_over_passes_the_permit_on() {
    let semaphore = Semaphore::new(0);
    let mut chosen = semaphore.acquire();
    let (counter, waker) = counting_waker();
    let mut next = semaphore.acquire();
    assert!(poll(&mut chosen).is_pending());
    assert!(poll_with(&mut next, &waker).is_pending());
    semaphore.release();
    drop(chosen);
    assert_eq!(woken(&counter), 1);
    assert!(poll(&mut next).is_ready());
}

#[test]
fn an_acquisition_cancelled_after_the_hand_over_with_nobody_waiting_returns_the_permit() {
    let semaphore = Semaphore::new(0);
    let mut chosen = semaphore.acquire();
    assert!(poll(&mut chosen).is_pending());
    semaphore.release();
    drop(chosen);
    assert_eq!(semaphore.available_permits(), 1);
}

#[test]
fn release_on_a_plain_semaphore_may_raise_the_count_above_the_initial_value() {
    let semaphore = Semaphore::new(1);
    semaphore.release();
    assert_eq!(semaphore.available_permits(), 2);
}

#[test]
fn a_bounded_semaphore_refuses_a_release_above_its_initial_value() {
    let semaphore = BoundedSemaphore::new(1);
    let error = semaphore.release().unwrap_err();
    assert_eq!(semaphore.available_permits(), 1);
    let message = error.to_string();
    assert!(message.contains("released too many times"), "{message}");
    assert!(message.contains("forget"), "{message}");
}

#[test]
fn a_bounded_semaphore_counts_permits_held_by_guards_as_taken() {
    let semaphore = BoundedSemaphore::new(1);
    let permit = semaphore.try_acquire().unwrap();
    assert!(
        semaphore.release().is_err(),
        "the guard will give its permit back"
    );
    drop(permit);
    assert_eq!(semaphore.available_permits(), 1);
}

#[test]
fn a_forgotten_permit_is_given_back_with_release() {
    let semaphore = BoundedSemaphore::new(1);
    semaphore.try_acquire().unwrap().forget();
    assert_eq!(semaphore.available_permits(), 0);
    semaphore.release().unwrap();
    assert_eq!(semaphore.available_permits(), 1);
    assert!(semaphore.release().is_err());
}

#[test]
fn a_bounded_semaphore_counts_a_permit_in_transit_to_a_woken_waiter_as_taken() {
    let semaphore = BoundedSemaphore::new(1);
    semaphore.try_acquire().unwrap().forget();
    let mut waiting = semaphore.acquire();
    assert!(poll(&mut waiting).is_pending());
    semaphore.release().unwrap(); // handed to the waiter, which has not run yet
    assert!(semaphore.release().is_err());
    assert!(poll(&mut waiting).is_ready());
}

/// xorshift64*: a small deterministic generator, enough to shuffle operations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

#[test]
fn random_acquires_releases_and_cancellations_never_leak_or_invent_a_permit() {
    for seed in 1..=200u64 {
        let mut rng = Rng(seed);
        let initial = 1 + rng.below(3);
        let semaphore = BoundedSemaphore::new(initial);
        let mut permits = Vec::new();
        let mut waiting = Vec::new();
        for _ in 0..300 {
            match rng.below(4) {
                0 => {
                    let mut acquire = semaphore.acquire();
                    match poll(&mut acquire) {
                        Poll::Ready(permit) => permits.push(permit),
                        Poll::Pending => waiting.push(acquire),
                    }
                }
                1 if !permits.is_empty() => drop(permits.swap_remove(rng.below(permits.len()))),
                2 if !waiting.is_empty() => {
                    let index = rng.below(waiting.len());
                    if let Poll::Ready(permit) = poll(&mut waiting[index]) {
                        permits.push(permit);
                        drop(waiting.remove(index));
                    }
                }
                3 if !waiting.is_empty() => drop(waiting.remove(rng.below(waiting.len()))),
                _ => {}
            }
            assert!(
                permits.len() + semaphore.available_permits() <= initial,
                "seed {seed}: more permits than the semaphore has"
            );
            assert!(
                semaphore.release().is_err(),
                "seed {seed}: a release too many was accepted"
            );
        }
        drop(waiting);
        drop(permits);
        assert_eq!(
            semaphore.available_permits(),
            initial,
            "seed {seed}: a permit leaked"
        );
    }
}
