//! The reference: asyncio. Each program in `tests/asyncio/*.py` is ported line by line to
//! `async` blocks on our runtime; both must print the same lines in the same order.
//!
//! The Python side runs with `python3` (skipped, with a message, if it is absent). The
//! Rust side runs on a virtual-time runtime, so it is instant and deterministic; the
//! Python programs space their timers far enough apart that real time orders them the
//! same way.

use std::cell::RefCell;
use std::future::Future;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use resumable::time::{sleep, timeout};
use resumable::{
    as_completed, gather, gather_all, spawn, wait, yield_now, GroupError, JoinError, ReturnWhen,
    Runtime, TaskGroup,
};

thread_local! {
    static OUT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The port's `print`.
macro_rules! say {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        OUT.with(|o| o.borrow_mut().push(line))
    }};
}

/// Prints its message when dropped: a Python `finally:` block.
struct Finally(String);

impl Drop for Finally {
    fn drop(&mut self) {
        say!("{}", self.0);
    }
}

fn finally(line: impl Into<String>) -> Finally {
    Finally(line.into())
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn py_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Runs the port like `asyncio.run` (on virtual time) and returns what it printed.
fn port<F: Future>(main: F) -> Vec<String> {
    OUT.with(|o| o.borrow_mut().clear());
    Runtime::builder()
        .virtual_time(true)
        .build()
        .unwrap()
        .run(main);
    OUT.with(|o| o.take())
}

/// Runs `tests/asyncio/<name>.py` and compares its output with the port's, line by line.
fn compare(name: &str, rust_lines: Vec<String>) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/asyncio")
        .join(format!("{name}.py"));
    let output = match Command::new("python3").arg(&script).output() {
        Ok(output) => output,
        Err(e) => {
            println!("SKIPPED the asyncio comparison of {name}: cannot run python3 ({e})");
            return;
        }
    };
    assert!(
        output.status.success(),
        "{name}.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    for (i, (py, rs)) in python.iter().zip(&rust_lines).enumerate() {
        assert_eq!(
            py,
            rs,
            "{name}: line {} differs\npython: {python:#?}\nrust:   {rust_lines:#?}",
            i + 1
        );
    }
    assert_eq!(
        python.len(),
        rust_lines.len(),
        "{name}: line count differs\npython: {python:#?}\nrust:   {rust_lines:#?}"
    );
}

#[test]
fn primer() {
    async fn fetch_data() -> &'static str {
        say!("Fetching data...");
        sleep(secs(0.02)).await;
        say!("Data Fetched");
        "sample data"
    }
    let out = port(async {
        say!("Start");
        let data = fetch_data().await;
        say!("Received {data}");
        say!("End");
    });
    compare("primer", out);
}

#[test]
fn gather_order() {
    async fn work(name: &'static str, delay: f64) -> String {
        say!("{name} start");
        sleep(secs(delay)).await;
        say!("{name} end");
        name.to_uppercase()
    }
    let out = port(async {
        let results = gather([work("a", 0.03), work("b", 0.01), work("c", 0.02)])
            .await
            .unwrap();
        let results: Vec<&str> = results.iter().map(String::as_str).collect();
        say!("results {}", py_list(&results));
    });
    compare("gather_order", out);
}

#[test]
fn sleep0_interleave() {
    async fn worker(name: &'static str, steps: usize) {
        for i in 0..steps {
            say!("{name} step {i}");
            sleep(Duration::ZERO).await;
        }
        say!("{name} done");
    }
    let out = port(async {
        let tasks: Vec<_> = [("x", 3), ("y", 1), ("z", 2)]
            .into_iter()
            .map(|(n, s)| spawn(worker(n, s)))
            .collect();
        say!("main spawned");
        sleep(Duration::ZERO).await;
        say!("main after one yield");
        for t in tasks {
            t.await.unwrap();
        }
        say!("main done");
    });
    compare("sleep0_interleave", out);
}

#[test]
fn equal_deadlines() {
    async fn sleeper(name: &'static str, delay: f64) {
        sleep(secs(delay)).await;
        say!("{name} woke");
    }
    let out = port(async {
        let mut tasks = Vec::new();
        for name in ["first", "second", "third", "fourth"] {
            tasks.push(spawn(sleeper(name, 0.02)));
        }
        tasks.push(spawn(sleeper("early", 0.01)));
        gather(tasks).await.unwrap();
        say!("all woke");
    });
    compare("equal_deadlines", out);
}

#[test]
fn cancellation() {
    async fn sleeper() {
        say!("sleeper: going to sleep");
        let _finally = finally("sleeper: cleanup");
        sleep(secs(3600.0)).await;
        say!("sleeper: never");
    }
    let out = port(async {
        let task = spawn(sleeper());
        sleep(secs(0.01)).await;
        say!("main: cancelling");
        task.cancel();
        say!("main: cancel requested");
        let result = task.await;
        if let Err(JoinError::Cancelled) = result {
            say!("main: task was cancelled");
        }
        say!(
            "main: done=True cancelled={}",
            if result.is_err() { "True" } else { "False" }
        );
    });
    compare("cancellation", out);
}

