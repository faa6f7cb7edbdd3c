//! `resumable::sync::Lock` and `Mutex<T>`: mutual exclusion with owned guards, FIFO
//! hand-over, and no lock leaked by a cancelled acquisition.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use resumable::sync::{Lock, LockGuard, Mutex, MutexGuard};
use std::cell::RefCell;
use std::rc::Rc;

#[test]
fn a_free_lock_is_taken_at_once_and_released_when_the_guard_drops() {
    let lock = Lock::new();
    let guard = match poll(&mut lock.acquire()) {
        Poll::Ready(guard) => guard,
        Poll::Pending => panic!("a free lock must be taken at once"),
    };
    assert!(lock.locked());
    drop(guard);
    assert!(!lock.locked());
}

#[test]
fn acquire_waits_while_the_lock_is_held_and_is_woken_by_the_release() {
    let lock = Lock::new();
    let guard = lock.try_acquire().unwrap();
    let (counter, waker) = counting_waker();
    let mut acquire = lock.acquire();
    assert!(poll_with(&mut acquire, &waker).is_pending());
    drop(guard);
    assert_eq!(woken(&counter), 1);
    assert!(
        lock.try_acquire().is_none(),
        "handed over, never free in between"
    );
    assert!(
        !lock.locked(),
        "asyncio reads a handed-over lock as unlocked"
    );
    let Poll::Ready(_guard) = poll(&mut acquire) else {
        panic!("the lock was handed over")
    };
    assert!(lock.locked());
}

#[test]
fn waiters_get_the_lock_first_come_first_served_and_newcomers_cannot_overtake() {
    let lock = Lock::new();
    let guard = lock.try_acquire().unwrap();
    let mut first = lock.acquire();
    let mut second = lock.acquire();
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    drop(guard);
    assert!(
        lock.try_acquire().is_none(),
        "a newcomer cannot take a handed-over lock"
    );
    assert!(poll(&mut second).is_pending());
    let Poll::Ready(first_guard) = poll(&mut first) else {
        panic!("the first waiter owns the lock")
    };
    drop(first_guard);
    assert!(poll(&mut second).is_ready());
}

#[test]
fn an_acquisition_cancelled_while_waiting_leaves_the_lock_alone() {
    let lock = Lock::new();
    let guard = lock.try_acquire().unwrap();
    let mut cancelled = lock.acquire();
    assert!(poll(&mut cancelled).is_pending());
    drop(cancelled);
    drop(guard);
    assert!(lock.try_acquire().is_some(), "the lock is free");
}

#[test]
fn an_acquisition_cancelled_after_the_hand_over_passes_the_lock_to_the_next_waiter() {
    let lock = Lock::new();
    let guard = lock.try_acquire().unwrap();
    let mut chosen = lock.acquire();
    let (counter, waker) = counting_waker();
    let mut next = lock.acquire();
    assert!(poll(&mut chosen).is_pending());
    assert!(poll_with(&mut next, &waker).is_pending());
    drop(guard);
    drop(chosen);
    assert_eq!(woken(&counter), 1);
    assert!(poll(&mut next).is_ready());
}

#[test]
fn an_acquisition_cancelled_after_the_hand_over_with_nobody_waiting_frees_the_lock() {
    let lock = Lock::new();
    let guard = lock.try_acquire().unwrap();
    let mut chosen = lock.acquire();
    assert!(poll(&mut chosen).is_pending());
    drop(guard);
    drop(chosen);
    assert!(lock.try_acquire().is_some(), "the lock is free");
}

