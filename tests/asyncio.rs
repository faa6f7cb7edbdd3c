//! The reference: asyncio. Each program in `tests/asyncio/*.py` is ported line by line to
//! `async` blocks on our runtime; both must print the same lines in the same order. The
//! `sync_*` programs do the same for the primitives of `resumable::sync` (`Queue`, `Lock`,
//! `Event`, `Semaphore`, `Condition`, `Barrier`, `oneshot`) on the real loop.
//!
//! The Python side runs with `python3` (skipped, with a message, if it is absent). The
//! Rust side runs on a virtual-time runtime, so it is instant and deterministic; the
//! Python programs space their timers far enough apart that real time orders them the
//! same way.

use std::cell::RefCell;
use std::future::Future;
use std::path::Path;
use std::process::Command;
use std::rc::Rc;
use std::time::Duration;

use resumable::sync::{
    oneshot, Barrier, BoundedSemaphore, BrokenBarrier, Condition, Event, Lock, Queue, Semaphore,
    TryGetError, TryPutError,
};
use resumable::time::{sleep, timeout};
use resumable::{
    as_completed, gather, gather_all, spawn, spawn_blocking, wait, yield_now, GroupError,
    JoinError, ReturnWhen, Runtime, TaskGroup,
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

// ---- the synchronisation primitives (`tests/asyncio/sync_*.py`) ----

fn py_bool(flag: bool) -> &'static str {
    if flag {
        "True"
    } else {
        "False"
    }
}

