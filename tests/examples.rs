//! The examples print what the Python programs they port print. Each example in
//! `examples/` quotes its Python in a ```` ```python ```` block of its `//!` docs; this
//! runs that Python with `python3` and the example with `cargo run --example`, both on
//! virtual time (`tests/examples/virtual_time.py` for asyncio, `RESUMABLE_VIRTUAL_TIME=1` for the
//! example), and compares their output line by line. Examples without a Python
//! counterpart are compared with a committed `tests/examples/<name>.stdout`.
//!
//! A missing `python3` skips the Python comparisons with a message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout_lines(what: &str, output: Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `cargo run --example <name>` on virtual time and returns its stdout.
fn run_example(name: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", name])
        .current_dir(root())
        .env(resumable::runtime::VIRTUAL_TIME_ENV, "1")
        .stdin(Stdio::null())
        .output()
        .expect("cannot run cargo");
    stdout_lines(&format!("example {name}"), output)
}

/// The ```` ```python ```` block of the example's `//!` docs.
fn quoted_python(name: &str) -> String {
    let path: PathBuf = root().join("examples").join(format!("{name}.rs"));
    let source = std::fs::read_to_string(&path).unwrap();
    let docs: Vec<&str> = source
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    let start = docs
        .iter()
        .position(|line| *line == "```python")
        .unwrap_or_else(|| panic!("{} quotes no ```python block", path.display()));
    let len = docs[start + 1..]
        .iter()
        .position(|line| *line == "```")
        .expect("an unterminated ```python block");
    docs[start + 1..start + 1 + len].join("\n") + "\n"
}

/// Runs the example's Python on asyncio with virtual time; `None` without python3.
fn run_python(name: &str) -> Option<Vec<String>> {
    let prelude = std::fs::read_to_string(root().join("tests/examples/virtual_time.py")).unwrap();
    let program = prelude + "\n" + &quoted_python(name);
    let child = Command::new("python3")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            println!("SKIPPED the asyncio side of {name}: cannot run python3 ({e})");
            return None;
        }
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(program.as_bytes())
        .unwrap();
    Some(stdout_lines(
        &format!("the Python of {name}"),
        child.wait_with_output().unwrap(),
    ))
}

/// Asserts the example prints what its Python prints.
fn prints_what_asyncio_prints(name: &str) {
    let rust = run_example(name);
    let Some(python) = run_python(name) else {
        return;
    };
    for (i, (py, rs)) in python.iter().zip(&rust).enumerate() {
        assert_eq!(
            py,
            rs,
            "{name}: line {} differs\npython: {python:#?}\nrust:   {rust:#?}",
            i + 1
        );
    }
    assert_eq!(
        python.len(),
        rust.len(),
        "{name}: line count differs\npython: {python:#?}\nrust:   {rust:#?}"
    );
}

/// Asserts the example prints `tests/examples/<name>.stdout`.
fn prints_expected_output(name: &str) {
    let path = root().join("tests/examples").join(format!("{name}.stdout"));
    let expected: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(run_example(name), expected);
}

#[test]
fn say_after_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("say_after");
}

#[test]
fn gather_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("gather");
}

#[test]
fn producer_consumer_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("producer_consumer");
}

#[test]
fn timeouts_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("timeouts");
}

#[test]
fn primer_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("primer");
}

#[test]
fn task_group_prints_what_asyncio_prints() {
    prints_what_asyncio_prints("task_group");
}

#[test]
fn on_tokio_runs_the_same_coroutines_on_every_executor() {
    prints_expected_output("on_tokio");
}

#[test]
fn connection_borrows_self_across_its_yields_and_answers_every_frame() {
    prints_expected_output("connection");
}

#[test]
fn loop_per_core_spreads_one_port_over_two_loops_and_echoes_every_client() {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "loop_per_core", "--", "2"])
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("cannot run cargo");
    let expected: Vec<String> =
        std::fs::read_to_string(root().join("tests/examples/loop_per_core.stdout"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
    assert_eq!(stdout_lines("example loop_per_core", output), expected);
}
