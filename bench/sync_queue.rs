//! Queue benchmarks (issue 5): `resumable::sync::Queue` on our loop against
//! `tokio::sync::mpsc` on tokio's `current_thread` runtime, side by side in one run.
//! A plain binary (no criterion):
//!
//! ```sh
//! cargo bench --bench sync_queue              # every workload
//! cargo bench --bench sync_queue -- pipeline  # only those whose name contains "pipeline"
//! cargo bench --bench sync_queue -- --profile ping-pong   # ours only, once (for callgrind)
//! ```
//!
//! - **ping-pong**: two tasks bounce a counter through a pair of queues, 1M round trips
//!   (ns per round trip: two puts, two gets, two task switches), unbounded and with
//!   capacity 1. Our `Queue` is also measured on tokio (under a `LocalSet`, since it is
//!   not `Send`), which separates the queue's cost from the loop's.
//! - **pipeline**: one producer feeds 1M items through one queue of capacity 128 to 8
//!   consumers (ns per item). asyncio's `Queue` is multi-consumer; tokio's `mpsc` is not,
//!   so tokio runs it twice: the receiver shared behind a `tokio::sync::Mutex` (the
//!   pattern tokio's docs give), and the producer dealing round-robin into 8 channels of
//!   capacity 16 (no sharing: a lower bound, though a slow consumer then stalls its share).
//!
//! The ratio is tokio / resumable: above 1.0 means resumable is faster.
//! `bench/asyncio_sync_bench.py` runs the same workloads on asyncio (and uvloop if
//! installed). Timing lives here, never in tests.

use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use resumable::sync::Queue;

const ROUND_TRIPS: u32 = 1_000_000;
const ITEMS: u32 = 1_000_000;
const CONSUMERS: u32 = 8;
const CAPACITY: usize = 128;
const RUNS: usize = 5;

/// Best of `RUNS` (the machine is shared and noisy), in ns per op.
fn measure(ops: u32, mut run: impl FnMut()) -> f64 {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_nanos() as f64 / f64::from(ops)
        })
        .fold(f64::INFINITY, f64::min)
}

fn tokio_current_thread<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}

fn tokio_local<F: Future>(future: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    tokio::task::LocalSet::new().block_on(&runtime, future)
}

fn make_queue<T>(capacity: Option<usize>) -> Queue<T> {
    match capacity {
        Some(capacity) => Queue::with_capacity(capacity),
        None => Queue::new(),
    }
}

// ---- ping-pong ----

/// The ping-pong on `Queue`, with `spawn` given (ours or tokio's `spawn_local`).
async fn queue_ping_pong<S, H, E>(capacity: Option<usize>, spawn: S)
where
    S: FnOnce(std::pin::Pin<Box<dyn Future<Output = ()>>>) -> H,
    H: Future<Output = Result<(), E>>,
    E: std::fmt::Debug,
{
    let (ping, pong) = (make_queue::<u32>(capacity), make_queue::<u32>(capacity));
    let echo = {
        let (ping, pong) = (ping.clone(), pong.clone());
        spawn(Box::pin(async move {
            for _ in 0..ROUND_TRIPS {
                let n = ping.get().await.unwrap();
                pong.put(n + 1).await.unwrap();
            }
        }))
    };
    let mut n = 0;
    for _ in 0..ROUND_TRIPS {
        ping.put(n).await.unwrap();
        n = pong.get().await.unwrap();
    }
    echo.await.unwrap();
    assert_eq!(n, ROUND_TRIPS);
}

fn ping_pong_ours(capacity: Option<usize>) {
    resumable::run(queue_ping_pong(capacity, resumable::spawn));
}

fn ping_pong_queue_on_tokio(capacity: Option<usize>) {
    tokio_local(queue_ping_pong(capacity, tokio::task::spawn_local));
}

