//! Waiting on many futures: gather, gather_all, join!, select!, race, wait, as_completed.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use resumable::time::{sleep, Instant};
use resumable::{
    as_completed, gather, gather_all, join, race, select, spawn, wait, yield_now, Either,
    ReturnWhen, Runtime,
};

type Log = Rc<RefCell<Vec<String>>>;

fn virtual_rt() -> Runtime {
    Runtime::builder().virtual_time(true).build().unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

async fn after(delay: u64, value: u64) -> u64 {
    sleep(ms(delay)).await;
    value
}

#[test]
fn gather_gives_results_in_argument_order_not_completion_order() {
    let rt = virtual_rt();
    let r = rt.block_on(gather([after(30, 1), after(10, 2), after(20, 3)]));
    assert_eq!(r.unwrap(), [1, 2, 3]);
}

#[test]
fn gather_runs_children_concurrently() {
    let rt = virtual_rt();
    let elapsed = rt.block_on(async {
        let t0 = Instant::now();
        gather((0..100).map(|i| after(50, i))).await.unwrap();
        t0.elapsed()
    });
    assert_eq!(elapsed, ms(50));
}

#[test]
fn gather_starts_children_in_argument_order_when_called() {
    let log = Log::default();
    let l = log.clone();
    resumable::run(async move {
        let futs = ["a", "b", "c"].map(|name| {
            let l = l.clone();
            async move { l.borrow_mut().push(name.to_string()) }
        });
        let g = gather(futs);
        l.borrow_mut().push("gather created".into());
        g.await.unwrap();
    });
    assert_eq!(*log.borrow(), ["gather created", "a", "b", "c"]);
}

#[test]
fn gather_reports_the_first_panic_and_cancels_the_other_children() {
    struct Guard(Log);
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.borrow_mut().push("slow child dropped".into());
        }
    }
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    let err = rt.block_on(async move {
        let slow = {
            let l = l.clone();
            Box::pin(async move {
                let _g = Guard(l);
                sleep(ms(1000)).await;
                1
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = i32>>>
        };
        let bad = Box::pin(async {
            sleep(ms(10)).await;
            panic!("bad child")
        });
        let r = gather(vec![slow, bad]).await;
        yield_now().await; // the cancelled child is dropped at its next step
        r.unwrap_err()
    });
    assert_eq!(err.panic_message(), Some("bad child"));
    assert_eq!(*log.borrow(), ["slow child dropped"]);
}

#[test]
fn gather_all_waits_for_every_child_and_keeps_every_outcome() {
    let rt = virtual_rt();
    let outcomes = rt.block_on(gather_all((0..3u64).map(|i| async move {
        sleep(ms(10 * (3 - i))).await;
        if i == 1 {
            panic!("child 1");
        }
        i
    })));
    assert_eq!(*outcomes[0].as_ref().unwrap(), 0);
    assert_eq!(
        outcomes[1].as_ref().unwrap_err().panic_message(),
        Some("child 1")
    );
    assert_eq!(*outcomes[2].as_ref().unwrap(), 2);
}

#[test]
fn dropping_a_gather_cancels_its_children() {
    let rt = virtual_rt();
    let finished = Rc::new(RefCell::new(0));
    let f = finished.clone();
    rt.block_on(async move {
        let g = gather((0..3).map(|_| {
            let f = f.clone();
            async move {
                sleep(ms(100)).await;
                *f.borrow_mut() += 1;
            }
        }));
        let r = resumable::time::timeout(ms(10), g).await;
        assert!(r.is_err());
        sleep(ms(500)).await;
    });
    assert_eq!(*finished.borrow(), 0);
}

#[test]
fn join_runs_futures_inline_and_returns_all_outputs_in_order() {
    let rt = virtual_rt();
    let (out, elapsed) = rt.block_on(async {
        let t0 = Instant::now();
        let out = join!(after(20, 1), after(10, 2), async { "three" }).await;
        (out, t0.elapsed())
    });
    assert_eq!(out, (1, 2, "three"));
    assert_eq!(elapsed, ms(20));
}

#[test]
fn join_spawns_no_task() {
    resumable::run(async {
        let before = resumable::runtime::dump().tasks.len();
        let (a, b) = join!(
            async {
                assert_eq!(resumable::runtime::dump().tasks.len(), before);
                1
            },
            async { 2 }
        )
        .await;
        assert_eq!(a + b, 3);
    });
}

#[test]
fn select_evaluates_the_branch_of_the_first_future_to_finish_and_drops_the_rest() {
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    let r = rt.block_on(async move {
        struct Guard(Log);
        impl Drop for Guard {
            fn drop(&mut self) {
                self.0.borrow_mut().push("loser dropped".into());
            }
        }
        let l2 = l.clone();
        let slow = async move {
            let _g = Guard(l2);
            sleep(ms(100)).await;
            "slow"
        };
        select! {
            s = slow => format!("slow won: {s}"),
            n = after(10, 7) => format!("fast won: {n}"),
        }
        .await
    });
    assert_eq!(r, "fast won: 7");
    assert_eq!(*log.borrow(), ["loser dropped"]);
}

#[test]
fn select_is_biased_towards_the_first_branch_on_a_tie() {
    let r = resumable::run(async {
        select! {
            a = async { 1 } => a * 10,
            b = async { 2 } => b * 100,
        }
        .await
    });
    assert_eq!(r, 10);
}

#[test]
fn race_gives_either_side() {
    let rt = virtual_rt();
    assert_eq!(
        rt.block_on(race(after(20, 1), after(10, 2))),
        Either::Right(2)
    );
    assert_eq!(
        rt.block_on(race(after(10, 1), after(20, 2))),
        Either::Left(1)
    );
}

#[test]
fn wait_first_completed_returns_done_and_pending_in_given_order() {
    let rt = virtual_rt();
    rt.block_on(async {
        let tasks = vec![
            spawn(after(30, 0)),
            spawn(after(10, 1)),
            spawn(after(20, 2)),
        ];
        let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted).await;
        assert_eq!(done.len(), 1);
        assert_eq!(pending.len(), 2);
        assert_eq!(done.into_iter().next().unwrap().await.unwrap(), 1);
        let (done, pending) = wait(pending, ReturnWhen::AllCompleted).await;
        assert!(pending.is_empty());
        let mut values = Vec::new();
        for t in done {
            values.push(t.await.unwrap());
        }
        assert_eq!(values, [0, 2]);
    });
}