#[test]
fn taskgroup() {
    async fn ok(name: &'static str, delay: f64) -> Result<&'static str, String> {
        let _finally = finally(format!("{name} exits"));
        sleep(secs(delay)).await;
        say!("{name} finished");
        Ok(name)
    }
    async fn bad(delay: f64) -> Result<&'static str, String> {
        sleep(secs(delay)).await;
        say!("bad raises");
        Err("bad input".to_string())
    }
    let out = port(async {
        let group = TaskGroup::new();
        let t1 = group.spawn(ok("quick", 0.01));
        group.spawn(ok("slow", 1.0));
        group.spawn(bad(0.03));
        say!("body done");
        if let Err(errors) = group.join().await {
            let texts: Vec<String> = errors
                .iter()
                .map(|e| match e {
                    GroupError::Failed(msg) => msg.clone(),
                    GroupError::Panicked(_) => "panic".to_string(),
                })
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            say!("errors: {}", py_list(&texts));
        }
        say!("quick result: {}", t1.await.unwrap());
    });
    compare("taskgroup", out);
}

#[test]
fn nested_tasks() {
    async fn leaf(name: String) -> usize {
        say!("leaf {name} runs");
        sleep(Duration::ZERO).await;
        say!("leaf {name} returns");
        name.len()
    }
    async fn branch(name: &'static str) -> usize {
        say!("branch {name} spawns");
        let t1 = spawn(leaf(format!("{name}.1")));
        let t2 = spawn(leaf(format!("{name}.22")));
        let total = t1.await.unwrap() + t2.await.unwrap();
        say!("branch {name} total {total}");
        total
    }
    let out = port(async {
        let a = spawn(branch("a"));
        let b = spawn(branch("bb"));
        say!("main waits");
        let sum = a.await.unwrap() + b.await.unwrap();
        say!("sum {sum}");
    });
    compare("nested_tasks", out);
}

#[test]
fn timeouts() {
    async fn op(name: &'static str, delay: f64) -> &'static str {
        let _finally = finally(format!("{name} exits"));
        sleep(secs(delay)).await;
        say!("{name} completed");
        name
    }
    let out = port(async {
        match timeout(secs(0.05), op("fast", 0.01)).await {
            Ok(v) => say!("got {v}"),
            Err(_) => say!("fast timed out"),
        }
        match timeout(secs(0.02), op("slow", 1.0)).await {
            Ok(v) => say!("got {v}"),
            Err(_) => say!("slow timed out"),
        }
        say!("done");
    });
    compare("timeouts", out);
}

#[test]
fn spawn_order() {
    async fn child(name: &'static str) {
        say!("{name} step 1");
        yield_now().await;
        say!("{name} step 2");
    }
    let out = port(async {
        say!("main creates a");
        let a = spawn(child("a"));
        say!("main creates b");
        let b = spawn(child("b"));
        say!("main yields");
        yield_now().await;
        say!("main creates c");
        let c = spawn(child("c"));
        a.await.unwrap();
        say!("a awaited");
        b.await.unwrap();
        c.await.unwrap();
        say!("main done");
    });
    compare("spawn_order", out);
}

#[test]
fn gather_exceptions() {
    async fn job(i: u64) -> u64 {
        sleep(secs(0.01 * (3 - i) as f64)).await;
        if i == 1 {
            say!("job {i} fails");
            panic!("job {i} failed");
        }
        say!("job {i} ok");
        i * 10
    }
    let out = port(async {
        let outcomes = gather_all((0..3).map(job)).await;
        for o in outcomes {
            match o {
                Ok(v) => say!("value: {v}"),
                Err(e) => say!("error: {}", e.panic_message().unwrap()),
            }
        }
    });
    compare("gather_exceptions", out);
}

#[test]
fn wait_first() {
    async fn job(name: &'static str, delay: f64) -> &'static str {
        let _finally = finally(format!("{name} exits"));
        sleep(secs(delay)).await;
        say!("{name} done");
        name
    }
    let out = port(async {
        let tasks: Vec<_> = [("slow", 0.05), ("fast", 0.01), ("mid", 0.03)]
            .into_iter()
            .map(|(n, d)| spawn(job(n, d)))
            .collect();
        let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted).await;
        let mut names = Vec::new();
        for t in done {
            names.push(t.await.unwrap());
        }
        say!("done {}, pending {}", py_list(&names), pending.len());
        for t in &pending {
            t.cancel();
        }
        wait(pending, ReturnWhen::AllCompleted).await;
        say!("all settled");
    });
    compare("wait_first", out);
}

#[test]
fn hops() {
    async fn ticker(n: usize) {
        for i in 0..n {
            say!("tick {i}");
            yield_now().await;
        }
    }
    async fn quick(name: &'static str) -> &'static str {
        say!("{name} runs");
        name
    }
    let out = port(async {
        let t = spawn(ticker(12));
        say!("awaited {}", spawn(quick("single")).await.unwrap());
        let gathered = gather([quick("g1"), quick("g2")]).await.unwrap();
        say!("gathered {}", py_list(&gathered));
        t.await.unwrap();
        say!("main done");
    });
    compare("hops", out);
}

#[test]
fn as_completed_order() {
    async fn job(name: &'static str, delay: f64) -> &'static str {
        sleep(secs(delay)).await;
        name
    }
    let out = port(async {
        let tasks = [("c", 0.03), ("a", 0.01), ("b", 0.02)].map(|(n, d)| spawn(job(n, d)));
        let completed = as_completed(tasks);
        while let Some(r) = completed.next().await {
            say!("completed {}", r.unwrap());
        }
        say!("done");
    });
    compare("as_completed", out);
}
