//! One runtime workload on one executor per process, so that `bench/run` can read each
//! one's peak RSS (`/usr/bin/time -f %M`) next to its time: `bench/runtime.rs` runs both
//! runtimes in one process, where peak RSS cannot be told apart. Also covers
//! `futures::executor::LocalPool` where the workload applies (it has no timers).
//!
//! ```sh
//! runtime_peers spawn|yield|sleep resumable|tokio|localpool   # prints "ns_per_op N"
//! ```

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

const SPAWN_TASKS: usize = 1_000_000;
const SPAWN_BATCH: usize = 10_000;
const YIELDS: usize = 1_000_000;
const SLEEPERS: usize = 100_000;

/// `Pending` once (waking itself), then `Ready`: `yield_now` for executors without one.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio current_thread runtime")
}

/// Runs `workload` on `runtime`; the number of operations, or `None` if it does not apply.
fn run(workload: &str, runtime: &str) -> Option<usize> {
    match (workload, runtime) {
        ("spawn", "resumable") => resumable::run(async {
            for _ in 0..SPAWN_TASKS / SPAWN_BATCH {
                let tasks: Vec<_> = (0..SPAWN_BATCH)
                    .map(|_| resumable::spawn(async {}))
                    .collect();
                for t in tasks {
                    t.await.expect("an empty task completes");
                }
            }
        }),
        ("spawn", "tokio") => tokio_rt().block_on(async {
            for _ in 0..SPAWN_TASKS / SPAWN_BATCH {
                let tasks: Vec<_> = (0..SPAWN_BATCH).map(|_| tokio::spawn(async {})).collect();
                for t in tasks {
                    t.await.expect("an empty task completes");
                }
            }
        }),
        ("spawn", "localpool") => {
            let mut pool = LocalPool::new();
            let spawner = pool.spawner();
            pool.run_until(async move {
                for _ in 0..SPAWN_TASKS / SPAWN_BATCH {
                    let tasks: Vec<_> = (0..SPAWN_BATCH)
                        .map(|_| spawner.spawn_local_with_handle(async {}).expect("spawn"))
                        .collect();
                    for t in tasks {
                        t.await;
                    }
                }
            });
        }
        ("yield", "resumable") => resumable::run(async {
            let a = resumable::spawn(async {
                for _ in 0..YIELDS / 2 {
                    resumable::yield_now().await;
                }
            });
            let b = resumable::spawn(async {
                for _ in 0..YIELDS / 2 {
                    resumable::yield_now().await;
                }
            });
            a.await.expect("completes");
            b.await.expect("completes");
        }),
        ("yield", "tokio") => tokio_rt().block_on(async {
            let a = tokio::spawn(async {
                for _ in 0..YIELDS / 2 {
                    tokio::task::yield_now().await;
                }
            });
            let b = tokio::spawn(async {
                for _ in 0..YIELDS / 2 {
                    tokio::task::yield_now().await;
                }
            });
            a.await.expect("completes");
            b.await.expect("completes");
        }),
        ("yield", "localpool") => {
            let mut pool = LocalPool::new();
            let spawner = pool.spawner();
            for _ in 0..2 {
                spawner
                    .spawn_local(async {
                        for _ in 0..YIELDS / 2 {
                            YieldOnce(false).await;
                        }
                    })
                    .expect("spawn");
            }
            pool.run();
        }
        ("sleep", "resumable") => resumable::run(async {
            let tasks: Vec<_> = (0..SLEEPERS)
                .map(|_| resumable::spawn(resumable::time::sleep(Duration::from_millis(10))))
                .collect();
            for t in tasks {
                t.await.expect("completes");
            }
        }),
        ("sleep", "tokio") => tokio_rt().block_on(async {
            let tasks: Vec<_> = (0..SLEEPERS)
                .map(|_| tokio::spawn(tokio::time::sleep(Duration::from_millis(10))))
                .collect();
            for t in tasks {
                t.await.expect("completes");
            }
        }),
        _ => return None,
    }
    Some(match workload {
        "spawn" => SPAWN_TASKS,
        "yield" => YIELDS,
        _ => SLEEPERS,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [workload, runtime] = args.as_slice() else {
        eprintln!("usage: runtime_peers spawn|yield|sleep resumable|tokio|localpool");
        return ExitCode::from(2);
    };
    let t0 = Instant::now();
    match run(workload, runtime) {
        Some(ops) => {
            println!(
                "ns_per_op {:.1}",
                t0.elapsed().as_nanos() as f64 / ops as f64
            );
            ExitCode::SUCCESS
        }
        None => {
            println!("not applicable");
            ExitCode::from(3)
        }
    }
}
