//! Scheduling order: asyncio's. A FIFO ready queue; whatever is spawned or woken during
//! an iteration runs in the next one.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc;
use std::task::Waker;

use resumable::{run, spawn, yield_now, Runtime};

static_assertions::assert_not_impl_any!(Runtime: Send, Sync);

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, line: impl Into<String>) {
    log.borrow_mut().push(line.into());
}

#[test]
fn spawned_tasks_start_in_spawn_order_after_the_spawner_yields() {
    let log = log();
    let l = log.clone();
    run(async move {
        for i in 0..3 {
            let l = l.clone();
            drop(spawn(async move { push(&l, format!("task {i}")) }));
        }
        push(&l, "main still running");
        yield_now().await;
        push(&l, "main resumed");
    });
    assert_eq!(
        *log.borrow(),
        [
            "main still running",
            "task 0",
            "task 1",
            "task 2",
            "main resumed"
        ]
    );
}

#[test]
fn yield_now_interleaves_tasks_round_robin() {
    let log = log();
    let l = log.clone();
    run(async move {
        let mut tasks = Vec::new();
        for name in ["a", "b"] {
            let l = l.clone();
            tasks.push(spawn(async move {
                for i in 0..3 {
                    push(&l, format!("{name}{i}"));
                    yield_now().await;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    assert_eq!(*log.borrow(), ["a0", "b0", "a1", "b1", "a2", "b2"]);
}

#[test]
fn a_task_spawned_during_an_iteration_runs_after_the_tasks_already_ready() {
    let log = log();
    let l = log.clone();
    run(async move {
        let l1 = l.clone();
        let first = spawn(async move {
            let l2 = l1.clone();
            push(&l1, "first");
            drop(spawn(async move { push(&l2, "spawned by first") }));
        });
        let l3 = l.clone();
        let second = spawn(async move { push(&l3, "second") });
        first.await.unwrap();
        second.await.unwrap();
        yield_now().await;
    });
    assert_eq!(*log.borrow(), ["first", "second", "spawned by first"]);
}

#[test]
fn a_task_woken_by_another_runs_in_the_next_iteration_after_the_waker() {
    let log = log();
    let l = log.clone();
    run(async move {
        let slot: Rc<RefCell<Option<Waker>>> = Rc::default();
        let (l1, s1) = (l.clone(), slot.clone());
        let sleeper = spawn(async move {
            let mut parked = false;
            std::future::poll_fn(|cx| {
                if parked {
                    return std::task::Poll::Ready(());
                }
                parked = true;
                *s1.borrow_mut() = Some(cx.waker().clone());
                std::task::Poll::Pending
            })
            .await;
            push(&l1, "sleeper woke");
        });
        let (l2, s2) = (l.clone(), slot.clone());
        let waker_task = spawn(async move {
            yield_now().await;
            s2.borrow_mut().take().unwrap().wake();
            push(&l2, "waker: woke sleeper");
            yield_now().await;
            push(&l2, "waker: next iteration");
        });
        sleeper.await.unwrap();
        waker_task.await.unwrap();
    });
    assert_eq!(
        *log.borrow(),
        [
            "waker: woke sleeper",
            "sleeper woke",
            "waker: next iteration"
        ]
    );
}

#[test]
fn a_task_that_keeps_yielding_does_not_starve_a_reader_woken_by_io() {
    run(async {
        let (a, b) = resumable::net::UnixStream::pair().unwrap();
        let done = Rc::new(Cell::new(false));
        let d = done.clone();
        let reader = spawn(async move {
            let (n, _buf) = a.read([0u8; 8]).await;
            d.set(true);
            n.unwrap()
        });
        yield_now().await; // the reader is now waiting for readability
        let spins = Rc::new(Cell::new(0));
        let (s, d) = (spins.clone(), done.clone());
        let spinner = spawn(async move {
            while !d.get() {
                s.set(s.get() + 1);
                assert!(s.get() <= 3, "the spinner starves the reader");
                yield_now().await;
            }
        });
        b.write_all(b"ping").await.0.unwrap();
        assert_eq!(reader.await.unwrap(), 4);
        spinner.await.unwrap();
        // As in asyncio: the event is seen at the top of the next iteration (the spinner's
        // first step), the reader runs in the one after (the spinner's second).
        assert_eq!(spins.get(), 2);
    });
}

#[test]
#[allow(clippy::async_yields_async)] // the task handle is the point
fn block_on_returns_the_futures_output_and_tasks_survive_between_calls() {
    let rt = Runtime::new().unwrap();
    let task = rt.block_on(async { spawn(async { 7 }) });
    assert_eq!(rt.block_on(async { 1 }), 1);
    assert_eq!(rt.block_on(task).unwrap(), 7);
}

#[test]
fn block_on_runs_a_future_that_borrows_from_the_caller() {
    let rt = Runtime::new().unwrap();
    let mut counter = 0;
    rt.block_on(async {
        counter += 1;
        yield_now().await;
        counter += 1;
    });
    assert_eq!(counter, 2);
}

#[test]
#[should_panic(expected = "cannot be called from a running event loop")]
fn a_nested_run_panics_and_names_the_fix() {
    run(async {
        run(async {});
    });
}

#[test]
fn a_nested_run_panic_message_says_to_spawn_or_await() {
    let rt = Runtime::new().unwrap();
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async { Runtime::new().unwrap().block_on(async {}) })
    }))
    .unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(msg.contains("resumable::spawn"), "{msg}");
    // The runtime is still usable after the panic unwound through it.
    assert_eq!(rt.block_on(async { 3 }), 3);
}

#[test]
#[should_panic(expected = "must be called from inside a resumable runtime")]
fn spawn_outside_a_runtime_panics_with_a_clear_message() {
    drop(spawn(async {}));
}

#[test]
fn run_cancels_the_tasks_still_pending_when_main_returns_dropping_their_locals() {
    struct Guard(Log);
    impl Drop for Guard {
        fn drop(&mut self) {
            push(&self.0, "pending task's local dropped");
        }
    }
    let log = log();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        drop(spawn(async move {
            let _guard = Guard(l2);
            std::future::pending::<()>().await;
        }));
        yield_now().await;
        push(&l, "main returns");
    });
    assert_eq!(
        *log.borrow(),
        ["main returns", "pending task's local dropped"]
    );
}

#[test]
fn like_asyncio_a_task_spawned_last_gets_one_step_after_main_returns() {
    let log = log();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        drop(spawn(async move {
            push(&l2, "step 1");
            yield_now().await;
            push(&l2, "step 2 (never: cancelled)");
        }));
        push(&l, "main returns");
    });
    assert_eq!(*log.borrow(), ["main returns", "step 1"]);
}