#[test]
fn the_guard_is_static_and_can_be_held_across_awaits_by_tasks() {
    fn assert_static<T: 'static>(_: &T) {}
    let lock = Lock::new();
    let guard: LockGuard = lock.try_acquire().unwrap();
    assert_static(&guard);
    assert_static(&lock.acquire());
    drop(guard);

    let mut pool = LocalPool::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    for task in 0..3 {
        let (lock, log) = (lock.clone(), log.clone());
        pool.spawner()
            .spawn_local(async move {
                let _guard = lock.acquire().await;
                log.borrow_mut().push(format!("{task} in"));
                yield_now().await; // others run while we hold the lock
                log.borrow_mut().push(format!("{task} out"));
            })
            .unwrap();
    }
    pool.run();
    let expected: Vec<String> = ["0 in", "0 out", "1 in", "1 out", "2 in", "2 out"]
        .map(String::from)
        .into();
    assert_eq!(*log.borrow(), expected);
}

#[test]
fn a_mutex_guard_gives_access_to_the_value_and_releases_on_drop() {
    let mutex = Mutex::new(vec![1]);
    {
        let Poll::Ready(mut guard) = poll(&mut mutex.lock()) else {
            panic!("a free mutex must be taken at once")
        };
        guard.push(2);
        assert!(mutex.locked());
        assert!(mutex.try_lock().is_none());
    }
    assert!(!mutex.locked());
    assert_eq!(*mutex.try_lock().unwrap(), [1, 2]);
}

#[test]
fn mutex_waiters_are_served_in_order_and_a_cancelled_one_passes_the_lock_on() {
    let mutex = Mutex::new(0);
    let guard = mutex.try_lock().unwrap();
    let mut chosen = mutex.lock();
    let mut next = mutex.lock();
    assert!(poll(&mut chosen).is_pending());
    assert!(poll(&mut next).is_pending());
    drop(guard);
    drop(chosen);
    let Poll::Ready(mut guard) = poll(&mut next) else {
        panic!("the lock passes to the next waiter")
    };
    *guard += 1;
    drop(guard);
    assert_eq!(*mutex.try_lock().unwrap(), 1);
}

#[test]
fn mutex_increments_from_many_tasks_are_not_lost() {
    let mutex = Mutex::new(0u32);
    let mut pool = LocalPool::new();
    for _ in 0..10 {
        let mutex = mutex.clone();
        pool.spawner()
            .spawn_local(async move {
                for _ in 0..10 {
                    let mut guard: MutexGuard<u32> = mutex.lock().await;
                    let seen = *guard;
                    yield_now().await; // others run while we hold the lock
                    *guard = seen + 1;
                }
            })
            .unwrap();
    }
    pool.run();
    assert_eq!(*mutex.try_lock().unwrap(), 100);
}

/// Lets the other tasks run once (asyncio's `sleep(0)`).
async fn yield_now() {
    let mut yielded = false;
    futures::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
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
fn random_acquisitions_and_cancellations_never_give_two_holders_nor_leak_the_lock() {
    for seed in 1..=200u64 {
        let mut rng = Rng(seed);
        let mutex = Mutex::new(0u32);
        let mut holder: Option<MutexGuard<u32>> = None;
        let mut waiting = Vec::new();
        let mut served = 0u32;
        for _ in 0..300 {
            match rng.below(4) {
                0 => waiting.push(mutex.lock()),
                1 => holder = None,
                2 if !waiting.is_empty() => {
                    let index = rng.below(waiting.len());
                    if let Poll::Ready(mut guard) = poll(&mut waiting[index]) {
                        assert!(holder.is_none(), "seed {seed}: two holders at once");
                        *guard += 1;
                        served += 1;
                        holder = Some(guard);
                        drop(waiting.remove(index));
                    }
                }
                3 if !waiting.is_empty() => drop(waiting.remove(rng.below(waiting.len()))),
                _ => {}
            }
            if holder.is_some() {
                assert!(mutex.try_lock().is_none(), "seed {seed}: taken while held");
            }
        }
        drop(holder);
        drop(waiting);
        let guard = mutex.try_lock();
        assert!(guard.is_some(), "seed {seed}: the lock leaked");
        assert_eq!(*guard.unwrap(), served);
    }
}
