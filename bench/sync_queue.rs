//! Queue ping-pong: two tasks bounce a counter through a pair of queues, on tokio's
//! current-thread runtime, with `resumable::sync::Queue` and with `tokio::sync::mpsc`.
//!
//! `cargo bench --bench sync_queue` prints nanoseconds per operation (one item put and
//! got) for each, best of several runs, and the ratio. Timing lives here, never in tests.

use std::future::Future;
use std::time::{Duration, Instant};

use resumable::sync::Queue;

const ROUND_TRIPS: u32 = 200_000;
const RUNS: usize = 5;

fn run_local<F: Future<Output = ()>>(future: F) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let local = tokio::task::LocalSet::new();
    let start = Instant::now();
    local.block_on(&runtime, future);
    start.elapsed()
}

fn resumable_queue(capacity: Option<usize>) -> Duration {
    run_local(async move {
        let make = || match capacity {
            Some(capacity) => Queue::with_capacity(capacity),
            None => Queue::new(),
        };
        let (ping, pong) = (make(), make());
        let echo = {
            let (ping, pong) = (ping.clone(), pong.clone());
            tokio::task::spawn_local(async move {
                for _ in 0..ROUND_TRIPS {
                    let n: u32 = ping.get().await.unwrap();
                    pong.put(n + 1).await.unwrap();
                }
            })
        };
        let mut n = 0;
        for _ in 0..ROUND_TRIPS {
            ping.put(n).await.unwrap();
            n = pong.get().await.unwrap();
        }
        echo.await.unwrap();
        assert_eq!(n, ROUND_TRIPS);
    })
}

fn tokio_bounded(capacity: usize) -> Duration {
    run_local(async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::channel::<u32>(capacity);
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::channel::<u32>(capacity);
        let echo = tokio::task::spawn_local(async move {
            for _ in 0..ROUND_TRIPS {
                let n = ping_rx.recv().await.unwrap();
                pong_tx.send(n + 1).await.unwrap();
            }
        });
        let mut n = 0;
        for _ in 0..ROUND_TRIPS {
            ping_tx.send(n).await.unwrap();
            n = pong_rx.recv().await.unwrap();
        }
        echo.await.unwrap();
        assert_eq!(n, ROUND_TRIPS);
    })
}

fn tokio_unbounded() -> Duration {
    run_local(async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let echo = tokio::task::spawn_local(async move {
            for _ in 0..ROUND_TRIPS {
                let n = ping_rx.recv().await.unwrap();
                pong_tx.send(n + 1).unwrap();
            }
        });
        let mut n = 0;
        for _ in 0..ROUND_TRIPS {
            ping_tx.send(n).unwrap();
            n = pong_rx.recv().await.unwrap();
        }
        echo.await.unwrap();
        assert_eq!(n, ROUND_TRIPS);
    })
}

/// Nanoseconds per operation (one put + one get), best of `RUNS`.
fn best(mut run: impl FnMut() -> Duration) -> f64 {
    let operations = f64::from(ROUND_TRIPS) * 2.0;
    (0..RUNS)
        .map(|_| run().as_nanos() as f64 / operations)
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let pairs: [(&str, f64, f64); 2] = [
        (
            "unbounded",
            best(|| resumable_queue(None)),
            best(tokio_unbounded),
        ),
        (
            "capacity 1",
            best(|| resumable_queue(Some(1))),
            best(|| tokio_bounded(1)),
        ),
    ];
    println!("queue ping-pong on tokio current_thread, ns per operation (put + get):");
    for (name, ours, theirs) in pairs {
        println!(
            "  {name:>10}: resumable::sync::Queue {ours:7.1}   tokio::sync::mpsc {theirs:7.1}   ratio {:.2}",
            ours / theirs
        );
    }
}
