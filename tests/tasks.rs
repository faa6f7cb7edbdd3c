//! Tasks: spawning, awaiting, cancelling, detaching, names, panics.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use resumable::time::sleep;
use resumable::{run, spawn, spawn_named, yield_now, JoinError, Task};

type Log = Rc<RefCell<Vec<&'static str>>>;

struct DropLog(Log, &'static str);

impl Drop for DropLog {
    fn drop(&mut self) {
        self.0.borrow_mut().push(self.1);
    }
}

static_assertions::assert_not_impl_any!(Task<()>: Send, Sync, Clone);

#[test]
fn awaiting_a_task_gives_its_value() {
    let v = run(async { spawn(async { String::from("value") }).await });
    assert_eq!(v.unwrap(), "value");
}

#[test]
fn a_panicking_task_gives_panicked_and_the_loop_and_other_tasks_go_on() {
    run(async {
        let bad = spawn(async {
            yield_now().await;
            panic!("task failed on purpose");
        });
        let good = spawn(async {
            for _ in 0..3 {
                yield_now().await;
            }
            "still fine"
        });
        let err = bad.await.unwrap_err();
        assert!(err.is_panic());
        assert_eq!(err.panic_message(), Some("task failed on purpose"));
        assert_eq!(good.await.unwrap(), "still fine");
    });
}

#[test]
fn a_panic_with_a_formatted_message_keeps_the_message() {
    run(async {
        let err = spawn(async { panic!("code {}", 42) }).await.unwrap_err();
        assert_eq!(err.panic_message(), Some("code 42"));
        assert_eq!(err.to_string(), "task panicked: code 42");
    });
}

#[test]
fn cancel_drops_the_future_at_its_yield_point_dropping_its_locals_there() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let task = spawn(async move {
            let _outer = DropLog(l2.clone(), "outer local dropped");
            l2.borrow_mut().push("suspended");
            let _inner = DropLog(l2.clone(), "inner local dropped");
            sleep(Duration::from_secs(3600)).await;
            l2.borrow_mut().push("never resumed");
        });
        yield_now().await;
        task.cancel();
        l.borrow_mut().push("cancel requested");
        assert!(task.await.unwrap_err().is_cancelled());
    });
    assert_eq!(
        *log.borrow(),
        [
            "suspended",
            "cancel requested",
            "inner local dropped",
            "outer local dropped"
        ]
    );
}

#[test]
fn a_task_cancelled_before_its_first_step_never_runs() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let task = spawn(async move { l2.borrow_mut().push("ran") });
        task.cancel();
        assert!(matches!(task.await, Err(JoinError::Cancelled)));
    });
    assert!(log.borrow().is_empty());
}

#[test]
fn cancelling_a_finished_task_keeps_its_result() {
    run(async {
        let task = spawn(async { 5 });
        yield_now().await;
        assert!(task.is_finished());
        task.cancel();
        assert_eq!(task.await.unwrap(), 5);
    });
}

#[test]
fn dropping_the_handle_detaches_the_task_which_keeps_running() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        drop(spawn(async move {
            yield_now().await;
            l2.borrow_mut().push("detached task finished");
        }));
        yield_now().await;
        yield_now().await;
    });
    assert_eq!(*log.borrow(), ["detached task finished"]);
}

#[test]
fn a_detached_tasks_result_is_dropped_when_it_completes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        drop(spawn(async move { DropLog(l2, "result dropped") }));
        yield_now().await;
        l.borrow_mut().push("main after the task's step");
    });
    assert_eq!(
        *log.borrow(),
        ["result dropped", "main after the task's step"]
    );
}

#[test]
fn a_finished_tasks_result_is_dropped_with_its_handle() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let task = spawn(async move { DropLog(l2, "result dropped") });
        yield_now().await;
        l.borrow_mut().push("task finished");
        drop(task);
        l.borrow_mut().push("handle dropped");
    });
    assert_eq!(
        *log.borrow(),
        ["task finished", "result dropped", "handle dropped"]
    );
}

#[test]
fn is_finished_turns_true_when_the_future_completes() {
    run(async {
        let task = spawn(yield_now());
        assert!(!task.is_finished());
        yield_now().await;
        assert!(!task.is_finished());
        yield_now().await;
        assert!(task.is_finished());
    });
}

#[test]
fn tasks_have_names_and_ids_in_spawn_order() {
    run(async {
        let a = spawn_named("alpha", async {});
        let b = spawn(async {});
        assert_eq!(a.name(), Some("alpha"));
        assert_eq!(b.name(), None);
        assert!(a.id() < b.id());
        assert!(format!("{a:?}").contains("alpha"));
    });
}

#[test]
fn a_task_can_await_another_task_and_nested_tasks_complete() {
    let v = run(async {
        let outer = spawn(async {
            let inner = spawn(async { 20 });
            inner.await.unwrap() + 1
        });
        outer.await.unwrap() * 2
    });
    assert_eq!(v, 42);
}

#[test]
fn a_panic_while_dropping_a_cancelled_future_is_reported_as_panicked() {
    struct PanicOnDrop;
    impl Drop for PanicOnDrop {
        fn drop(&mut self) {
            panic!("drop panicked");
        }
    }
    run(async {
        let task = spawn(async {
            let _p = PanicOnDrop;
            std::future::pending::<()>().await;
        });
        yield_now().await;
        task.cancel();
        assert_eq!(
            task.await.unwrap_err().panic_message(),
            Some("drop panicked")
        );
    });
}

#[test]
fn many_tasks_complete_and_their_results_arrive_in_order() {
    let total = run(async {
        let tasks: Vec<_> = (0..10_000u64).map(|i| spawn(async move { i })).collect();
        let mut sum = 0;
        for t in tasks {
            sum += t.await.unwrap();
        }
        sum
    });
    assert_eq!(total, (0..10_000u64).sum());
}

#[test]
fn a_dump_lists_every_live_task_with_its_state_and_reported_location() {
    struct Reporting(bool);
    impl std::future::Future for Reporting {
        type Output = ();
        fn poll(
            self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<()> {
            if self.0 {
                return std::task::Poll::Ready(());
            }
            resumable::task::report_location("waiting_for_input (src/app.rs:12)");
            std::task::Poll::Pending // never woken: stays idle
        }
    }
    use resumable::runtime::TaskState;
    run(async {
        let _idle = spawn_named("reader", Reporting(false));
        let _plain = spawn(std::future::pending::<()>());
        let ready = spawn_named("ready", async {});
        yield_now().await;
        let _scheduled = spawn_named("scheduled", async {});
        let dump = resumable::runtime::dump();
        let names: Vec<_> = dump.tasks.iter().map(|t| t.name.as_deref()).collect();
        assert_eq!(names, [Some("reader"), None, Some("scheduled")]);
        assert!(ready.is_finished());
        assert_eq!(dump.tasks[0].state, TaskState::Idle);
        assert_eq!(
            dump.tasks[0].location,
            Some("waiting_for_input (src/app.rs:12)")
        );
        assert_eq!(dump.tasks[1].location, None);
        assert_eq!(dump.tasks[2].state, TaskState::Scheduled);
        let text = dump.to_string();
        assert!(
            text.contains("reader") && text.contains("src/app.rs:12"),
            "{text}"
        );
    });
}
