//! Timers: sleep, sleep_until, timeout, interval, and the virtual-time test runtime.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use resumable::time::{interval, sleep, sleep_until, timeout, Elapsed, Instant};
use resumable::{run, spawn, yield_now, Runtime};

type Log = Rc<RefCell<Vec<String>>>;

fn virtual_rt() -> Runtime {
    Runtime::builder().virtual_time(true).build().unwrap()
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn virtual_time_makes_hours_of_sleep_instant_and_exact() {
    let rt = virtual_rt();
    let started = std::time::Instant::now();
    let elapsed = rt.block_on(async {
        let t0 = Instant::now();
        sleep(secs(3 * 3600)).await;
        t0.elapsed()
    });
    assert_eq!(elapsed, secs(3 * 3600));
    // Not a timing assertion on the runtime: three hours cannot have passed for real.
    assert!(started.elapsed() < secs(3 * 3600));
}

#[test]
fn sleepers_wake_in_deadline_order_whatever_the_spawn_order() {
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    rt.block_on(async move {
        let mut tasks = Vec::new();
        for s in [3u64, 1, 2] {
            let l = l.clone();
            tasks.push(spawn(async move {
                sleep(secs(s)).await;
                l.borrow_mut().push(format!("{s}s"));
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    assert_eq!(*log.borrow(), ["1s", "2s", "3s"]);
}

#[test]
fn timers_with_equal_deadlines_fire_in_creation_order() {
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    rt.block_on(async move {
        let deadline = Instant::now() + secs(1);
        let mut tasks = Vec::new();
        for name in ["a", "b", "c", "d"] {
            let l = l.clone();
            tasks.push(spawn(async move {
                sleep_until(deadline).await;
                l.borrow_mut().push(name.to_string());
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    assert_eq!(*log.borrow(), ["a", "b", "c", "d"]);
}

#[test]
fn sleep_zero_yields_exactly_like_yield_now() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let other = spawn(async move { l2.borrow_mut().push("other".into()) });
        sleep(Duration::ZERO).await;
        l.borrow_mut().push("main".into());
        other.await.unwrap();
    });
    assert_eq!(*log.borrow(), ["other", "main"]);
}

#[test]
fn a_real_sleep_waits_at_least_its_duration() {
    run(async {
        let t0 = std::time::Instant::now();
        sleep(Duration::from_millis(20)).await;
        assert!(t0.elapsed() >= Duration::from_millis(20));
    });
}

#[test]
fn timeout_returns_the_output_when_the_future_is_fast_enough() {
    let rt = virtual_rt();
    let r = rt.block_on(timeout(secs(2), async {
        sleep(secs(1)).await;
        "done"
    }));
    assert_eq!(r, Ok("done"));
}

#[test]
fn timeout_returns_elapsed_and_drops_the_inner_future_at_the_deadline() {
    struct Guard(Log);
    impl Drop for Guard {
        fn drop(&mut self) {
            let at = Instant::now();
            self.0
                .borrow_mut()
                .push(format!("inner dropped at {:?}", at));
        }
    }
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    let (start, result, after) = rt.block_on(async move {
        let start = Instant::now();
        let r = timeout(secs(5), async move {
            let _g = Guard(l);
            sleep(secs(3600)).await;
        })
        .await;
        (start, r, Instant::now())
    });
    assert_eq!(result, Err(Elapsed));
    assert_eq!(after - start, secs(5));
    assert_eq!(
        *log.borrow(),
        [format!("inner dropped at {:?}", start + secs(5))]
    );
}

#[test]
fn dropping_a_sleep_cancels_its_timer_so_the_clock_does_not_jump_to_it() {
    let rt = virtual_rt();
    let elapsed = rt.block_on(async {
        let t0 = Instant::now();
        let r = timeout(secs(1), sleep(secs(100))).await;
        assert!(r.is_err());
        sleep(secs(1)).await;
        t0.elapsed()
    });
    assert_eq!(elapsed, secs(2));
}

#[test]
fn interval_ticks_at_fixed_periods_and_the_first_tick_is_immediate() {
    let rt = virtual_rt();
    let ticks = rt.block_on(async {
        let t0 = Instant::now();
        let ticker = interval(secs(10));
        let mut at = Vec::new();
        for _ in 0..4 {
            let t = ticker.tick().await;
            at.push(t - t0);
            sleep(secs(3)).await; // work shorter than the period does not shift the ticks
        }
        at
    });
    assert_eq!(ticks, [secs(0), secs(10), secs(20), secs(30)]);
}

#[test]
fn a_hundred_thousand_pending_timers_fire_in_deadline_order() {
    let rt = virtual_rt();
    let fired = Rc::new(RefCell::new(Vec::new()));
    let f = fired.clone();
    rt.block_on(async move {
        let mut tasks = Vec::new();
        for i in 0..100_000u64 {
            let f = f.clone();
            // Deadlines deliberately not in spawn order.
            let ms = (i * 7919) % 100_000;
            tasks.push(spawn(async move {
                sleep(Duration::from_millis(ms + 1)).await;
                f.borrow_mut().push(ms);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let fired = fired.borrow();
    assert_eq!(fired.len(), 100_000);
    assert!(fired.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn cancelling_most_of_many_timers_keeps_the_rest_correct() {
    let rt = virtual_rt();
    let done = rt.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..20_000u64 {
            tasks.push(spawn(async move {
                sleep(secs(i + 1)).await;
                i
            }));
        }
        yield_now().await; // every task armed its timer
        for (i, t) in tasks.iter().enumerate() {
            if i % 100 != 0 {
                t.cancel();
            }
        }
        let mut done = Vec::new();
        for t in tasks {
            if let Ok(i) = t.await {
                done.push(i);
            }
        }
        done
    });
    assert_eq!(done, (0..20_000u64).step_by(100).collect::<Vec<_>>());
}

#[test]
fn instant_now_follows_the_virtual_clock_inside_the_runtime() {
    let rt = virtual_rt();
    rt.block_on(async {
        let a = Instant::now();
        yield_now().await;
        assert_eq!(
            Instant::now(),
            a,
            "the virtual clock stands still while tasks run"
        );
        sleep(Duration::from_millis(1500)).await;
        assert_eq!(Instant::now() - a, Duration::from_millis(1500));
    });
}

/// Compiles only for `'static` values: what `core`'s futures must be.
fn owned<T: 'static>(value: T) -> T {
    value
}

#[test]
fn tick_futures_own_their_state_and_outlive_the_interval() {
    let rt = virtual_rt();
    rt.block_on(async {
        let ticker = interval(secs(1));
        let first = owned(ticker.tick());
        let second = owned(ticker.tick());
        drop(ticker);
        let a = first.await;
        assert_eq!(second.await - a, secs(1));
    });
}
