//! Runtime benchmarks: the same workloads on `resumable` and on tokio's `current_thread`
//! runtime, side by side in one run. A plain binary (no criterion):
//!
//! ```sh
//! cargo bench --bench runtime            # all workloads
//! cargo bench --bench runtime -- yield   # only those whose name contains "yield"
//! ```
//!
//! Prints ns per operation for each runtime and the ratio (tokio / resumable: above 1.0
//! means resumable is faster), plus bytes per idle task measured with a counting
//! allocator. `bench/asyncio_bench.py` runs the same workloads on asyncio (and uvloop if
//! installed).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static ALLOCATED: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator, only counting bytes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SPAWN_TASKS: usize = 1_000_000;
const SPAWN_BATCH: usize = 10_000;
const YIELDS: usize = 1_000_000;
const SLEEPERS: usize = 100_000;
const IDLE_TASKS: usize = 100_000;

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Best of `runs` (the machine is shared and noisy), in ns per op.
fn measure(runs: usize, ops: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_nanos() as f64 / ops as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn report(name: &str, ours: f64, tokio: f64, target: f64) {
    println!(
        "{name:<32} resumable {ours:>8.1} ns/op   tokio {tokio:>8.1} ns/op   ratio {:>5.2}x   target <= {target} ns",
        tokio / ours
    );
}

fn spawn_ours() {
    resumable::run(async {
        for _ in 0..SPAWN_TASKS / SPAWN_BATCH {
            let tasks: Vec<_> = (0..SPAWN_BATCH)
                .map(|_| resumable::spawn(async {}))
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    });
}

fn spawn_tokio() {
    tokio_rt().block_on(async {
        for _ in 0..SPAWN_TASKS / SPAWN_BATCH {
            let tasks: Vec<_> = (0..SPAWN_BATCH).map(|_| tokio::spawn(async {})).collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    });
}

fn yield_ours() {
    resumable::run(async {
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
        a.await.unwrap();
        b.await.unwrap();
    });
}

fn yield_tokio() {
    tokio_rt().block_on(async {
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
        a.await.unwrap();
        b.await.unwrap();
    });
}

fn sleep_ours() {
    resumable::run(async {
        let tasks: Vec<_> = (0..SLEEPERS)
            .map(|_| resumable::spawn(resumable::time::sleep(Duration::from_millis(10))))
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
}

fn sleep_tokio() {
    tokio_rt().block_on(async {
        let tasks: Vec<_> = (0..SLEEPERS)
            .map(|_| tokio::spawn(tokio::time::sleep(Duration::from_millis(10))))
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
}

/// Heap bytes held per spawned task suspended on a pending future (handles excluded).
fn bytes_ours() -> f64 {
    let rt = resumable::Runtime::new().unwrap();
    rt.block_on(async {
        let before = ALLOCATED.load(Ordering::SeqCst);
        let tasks: Vec<_> = (0..IDLE_TASKS)
            .map(|_| resumable::spawn(std::future::pending::<()>()))
            .collect();
        resumable::yield_now().await; // every task ran its first step and is idle
        let after = ALLOCATED.load(Ordering::SeqCst);
        let handles = std::mem::size_of_val(&tasks[..]) as isize;
        drop(tasks);
        (after - before - handles) as f64 / IDLE_TASKS as f64
    })
}

fn bytes_tokio() -> f64 {
    tokio_rt().block_on(async {
        let before = ALLOCATED.load(Ordering::SeqCst);
        let tasks: Vec<_> = (0..IDLE_TASKS)
            .map(|_| tokio::spawn(std::future::pending::<()>()))
            .collect();
        tokio::task::yield_now().await;
        let after = ALLOCATED.load(Ordering::SeqCst);
        let handles = std::mem::size_of_val(&tasks[..]) as isize;
        for t in &tasks {
            t.abort();
        }
        (after - before - handles) as f64 / IDLE_TASKS as f64
    })
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    println!("best of 5 runs; ratio = tokio / resumable (> 1: resumable faster)");
    if wanted("spawn") {
        let ours = measure(5, SPAWN_TASKS, spawn_ours);
        let tokio = measure(5, SPAWN_TASKS, spawn_tokio);
        report("spawn+await 1M empty tasks", ours, tokio, 370.0);
    }
    if wanted("yield") {
        let ours = measure(5, YIELDS, yield_ours);
        let tokio = measure(5, YIELDS, yield_tokio);
        report("1M yield_now between 2 tasks", ours, tokio, 60.0);
    }
    if wanted("sleep") {
        let ours = measure(5, SLEEPERS, sleep_ours);
        let tokio = measure(5, SLEEPERS, sleep_tokio);
        report("100k concurrent 10 ms sleeps", ours, tokio, 300.0);
    }
    if wanted("bytes") {
        let ours = bytes_ours();
        let tokio = bytes_tokio();
        println!(
            "bytes per idle task              resumable {ours:>8.1} B       tokio {tokio:>8.1} B"
        );
    }
}
