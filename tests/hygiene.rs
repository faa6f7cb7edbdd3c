//! The repository's contract, checked by the test suite itself: formatting, clippy with
//! warnings denied on every target of every crate, and rustdoc with warnings denied (so
//! every intra-doc link resolves). Each check runs a nested `cargo` into its own target
//! directory under `target/hygiene/` (the running `cargo test` holds the lock of the main
//! one) and fails with the tool's own output.
//!
//! From cold target directories on the project's 2-core machine (shared with other
//! builds, 2026-11-25): fmt under 1 s, the workspace clippy 31 s and the doc 10 s each
//! alone; the whole file, its checks in parallel, 59 s. Afterwards they are incremental.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir(name: &str) -> PathBuf {
    root().join("target").join("hygiene").join(name)
}

/// Runs `cargo <args>` at the workspace root, failing with its output unless it succeeds.
fn cargo(args: &[&str], env: &[(&str, &str)]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .output()
        .expect("cannot run cargo");
    assert!(
        output.status.success(),
        "`cargo {}` failed ({}):\n{}{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_code_is_formatted_with_rustfmt() {
    cargo(&["fmt", "--all", "--check"], &[]);
}

#[test]
fn clippy_finds_nothing_to_warn_about_on_any_target() {
    let dir = target_dir("clippy");
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--target-dir",
            dir.to_str().unwrap(),
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
}

/// `--workspace` builds `resumable` with its `tracing` feature (the `tests/tracing` member
/// turns it on, and features unify), so the default build is checked on its own too. It
/// shares the workspace check's target directory: the dependencies are checked once.
#[test]
fn clippy_finds_nothing_to_warn_about_in_the_runtime_without_its_optional_features() {
    let dir = target_dir("clippy");
    cargo(
        &[
            "clippy",
            "-p",
            "resumable",
            "--all-targets",
            "--target-dir",
            dir.to_str().unwrap(),
            "--",
            "-D",
            "warnings",
        ],
        &[],
    );
}

#[test]
fn the_docs_build_without_warnings() {
    let dir = target_dir("doc");
    cargo(
        &[
            "doc",
            "-p",
            "resumable",
            "--no-deps",
            "--target-dir",
            dir.to_str().unwrap(),
        ],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}
