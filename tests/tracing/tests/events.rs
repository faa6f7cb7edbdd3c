//! With the `tracing` feature, the loop reports each task's life as spans and events, in
//! the order things happen: spawn, poll, wake (local or remote), timer fire, I/O
//! readiness, cancel, panic, completion.

use std::time::Duration;

use resumable::runtime::Builder;
use resumable::time::sleep;
use resumable_tracing_tests::Recorder;

/// Runs `future` on a virtual-time runtime while `recorder` records.
fn run_recorded<F: std::future::Future>(recorder: &Recorder, future: F) -> F::Output {
    recorder.record(|| {
        Builder::new()
            .virtual_time(true)
            .build()
            .unwrap()
            .run(future)
    })
}

/// The recorded lines that mention `task.id={id}`, or contain one of `also`.
fn about(lines: &[String], id: u64, also: &[&str]) -> Vec<String> {
    let tag = format!("task.id={id}");
    lines
        .iter()
        .filter(|l| l.split(' ').any(|w| w == tag) || also.iter().any(|a| l.contains(a)))
        .cloned()
        .collect()
}

#[test]
fn a_task_is_spawned_polled_woken_by_its_timer_and_completes_in_that_order() {
    let recorder = Recorder::default();
    run_recorded(&recorder, async {
        resumable::spawn_named("sleeper", async {
            sleep(Duration::from_secs(1)).await;
        })
        .await
        .unwrap();
    });
    assert_eq!(
        about(&recorder.lines(), 1, &["timer fired"]),
        [
            "spawn task.id=1 task.name=sleeper",
            "enter poll task.id=1 task.name=sleeper",
            "exit poll task.id=1 task.name=sleeper",
            "timer fired timers=1",
            "wake task.id=1 remote=false",
            "enter poll task.id=1 task.name=sleeper",
            "exit poll task.id=1 task.name=sleeper",
            "complete task.id=1 outcome=returned",
        ]
    );
}

#[test]
fn the_future_given_to_run_is_polled_as_task_0_named_main() {
    let recorder = Recorder::default();
    run_recorded(&recorder, async {});
    let lines = recorder.lines();
    assert_eq!(
        lines[..2],
        [
            "enter poll task.id=0 task.name=main",
            "exit poll task.id=0 task.name=main"
        ]
    );
}

#[test]
fn a_panicking_task_reports_the_panic_with_its_message_then_completes_as_panicked() {
    let recorder = Recorder::default();
    let err = run_recorded(&recorder, async {
        resumable::spawn_named("doomed", async { panic!("boom") })
            .await
            .unwrap_err()
    });
    assert!(err.is_panic());
    assert_eq!(
        about(&recorder.lines(), 1, &[]),
        [
            "spawn task.id=1 task.name=doomed",
            "enter poll task.id=1 task.name=doomed",
            "exit poll task.id=1 task.name=doomed",
            "panic task.id=1 task.name=doomed panic.message=boom",
            "complete task.id=1 outcome=panicked",
        ]
    );
}

#[test]
fn a_cancelled_task_reports_the_request_then_completes_as_cancelled() {
    let recorder = Recorder::default();
    run_recorded(&recorder, async {
        let task = resumable::spawn(sleep(Duration::from_secs(3600)));
        resumable::yield_now().await; // the task starts sleeping
        task.cancel();
        task.cancel(); // a second request is not a second event
        assert!(task.await.unwrap_err().is_cancelled());
    });
    assert_eq!(
        about(&recorder.lines(), 1, &[]),
        [
            "spawn task.id=1",
            "enter poll task.id=1",
            "exit poll task.id=1",
            "cancel task.id=1",
            "complete task.id=1 outcome=cancelled",
        ]
    );
}

#[test]
fn a_wake_from_another_thread_is_reported_as_remote() {
    let recorder = Recorder::default();
    let dispatch = recorder.dispatch();
    let got = run_recorded(&recorder, async move {
        let (tx, rx) = resumable::sync::oneshot::channel();
        let waiter = resumable::spawn(rx);
        resumable::yield_now().await; // the waiter is now waiting
        let sender = std::thread::spawn(move || {
            tracing::dispatcher::with_default(&dispatch, || tx.send(7).unwrap());
        });
        let got = waiter.await.unwrap();
        sender.join().unwrap();
        got
    });
    assert_eq!(got.unwrap(), 7);
    let lines = recorder.lines();
    let wakes: Vec<_> = about(&lines, 1, &[])
        .into_iter()
        .filter(|l| l.starts_with("wake"))
        .collect();
    assert_eq!(wakes, ["wake task.id=1 remote=true"]);
}

#[test]
fn io_readiness_is_reported_before_the_reader_it_wakes() {
    let recorder = Recorder::default();
    run_recorded(&recorder, async {
        let (a, b) = resumable::net::UnixStream::pair().unwrap();
        let reader = resumable::spawn_named("reader", async move {
            let (n, _buf) = a.read(vec![0u8; 16]).await;
            n.unwrap()
        });
        resumable::yield_now().await; // the reader is now waiting for readability
        let (sent, _) = b.write_all(b"ping").await;
        sent.unwrap();
        assert_eq!(reader.await.unwrap(), 4);
    });
    let lines = recorder.lines();
    let ready = lines
        .iter()
        .position(|l| l.starts_with("io ready") && l.contains("readable=true"))
        .unwrap_or_else(|| panic!("no readable event in {lines:#?}"));
    let woken = lines
        .iter()
        .position(|l| l == "wake task.id=1 remote=false")
        .unwrap_or_else(|| panic!("the reader was never woken: {lines:#?}"));
    assert!(ready < woken, "{lines:#?}");
    assert!(lines.contains(&"complete task.id=1 outcome=returned".to_string()));
}

#[test]
fn a_task_still_pending_when_run_returns_is_reported_cancelled_by_the_shutdown() {
    let recorder = Recorder::default();
    run_recorded(&recorder, async {
        drop(resumable::spawn_named(
            "forever",
            sleep(Duration::from_secs(3600)),
        ));
        resumable::yield_now().await; // it starts sleeping
    });
    let lines = about(&recorder.lines(), 1, &[]);
    assert_eq!(
        lines[lines.len() - 2..],
        ["cancel task.id=1", "complete task.id=1 outcome=cancelled"]
    );
}
