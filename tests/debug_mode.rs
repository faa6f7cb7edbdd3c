//! Debug mode as a user turns it on: `RESUMABLE_DEBUG=1` in the environment, warnings on
//! stderr. Each test runs one scenario (an `#[ignore]`d test below, so a normal run skips
//! it) in a child process of this test binary and reads its stderr. Every warning names
//! the task, the problem and what to do instead.

use std::process::Command;
use std::time::Duration;

use resumable::Runtime;

/// Runs the ignored test `scenario` in a child process with `RESUMABLE_DEBUG=debug` and
/// returns its stderr.
fn stderr_of(scenario: &str, debug: &str) -> String {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            scenario,
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RESUMABLE_DEBUG", debug)
        .output()
        .expect("cannot run the test binary");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{scenario} failed:\n{stderr}");
    stderr
}

/// The `resumable:` warnings in `stderr`, one string each (continuation lines included).
fn warnings(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if let Some(w) = line.strip_prefix("resumable: ") {
            out.push(w.to_owned());
        } else if line.starts_with("  ") || line.starts_with("Await") || line.ends_with("task(s)") {
            if let Some(last) = out.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        }
    }
    out
}

#[test]
#[ignore = "a scenario run by the tests above in a child process"]
fn scenario_a_task_blocks_the_loop() {
    resumable::run(async {
        resumable::spawn_named("sluggish", async {
            std::thread::sleep(Duration::from_millis(150)); // over the 100 ms threshold
        })
        .await
        .unwrap();
    });
}

#[test]
#[ignore = "a scenario run by the tests above in a child process"]
fn scenario_a_runtime_is_dropped_with_pending_tasks() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let idle = resumable::spawn_named("idle", std::future::pending::<()>());
        resumable::yield_now().await; // `idle` runs once and waits for ever
        drop(idle);
        // `block_on` runs one more iteration after the main future: `spawner` runs in
        // it, and what it spawns never gets a step.
        drop(resumable::spawn_named("spawner", async {
            drop(resumable::spawn_named("late", async {}));
        }));
    });
    drop(rt);
}

#[test]
fn with_resumable_debug_a_slow_step_is_reported_with_the_task_and_the_fix() {
    let w = warnings(&stderr_of("scenario_a_task_blocks_the_loop", "1"));
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(
        w[0].starts_with("slow step: task #1 (sluggish) ran "),
        "{w:#?}"
    );
    assert!(
        w[0].contains("without yielding (threshold 100ms)"),
        "{w:#?}"
    );
    assert!(w[0].contains("resumable::spawn_blocking"), "{w:#?}");
}

#[test]
fn with_resumable_debug_dropping_a_runtime_names_pending_and_never_run_tasks() {
    let w = warnings(&stderr_of(
        "scenario_a_runtime_is_dropped_with_pending_tasks",
        "1",
    ));
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(
        w[0].starts_with("runtime dropped with 2 task(s) still pending"),
        "{w:#?}"
    );
    assert!(w[0].contains("#1 idle"), "{w:#?}");
    assert!(w[0].contains("#3 late"), "{w:#?}");
    assert!(w[0].contains("Runtime::run"), "{w:#?}");
    assert!(
        w[1].starts_with("task #3 (late) was spawned but never ran"),
        "{w:#?}"
    );
}

#[test]
fn with_resumable_debug_0_nothing_is_reported() {
    let stderr = stderr_of("scenario_a_runtime_is_dropped_with_pending_tasks", "0");
    assert!(warnings(&stderr).is_empty(), "{stderr}");
}
