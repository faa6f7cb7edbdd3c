//! spawn_blocking: blocking work on a thread pool, results back on the loop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use resumable::time::{sleep, Instant};
use resumable::{run, spawn, spawn_blocking, Runtime};

#[test]
fn the_result_of_a_blocking_function_comes_back_to_the_loop() {
    let v = run(async { spawn_blocking(|| std::thread::current().name().map(String::from)).await });
    assert_eq!(v.unwrap().as_deref(), Some("resumable-blocking"));
}

#[test]
fn the_loop_keeps_running_tasks_while_a_blocking_call_waits() {
    run(async {
        let gate = Arc::new(Barrier::new(2));
        let g = gate.clone();
        let blocked = spawn_blocking(move || {
            g.wait(); // released by the task below, which runs on the loop meanwhile
            "released"
        });
        let releaser = spawn(async move {
            sleep(Duration::from_millis(1)).await;
            spawn_blocking(move || gate.wait()).await.unwrap();
        });
        assert_eq!(blocked.await.unwrap(), "released");
        releaser.await.unwrap();
    });
}

#[test]
fn a_panicking_blocking_function_gives_panicked() {
    let err = run(async { spawn_blocking(|| panic!("in the pool")).await }).unwrap_err();
    let err: resumable::JoinError = err;
    assert_eq!(err.panic_message(), Some("in the pool"));
}

#[test]
fn many_blocking_calls_all_complete_on_a_bounded_pool() {
    let rt = Runtime::builder().blocking_threads(2).build().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let sum = rt.block_on(async move {
        let handles: Vec<_> = (0..50u64)
            .map(|i| {
                let c = c.clone();
                spawn_blocking(move || {
                    c.fetch_add(1, Ordering::SeqCst);
                    i
                })
            })
            .collect();
        let mut sum = 0;
        for h in handles {
            sum += h.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..50).sum::<u64>());
    assert_eq!(count.load(Ordering::SeqCst), 50);
}

#[test]
fn virtual_time_waits_for_blocking_work_instead_of_jumping_past_it() {
    let rt = Runtime::builder().virtual_time(true).build().unwrap();
    let (order, elapsed) = rt.block_on(async {
        let t0 = Instant::now();
        let timer = spawn(async {
            sleep(Duration::from_secs(10)).await;
            "timer"
        });
        let work = spawn_blocking(|| {
            std::thread::sleep(Duration::from_millis(20));
            "blocking"
        });
        let first = resumable::race(work, timer).await;
        (format!("{first:?}"), t0.elapsed())
    });
    assert!(order.contains("blocking"), "{order}");
    assert_eq!(elapsed, Duration::ZERO);
}