fn ping_pong_tokio_bounded(capacity: usize) {
    tokio_current_thread(async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::channel::<u32>(capacity);
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::channel::<u32>(capacity);
        let echo = tokio::spawn(async move {
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

fn ping_pong_tokio_unbounded() {
    tokio_current_thread(async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let echo = tokio::spawn(async move {
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

// ---- 1 producer, 8 consumers ----

/// The sum every pipeline must deliver.
fn expected_sum() -> u64 {
    (0..u64::from(ITEMS)).sum()
}

fn pipeline_ours() {
    resumable::run(async {
        let queue = Queue::<u32>::with_capacity(CAPACITY);
        let total = Rc::new(std::cell::Cell::new(0u64));
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let (queue, total) = (queue.clone(), total.clone());
                resumable::spawn(async move {
                    // `get` fails once the queue is shut down and drained.
                    while let Ok(item) = queue.get().await {
                        total.set(total.get() + u64::from(item));
                    }
                })
            })
            .collect();
        for item in 0..ITEMS {
            queue.put(item).await.unwrap();
        }
        queue.shutdown();
        for consumer in consumers {
            consumer.await.unwrap();
        }
        assert_eq!(total.get(), expected_sum());
    });
}

fn pipeline_tokio_shared_receiver() {
    tokio_current_thread(async {
        let (tx, rx) = tokio::sync::mpsc::channel::<u32>(CAPACITY);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let rx = rx.clone();
                tokio::spawn(async move {
                    let mut sum = 0u64;
                    loop {
                        let item = rx.lock().await.recv().await;
                        match item {
                            Some(item) => sum += u64::from(item),
                            None => return sum,
                        }
                    }
                })
            })
            .collect();
        for item in 0..ITEMS {
            tx.send(item).await.unwrap();
        }
        drop(tx);
        let mut total = 0;
        for consumer in consumers {
            total += consumer.await.unwrap();
        }
        assert_eq!(total, expected_sum());
    })
}

fn pipeline_tokio_round_robin() {
    tokio_current_thread(async {
        let mut senders = Vec::new();
        let mut consumers = Vec::new();
        for _ in 0..CONSUMERS {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(CAPACITY / CONSUMERS as usize);
            senders.push(tx);
            consumers.push(tokio::spawn(async move {
                let mut sum = 0u64;
                while let Some(item) = rx.recv().await {
                    sum += u64::from(item);
                }
                sum
            }));
        }
        for item in 0..ITEMS {
            senders[(item % CONSUMERS) as usize]
                .send(item)
                .await
                .unwrap();
        }
        drop(senders);
        let mut total = 0;
        for consumer in consumers {
            total += consumer.await.unwrap();
        }
        assert_eq!(total, expected_sum());
    })
}

fn report(name: &str, unit: &str, ours: f64, tokio: f64) {
    println!(
        "{name:<44} resumable {ours:>7.1} ns/{unit}   tokio {tokio:>7.1} ns/{unit}   ratio {:>5.2}x",
        tokio / ours
    );
}

/// `--profile NAME`: our side of one workload, run once, for a profiler to count.
fn profile(name: &str) {
    match name {
        "ping-pong" => ping_pong_ours(None),
        "ping-pong-1" => ping_pong_ours(Some(1)),
        "pipeline" => pipeline_ours(),
        other => panic!("--profile ping-pong|ping-pong-1|pipeline, not {other:?}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--profile") {
        return profile(args.get(at + 1).map_or("ping-pong", String::as_str));
    }
    let filter = args.iter().find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.is_none_or(|f| name.contains(f.as_str()));
    println!("best of {RUNS} runs; ratio = tokio / resumable (> 1: resumable faster)");
    if wanted("ping-pong") {
        let ours = measure(ROUND_TRIPS, || ping_pong_ours(None));
        let tokio = measure(ROUND_TRIPS, ping_pong_tokio_unbounded);
        report("ping-pong 1M, unbounded", "trip", ours, tokio);
        let ours = measure(ROUND_TRIPS, || ping_pong_ours(Some(1)));
        let tokio = measure(ROUND_TRIPS, || ping_pong_tokio_bounded(1));
        report("ping-pong 1M, capacity 1", "trip", ours, tokio);
        let on_tokio = measure(ROUND_TRIPS, || ping_pong_queue_on_tokio(None));
        println!(
            "{:<44} {on_tokio:>7.1} ns/trip",
            "  (our Queue on tokio LocalSet, unbounded)"
        );
    }
    if wanted("pipeline") {
        let ours = measure(ITEMS, pipeline_ours);
        let shared = measure(ITEMS, pipeline_tokio_shared_receiver);
        let dealt = measure(ITEMS, pipeline_tokio_round_robin);
        report(
            "pipeline 1->8, 1M items, shared receiver",
            "item",
            ours,
            shared,
        );
        report("pipeline 1->8, 1M items, 8 channels", "item", ours, dealt);
    }
}