fn py_ints(items: &[i32]) -> String {
    let items: Vec<String> = items.iter().map(i32::to_string).collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn sync_queue() {
    async fn consumer(queue: Queue<String>, name: String) {
        loop {
            let item = queue.get().await.unwrap();
            say!("{name} got {item}");
            yield_now().await;
            queue.task_done().unwrap();
        }
    }
    let out = port(async {
        let queue = Queue::with_capacity(2);
        let consumers: Vec<_> = (0..2)
            .map(|i| spawn(consumer(queue.clone(), format!("c{i}"))))
            .collect();
        for i in 0..5 {
            queue.put(i.to_string()).await.unwrap();
            say!("put {i} qsize={}", queue.qsize());
        }
        queue.join().await;
        say!("joined");
        for task in &consumers {
            task.cancel();
        }
        yield_now().await;

        if let Err(TryGetError::Empty) = queue.get_nowait() {
            say!("get_nowait: empty");
        }
        queue.put_nowait("x".into()).unwrap();
        queue.put_nowait("y".into()).unwrap();
        if let Err(TryPutError::Full(_)) = queue.put_nowait("z".into()) {
            say!("put_nowait: full={}", py_bool(queue.full()));
        }
        let (x, y) = (queue.get_nowait().unwrap(), queue.get_nowait().unwrap());
        say!("got {x} {y} empty={}", py_bool(queue.empty()));

        // A getter cancelled while waiting takes nothing.
        let waiting = spawn({
            let queue = queue.clone();
            async move { queue.get().await.unwrap() }
        });
        yield_now().await;
        waiting.cancel();
        yield_now().await;
        queue.put_nowait("kept".into()).unwrap();
        say!("after cancel: {}", queue.get_nowait().unwrap());

        // Waiting getters are served in arrival order.
        let queue = Queue::new();
        let getters: Vec<_> = (0..3)
            .map(|_| {
                let queue = queue.clone();
                spawn(async move { queue.get().await.unwrap() })
            })
            .collect();
        yield_now().await;
        for item in ["a", "b", "c"] {
            queue.put_nowait(item).unwrap();
        }
        let mut served = Vec::new();
        for task in getters {
            served.push(task.await.unwrap());
        }
        say!("served: {}", py_list(&served));

        let done = (0..4)
            .map(|_| queue.task_done())
            .collect::<Result<Vec<_>, _>>();
        if done.is_err() {
            say!("task_done: too many");
        }

        let (lifo, priority) = (Queue::lifo(), Queue::priority());
        for item in [3, 1, 2] {
            lifo.put_nowait(item).unwrap();
            priority.put_nowait(item).unwrap();
        }
        let popped: Vec<_> = (0..3).map(|_| lifo.get_nowait().unwrap()).collect();
        let sorted: Vec<_> = (0..3).map(|_| priority.get_nowait().unwrap()).collect();
        say!("lifo: {}", py_ints(&popped));
        say!("priority: {}", py_ints(&sorted));
    });
    compare("sync_queue", out);
}

#[test]
fn sync_lock() {
    async fn worker(lock: Lock, name: String) {
        say!("{name} waits");
        let _guard = lock.acquire().await;
        say!("{name} holds the lock");
        yield_now().await;
        yield_now().await;
        say!("{name} releases");
    }
    let out = port(async {
        let lock = Lock::new();
        gather((0..3).map(|i| worker(lock.clone(), format!("w{i}"))))
            .await
            .unwrap();
        say!("locked={}", py_bool(lock.locked()));

        // A waiter cancelled while waiting never holds the lock.
        let held = lock.acquire().await;
        let waiter = spawn({
            let lock = lock.clone();
            async move { drop(lock.acquire().await) }
        });
        yield_now().await;
        waiter.cancel();
        yield_now().await;
        drop(held);
        say!("after cancel: locked={}", py_bool(lock.locked()));

        // The lock goes to waiters in arrival order, even past a cancelled one.
        let held = lock.acquire().await;
        let [v0, v1, v2] = [0, 1, 2].map(|i| spawn(worker(lock.clone(), format!("v{i}"))));
        yield_now().await;
        v1.cancel();
        yield_now().await;
        drop(held);
        say!("released to v0: locked={}", py_bool(lock.locked()));
        gather([v0, v2]).await.unwrap();
        say!("done: locked={}", py_bool(lock.locked()));
    });
    compare("sync_lock", out);
}

#[test]
fn sync_event() {
    async fn waiter(event: Event, name: String) {
        say!("{name} waits");
        event.wait().await;
        say!("{name} woke, is_set={}", py_bool(event.is_set()));
    }
    let out = port(async {
        let event = Event::new();
        let tasks: Vec<_> = (0..3)
            .map(|i| spawn(waiter(event.clone(), format!("w{i}"))))
            .collect();
        yield_now().await;
        say!("setting");
        event.set();
        event.clear();
        say!("cleared");
        for task in tasks {
            task.await.unwrap();
        }

        let late = spawn(waiter(event.clone(), "late".into()));
        yield_now().await;
        say!("late done={}", py_bool(late.is_finished()));
        event.set();
        late.await.unwrap();
        waiter(event.clone(), "set-already".into()).await;
    });
    compare("sync_event", out);
}

#[test]
fn sync_semaphore() {
    async fn worker(semaphore: Semaphore, name: String) {
        let _permit = semaphore.acquire().await;
        say!("{name} in (free={})", semaphore.available_permits());
        yield_now().await;
        say!("{name} out");
    }
    let out = port(async {
        let semaphore = Semaphore::new(2);
        gather((0..5).map(|i| worker(semaphore.clone(), format!("w{i}"))))
            .await
            .unwrap();
        say!(
            "locked={} free={}",
            py_bool(semaphore.locked()),
            semaphore.available_permits()
        );

        semaphore.release();
        say!(
            "after extra release: free={}",
            semaphore.available_permits()
        );

        let bounded = BoundedSemaphore::new(1);
        bounded.acquire().await.forget();
        bounded.release().unwrap();
        if bounded.release().is_err() {
            say!("bounded: released too many times");
        }

        // A waiter cancelled while waiting takes no permit.
        bounded.acquire().await.forget();
        let waiter = spawn({
            let bounded = bounded.clone();
            async move { bounded.acquire().await.forget() }
        });
        yield_now().await;
        waiter.cancel();
        yield_now().await;
        bounded.release().unwrap();
        say!("after cancel: locked={}", py_bool(bounded.locked()));
    });
    compare("sync_semaphore", out);
}

#[test]
fn sync_condition() {
    async fn consumer(condition: Condition, items: Rc<RefCell<Vec<&'static str>>>, name: String) {
        let guard = condition.acquire().await;
        let predicate_items = items.clone();
        let _guard = condition
            .wait_for(guard, move || !predicate_items.borrow().is_empty())
            .await;
        let item = items.borrow_mut().remove(0);
        say!("{name} took {item}");
    }
    async fn waiter(condition: Condition, name: String) {
        let guard = condition.acquire().await;
        say!("{name} waits");
        let _guard = condition.wait(guard).await;
        say!("{name} notified");
    }
    let out = port(async {
        let condition = Condition::new();
        let tasks: Vec<_> = (0..3)
            .map(|i| spawn(waiter(condition.clone(), format!("w{i}"))))
            .collect();
        yield_now().await;
        {
            let _guard = condition.acquire().await;
            say!("notify(2)");
            condition.notify(2);
        }
        yield_now().await;
        yield_now().await;
        {
            let _guard = condition.acquire().await;
            say!("notify_all");
            condition.notify_all();
        }
        for task in tasks {
            task.await.unwrap();
        }

        let items = Rc::new(RefCell::new(Vec::new()));
        let consumers: Vec<_> = (0..2)
            .map(|i| spawn(consumer(condition.clone(), items.clone(), format!("c{i}"))))
            .collect();
        yield_now().await;
        for item in ["apple", "pear"] {
            {
                let _guard = condition.acquire().await;
                items.borrow_mut().push(item);
                say!("produced {item}");
                condition.notify(1);
            }
            yield_now().await;
        }
        for task in consumers {
            task.await.unwrap();
        }
        say!("locked={}", py_bool(condition.locked()));
    });
    compare("sync_condition", out);
}

#[test]
fn sync_barrier() {
    async fn party(barrier: Barrier, name: String) -> Result<(), BrokenBarrier> {
        say!("{name} arrives");
        let index = barrier.wait().await?;
        say!("{name} passes with index {index}");
        Ok(())
    }
    let out = port(async {
        let barrier = Barrier::new(3);
        for passed in gather((0..3).map(|i| party(barrier.clone(), format!("p{i}"))))
            .await
            .unwrap()
        {
            passed.unwrap();
        }
        say!(
            "n_waiting={} broken={}",
            barrier.n_waiting(),
            py_bool(barrier.broken())
        );

        let waiting = spawn(party(barrier.clone(), "q0".into()));
        yield_now().await;
        barrier.abort();
        if waiting.await.unwrap().is_err() {
            say!("q0: broken");
        }
        if barrier.wait().await.is_err() {
            say!(
                "wait on a broken barrier fails: broken={}",
                py_bool(barrier.broken())
            );
        }
        barrier.reset();
        say!("after reset: broken={}", py_bool(barrier.broken()));
    });
    compare("sync_barrier", out);
}

#[test]
fn sync_oneshot() {
    async fn compute(tx: oneshot::Sender<i32>) {
        say!("computing");
        yield_now().await;
        tx.send(42).unwrap();
        say!("sent");
    }
    let out = port(async {
        let (tx, rx) = oneshot::channel();
        let task = spawn(compute(tx));
        say!("waiting");
        say!("received {}", rx.await.unwrap());
        task.await.unwrap();

        // asyncio's run_in_executor + call_soon_threadsafe: the value comes from a thread.
        let (tx, rx) = oneshot::channel();
        spawn_blocking(move || tx.send("from a thread").unwrap())
            .await
            .unwrap();
        say!("received {}", rx.await.unwrap());
    });
    compare("sync_oneshot", out);
}

#[test]
fn sync_timeouts() {
    let out = port(async {
        let lock = Lock::new();
        let held = lock.acquire().await;
        if timeout(secs(0.01), lock.acquire()).await.is_err() {
            say!("lock: timed out, locked={}", py_bool(lock.locked()));
        }
        let holder = |name: &'static str| {
            let lock = lock.clone();
            async move {
                let _guard = lock.acquire().await;
                say!("{name} holds the lock");
            }
        };
        let late = spawn(holder("late"));
        yield_now().await;
        drop(held);
        late.await.unwrap();
        say!("lock: locked={}", py_bool(lock.locked()));

        let queue = Queue::<&str>::new();
        if timeout(secs(0.01), queue.get()).await.is_err() {
            say!("get: timed out, qsize={}", queue.qsize());
        }
        queue.put_nowait("a").unwrap();
        say!("get_nowait: {}", queue.get_nowait().unwrap());

        let full = Queue::with_capacity(1);
        full.put_nowait(1).unwrap();
        if timeout(secs(0.01), full.put(2)).await.is_err() {
            say!("put: timed out, qsize={}", full.qsize());
        }
        say!(
            "get_nowait: {} empty={}",
            full.get_nowait().unwrap(),
            py_bool(full.empty())
        );

        let semaphore = Semaphore::new(1);
        semaphore.acquire().await.forget();
        if timeout(secs(0.01), semaphore.acquire()).await.is_err() {
            say!(
                "semaphore: timed out, locked={}",
                py_bool(semaphore.locked())
            );
        }
        semaphore.release();
        say!("semaphore: locked={}", py_bool(semaphore.locked()));

        let event = Event::new();
        if timeout(secs(0.01), event.wait()).await.is_err() {
            say!("event: timed out, is_set={}", py_bool(event.is_set()));
        }

        let barrier = Barrier::new(2);
        if timeout(secs(0.01), barrier.wait()).await.is_err() {
            say!(
                "barrier: timed out, n_waiting={} broken={}",
                barrier.n_waiting(),
                py_bool(barrier.broken())
            );
        }
        let party = |name: &'static str| {
            let barrier = barrier.clone();
            async move {
                let index = barrier.wait().await.unwrap();
                say!("{name} passes with index {index}");
            }
        };
        gather([party("p0"), party("p1")]).await.unwrap();

        // A getter that timed out is out of the line: the next one gets the item.
        let queue = Queue::new();
        let getter = |name: &'static str, limit: f64| {
            let queue = queue.clone();
            async move {
                match timeout(secs(limit), queue.get()).await {
                    Ok(item) => say!("{name} got {}", item.unwrap()),
                    Err(_) => say!("{name} timed out"),
                }
            }
        };
        let first = spawn(getter("first", 0.02));
        let second = spawn(getter("second", 1.0));
        sleep(secs(0.05)).await;
        queue.put_nowait("x").unwrap();
        gather([first, second]).await.unwrap();

        // Woken, then cancelled before it ran: the item, or the lock, goes to the next waiter.
        let plain_getter = |name: &'static str| {
            let queue = queue.clone();
            async move { say!("{name} got {}", queue.get().await.unwrap()) }
        };
        let woken = spawn(plain_getter("woken"));
        let next_in_line = spawn(plain_getter("next in line"));
        yield_now().await;
        queue.put_nowait("y").unwrap();
        woken.cancel();
        gather_all([woken, next_in_line]).await;

        let held = lock.acquire().await;
        let woken = spawn(holder("woken"));
        let next_in_line = spawn(holder("next in line"));
        yield_now().await;
        drop(held);
        woken.cancel();
        gather_all([woken, next_in_line]).await;
        say!("lock: locked={}", py_bool(lock.locked()));

        semaphore.acquire().await.forget();
        let permit_holder = |name: &'static str| {
            let semaphore = semaphore.clone();
            async move {
                let _permit = semaphore.acquire().await;
                say!("{name} holds a permit");
            }
        };
        let woken = spawn(permit_holder("woken"));
        let next_in_line = spawn(permit_holder("next in line"));
        yield_now().await;
        semaphore.release();
        woken.cancel();
        gather_all([woken, next_in_line]).await;
        say!("semaphore: locked={}", py_bool(semaphore.locked()));
    });
    compare("sync_timeouts", out);
}