#[test]
fn wait_first_error_returns_when_a_task_panics() {
    let rt = virtual_rt();
    rt.block_on(async {
        let ok = spawn(after(100, 0));
        let bad = spawn(async {
            sleep(ms(10)).await;
            panic!("failing");
        });
        let t0 = Instant::now();
        let (done, pending) = wait(vec![ok, bad], ReturnWhen::FirstError).await;
        assert_eq!(t0.elapsed(), ms(10));
        assert_eq!(done.len(), 1);
        assert_eq!(pending.len(), 1);
        for t in done {
            assert!(t.await.unwrap_err().is_panic());
        }
    });
}

#[test]
fn wait_first_error_without_errors_waits_for_all() {
    let rt = virtual_rt();
    rt.block_on(async {
        let tasks = vec![spawn(after(10, 0)), spawn(after(20, 1))];
        let (done, pending) = wait(tasks, ReturnWhen::FirstError).await;
        assert_eq!((done.len(), pending.len()), (2, 0));
    });
}

#[test]
fn as_completed_yields_outcomes_in_completion_order() {
    let rt = virtual_rt();
    let order = rt.block_on(async {
        let tasks = [30, 10, 20, 5].map(|d| spawn(after(d, d)));
        let c = as_completed(tasks);
        let mut order = Vec::new();
        while let Some(r) = c.next().await {
            order.push(r.unwrap());
        }
        order
    });
    assert_eq!(order, [5, 10, 20, 30]);
}

/// Compiles only for `'static` values: what `core`'s futures must be.
fn owned<T: 'static>(value: T) -> T {
    value
}

#[test]
fn next_completed_futures_own_their_state() {
    resumable::run(async {
        let c = as_completed(vec![spawn(async { 1 }), spawn(async { 2 })]);
        let first = owned(c.next());
        let second = owned(c.next());
        drop(c);
        let mut got = vec![
            first.await.unwrap().unwrap(),
            second.await.unwrap().unwrap(),
        ];
        got.sort();
        assert_eq!(got, [1, 2]);
    });
}

#[test]
fn wait_with_timeout_returns_what_is_done_by_the_deadline_and_keeps_every_handle() {
    let rt = virtual_rt();
    rt.block_on(async {
        let tasks = vec![
            spawn(after(10, 0)),
            spawn(after(1000, 1)),
            spawn(after(20, 2)),
        ];
        let t0 = Instant::now();
        let (done, pending) = wait(tasks, ReturnWhen::AllCompleted)
            .with_timeout(ms(50))
            .await;
        assert_eq!(t0.elapsed(), ms(50));
        let mut values = Vec::new();
        for t in done {
            values.push(t.await.unwrap());
        }
        assert_eq!(values, [0, 2]);
        assert_eq!(pending.len(), 1);
        for t in pending {
            assert_eq!(t.await.unwrap(), 1); // still running, not cancelled
        }
    });
}
