//! Re-running a test binary under valgrind's memcheck.
//!
//! A test file that proves memory safety (drops, pinning, cancellation) adds one test
//! that calls [`rerun_under_memcheck`]: it runs the same test binary again under
//! `valgrind --error-exitcode=1`, with the given filter, and fails if memcheck reports
//! an invalid read or write, a use of uninitialised memory, a double free or a leak.
//! Inside that re-run the variable [`UNDER_VALGRIND`] is set, so the checking test
//! skips itself there instead of recursing.

use std::process::Command;

/// Set in the environment of a test binary re-run under valgrind.
pub const UNDER_VALGRIND: &str = "RESUMABLE_UNDER_VALGRIND";

/// Re-runs the current test binary under memcheck, running the tests whose names
/// contain `filter`, and panics with valgrind's report if it finds an error.
///
/// Where valgrind is not installed this prints why it skipped, except on CI
/// (`CI=true`), where the check is required and a missing valgrind fails the test.
pub fn rerun_under_memcheck(filter: &str) {
    if std::env::var_os(UNDER_VALGRIND).is_some() {
        return;
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "valgrind is required on CI to check memory safety: install it (`apt-get install valgrind`)"
        );
        eprintln!("skipped: valgrind is not installed, so memcheck did not run");
        return;
    }
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let output = Command::new("valgrind")
        .args([
            "--error-exitcode=101",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
            "--quiet",
        ])
        .arg(&exe)
        .args([filter, "--test-threads=1", "--skip", "memcheck"])
        .env(UNDER_VALGRIND, "1")
        .output()
        .expect("valgrind starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "memcheck found errors (exit {:?}) in `{}`:\n{stderr}\n{stdout}",
        output.status.code(),
        exe.display()
    );
    assert!(
        stdout.contains("test result: ok") && !stdout.contains(" 0 passed"),
        "memcheck ran no test matching {filter:?}:\n{stdout}"
    );
}