#[test]
fn a_waker_moved_to_another_thread_wakes_the_task() {
    run(async {
        let (tx, rx) = mpsc::channel::<Waker>();
        let thread = std::thread::spawn(move || {
            let waker = rx.recv().unwrap();
            let clones: Vec<Waker> = (0..10).map(|_| waker.clone()).collect();
            drop(clones);
            waker.wake();
        });
        let mut sent = false;
        std::future::poll_fn(|cx| {
            if sent {
                return std::task::Poll::Ready(());
            }
            sent = true;
            tx.send(cx.waker().clone()).unwrap();
            std::task::Poll::Pending
        })
        .await;
        thread.join().unwrap();
    });
}

#[test]
fn wakers_cloned_on_other_threads_keep_a_finished_task_alive_until_dropped() {
    run(async {
        let (tx, rx) = mpsc::channel::<Waker>();
        let task = spawn(async move {
            std::future::poll_fn(|cx| {
                tx.send(cx.waker().clone()).unwrap();
                std::task::Poll::Ready(())
            })
            .await;
        });
        task.await.unwrap();
        let waker = rx.recv().unwrap();
        // The task is finished and its handle gone: only this waker keeps it alive.
        let thread = std::thread::spawn(move || {
            let copy = waker.clone();
            waker.wake_by_ref();
            drop(waker);
            copy
        });
        let copy = thread.join().unwrap();
        copy.wake(); // back home: a no-op on a finished task, freed afterwards
        yield_now().await;
    });
}

#[test]
fn wakers_cloned_woken_and_dropped_concurrently_on_many_threads_are_safe() {
    // Each task hands its waker to a worker thread, which clones it, wakes some clones
    // and drops the rest while the loop finishes and frees tasks.
    let (tx, rx) = mpsc::channel::<Waker>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || loop {
                let next = rx.lock().unwrap().recv();
                let Ok(waker) = next else { return };
                let clones: Vec<Waker> = (0..8).map(|_| waker.clone()).collect();
                for (i, c) in clones.into_iter().enumerate() {
                    if i % 3 == 0 {
                        c.wake();
                    } else if i % 3 == 1 {
                        c.wake_by_ref();
                    }
                }
                drop(waker);
            })
        })
        .collect();
    run(async move {
        let tasks: Vec<_> = (0..500)
            .map(|_| {
                let tx = tx.clone();
                spawn(async move {
                    let mut sent = false;
                    std::future::poll_fn(|cx| {
                        if sent {
                            return std::task::Poll::Ready(());
                        }
                        sent = true;
                        tx.send(cx.waker().clone()).unwrap();
                        std::task::Poll::Pending
                    })
                    .await;
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
fn a_waker_cloned_on_another_thread_and_dropped_on_the_loops_thread_keeps_the_task_alive() {
    // Another thread holds two wakers of a finished task. It drops one and sends a clone
    // of the other to the loop's thread, which drops that clone before the loop has seen
    // either the drop or the clone: the task must stay alive for the waker left there.
    // (Regression: the loop applied the drop, found the count at zero and freed the task;
    // the clone's message then landed on freed memory.)
    run(async {
        let (tx, rx) = mpsc::channel::<Waker>();
        let task = spawn(std::future::poll_fn(move |cx| {
            tx.send(cx.waker().clone()).unwrap();
            tx.send(cx.waker().clone()).unwrap();
            std::task::Poll::Ready(())
        }));
        task.await.unwrap();
        let (kept, dropped) = (rx.recv().unwrap(), rx.recv().unwrap());
        let (to_loop, from_thread) = mpsc::channel::<Waker>();
        let (go, wait_for_go) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            drop(dropped);
            to_loop.send(kept.clone()).unwrap();
            wait_for_go.recv().unwrap();
            kept.wake_by_ref(); // a no-op on a finished task, which must still exist
            drop(kept);
        });
        // Blocking the loop's thread here keeps the loop from draining in between.
        let clone = from_thread.recv().unwrap();
        drop(clone);
        yield_now().await; // the loop applies the other thread's drop, then its clone
        go.send(()).unwrap();
        thread.join().unwrap();
        yield_now().await; // the wake and the last drop: the task is freed now
    });
}
