//! Running many programs at once: all of them go, as twin fn pairs, into ONE generated
//! binary crate (`target/difftest/<name>/`, depending on `resumable` by path, with a
//! shared `CARGO_TARGET_DIR` so only that crate recompiles); its `main` observes each
//! pair with [`runtime::observe`](crate::runtime::observe) and prints a line-based
//! report, which is parsed back here and compared.
//!
//! Compile errors are attributed to a program by line: an error in the coroutine twin
//! is a divergence (the native twin compiles by construction), an error in the native
//! twin marks the program invalid (a generator bug, or a shrinking step that broke it).
//! The program is taken out and the batch rebuilt. A crash or hang is attributed to the
//! program that was running, and the binary restarted after it.

use crate::ast::Program;
use crate::render;
use crate::runtime::{difference, Run, Twins};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What kind of divergence a program showed.
///
/// ```
/// let known = difftest::known_divergences("pattern: Memcheck | Invalid read");
/// assert_eq!(known[0].0, difftest::Kind::Memcheck);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The coroutine twin does not compile.
    Compile,
    /// Different events, values, drops or cancellation behaviour.
    Behaviour,
    /// The coroutine's future is larger than the `async fn`'s.
    Size,
    /// The batch binary crashed or hung in this program.
    Crash,
    /// valgrind memcheck reported errors while this program ran.
    Memcheck,
}

/// The result of one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both twins behave the same.
    Same {
        /// Suspensions of the native twin in the full run.
        suspensions: usize,
        /// `size_of` the coroutine's future.
        size_co: usize,
        /// `size_of` the `async fn`'s future.
        size_native: usize,
    },
    /// They differ.
    Differs(Kind, String),
    /// The program is not a valid test (its native twin does not compile or never
    /// finishes): never counted as a divergence.
    Invalid(String),
}

/// Where batches are built.
#[derive(Clone, Debug)]
pub struct Builder {
    /// The workspace root (holds `core/` and `Cargo.lock`).
    pub workspace: PathBuf,
    /// The generated crate's directory.
    pub dir: PathBuf,
    /// The shared `CARGO_TARGET_DIR`.
    pub target: PathBuf,
    /// Run the binary under valgrind memcheck.
    pub valgrind: bool,
    /// The generated crate's edition (`"2021"` unless told): the drop order of a block's
    /// tail temporaries, which the expansion follows, differs between editions.
    pub edition: String,
}

impl Builder {
    /// A builder for the generated crate `name`, under this workspace's `target/difftest/`.
    pub fn new(name: &str) -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("difftest is a workspace member")
            .to_path_buf();
        let base = workspace.join("target").join("difftest");
        Builder {
            dir: base.join(name),
            target: base.join("target"),
            workspace,
            valgrind: false,
            edition: "2021".into(),
        }
    }

    /// The generated package's (and binary's) name: one per directory, so that batches
    /// built at the same time into the shared target directory do not overwrite each
    /// other's binary.
    fn package(&self) -> String {
        let dir = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let name: String = dir
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("difftest-batch-{name}")
    }

    /// Builds and runs `programs` as one batch and returns a verdict for each.
    pub fn evaluate(&self, programs: &[Program]) -> Vec<Verdict> {
        let mut verdicts: Vec<Option<Verdict>> = vec![None; programs.len()];
        // Programs whose coroutine twin failed to compile: only their native twin stays
        // in the batch, to tell a divergence (it compiles) from an invalid program.
        let mut broken: Vec<Option<String>> = vec![None; programs.len()];
        let mut built = false;
        for _attempt in 0..24 {
            let active: Vec<usize> = (0..programs.len())
                .filter(|&i| verdicts[i].is_none())
                .collect();
            if active.is_empty() {
                break;
            }
            let ranges = self.write(programs, &active, &broken);
            match self.build() {
                Ok(()) => {
                    built = true;
                    break;
                }
                Err(errors) => {
                    let mut blamed = false;
                    for (line, message) in &errors {
                        for (i, [co, native]) in &ranges {
                            if native.contains(line) && verdicts[*i].is_none() {
                                verdicts[*i] = Some(Verdict::Invalid(format!(
                                    "the async fn does not compile: {message}"
                                )));
                                blamed = true;
                            } else if co.contains(line) && broken[*i].is_none() {
                                broken[*i] = Some(message.clone());
                                blamed = true;
                            }
                        }
                    }
                    if !blamed {
                        let all = errors
                            .iter()
                            .map(|(_, m)| m.as_str())
                            .collect::<Vec<_>>()
                            .join(" / ");
                        for &i in &active {
                            verdicts[i] = Some(Verdict::Invalid(format!("build failed: {all}")));
                        }
                    }
                }
            }
        }
        if built {
            for (i, message) in broken.iter().enumerate() {
                if let (None, Some(message)) = (&verdicts[i], message) {
                    verdicts[i] = Some(Verdict::Differs(Kind::Compile, message.clone()));
                }
            }
            let runnable: Vec<usize> = (0..programs.len())
                .filter(|&i| verdicts[i].is_none())
                .collect();
            for (i, v) in self.run(&runnable) {
                if let Some(slot) = verdicts.get_mut(i) {
                    *slot = Some(v);
                }
            }
        }
        verdicts
            .into_iter()
            .map(|v| v.unwrap_or_else(|| Verdict::Invalid("never built".into())))
            .collect()
    }

    /// Writes the crate; returns, per active program, the 1-based line ranges of its
    /// coroutine and native twins.
    fn write(
        &self,
        programs: &[Program],
        active: &[usize],
        broken: &[Option<String>],
    ) -> Vec<(usize, [std::ops::Range<usize>; 2])> {
        std::fs::create_dir_all(self.dir.join("src")).expect("create the batch crate");
        let manifest = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\n\n\
             [dependencies]\nresumable = {{ path = {:?} }}\n\n[profile.dev]\ndebug = 0\n\n[workspace]\n",
            self.package(),
            self.edition,
            self.workspace.join("core")
        );
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest);
        let lock = self.dir.join("Cargo.lock");
        if !lock.exists() {
            let _ = std::fs::copy(self.workspace.join("Cargo.lock"), &lock);
        }
        let mut src = format!(
            "#![allow(warnings)]\n#[path = {:?}]\nmod runtime;\nuse runtime::*;\nuse resumable::yield_await;\n\n",
            self.workspace.join("difftest/src/runtime.rs")
        );
        let mut ranges = Vec::new();
        for &i in active {
            let p = &programs[i];
            let _ = writeln!(src, "// program {} ({})", i, p.origin);
            let start = src.lines().count() + 1;
            let (text, [co, native]) = render::twins_of(p, &format!("p{i}"), broken[i].is_none());
            src.push_str(&text);
            ranges.push((
                i,
                [
                    start + co.start..start + co.end,
                    start + native.start..start + native.end,
                ],
            ));
            if broken[i].is_some() {
                continue;
            }
            let _ = writeln!(
                src,
                "fn run_p{i}() {{ report({i}, &observe(&|| p{i}_co(D::new({d}), {a}), &|| p{i}_native(D::new({d}), {a}), &{s:?})); }}\n",
                d = p.arg_d,
                a = p.arg_i,
                s = p.script,
            );
        }
        src.push_str("const RUNS: &[(usize, fn())] = &[\n");
        for &i in active.iter().filter(|&&i| broken[i].is_none()) {
            let _ = writeln!(src, "    ({i}, run_p{i}),");
        }
        src.push_str(
            "];\n\nfn main() {\n    std::panic::set_hook(Box::new(|_| {}));\n    \
             let start: usize = std::env::args().nth(1).map_or(0, |a| a.parse().unwrap());\n    \
             for &(i, run) in RUNS.iter().filter(|(i, _)| *i >= start) {\n        \
             println!(\"BEGIN\\t{i}\");\n        run();\n        println!(\"END\\t{i}\");\n    }\n}\n",
        );
        write_if_changed(&self.dir.join("src/main.rs"), &src);
        ranges
    }

    /// `Err((line, message))` for every error rustc reports in `src/main.rs`.
    fn build(&self) -> Result<(), Vec<(usize, String)>> {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "-q", "--message-format=short", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target)
            .stdin(Stdio::null())
            .output()
            .expect("run cargo");
        if out.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut errors = Vec::new();
        for line in stderr.lines() {
            // `src/main.rs:12:5: error[E0308]: mismatched types`
            let Some(rest) = line.split("src/main.rs:").nth(1) else {
                continue;
            };
            let mut parts = rest.splitn(3, ':');
            let (Some(l), Some(_col), Some(msg)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let (Ok(l), true) = (l.parse(), msg.trim_start().starts_with("error")) {
                errors.push((l, msg.trim().to_string()));
            }
        }
        if errors.is_empty() {
            let tail: Vec<&str> = stderr.lines().rev().take(8).collect();
            errors.push((0, tail.into_iter().rev().collect::<Vec<_>>().join(" | ")));
        }
        Err(errors)
    }

    /// Runs the built binary over `active`, restarting after a program that crashes.
    fn run(&self, active: &[usize]) -> Vec<(usize, Verdict)> {
        let exe = self.target.join("debug").join(self.package());
        let mut verdicts = Vec::new();
        let mut start = active.first().copied().unwrap_or(0);
        loop {
            let mut cmd = if self.valgrind {
                let mut c = Command::new("valgrind");
                c.args(["-q", "--error-exitcode=0", "--log-fd=1"]).arg(&exe);
                c
            } else {
                Command::new(&exe)
            };
            cmd.arg(start.to_string());
            let timeout = Duration::from_secs(if self.valgrind { 600 } else { 120 });
            let (stdout, finished) = run_with_timeout(cmd, timeout);
            let parsed = parse(&stdout);
            let last_began = parsed.last_begun;
            for (i, record) in parsed.records {
                verdicts.push((i, record));
            }
            match last_began {
                Some(i) if !finished || verdicts.iter().all(|(j, _)| *j != i) => {
                    let why = if finished {
                        "crashed"
                    } else {
                        "hung (timeout)"
                    };
                    verdicts.push((
                        i,
                        Verdict::Differs(
                            Kind::Crash,
                            format!("the batch binary {why} in this program"),
                        ),
                    ));
                    match active.iter().find(|&&j| j > i) {
                        Some(&next) => start = next,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        verdicts
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write the batch crate");
    }
}

/// Runs `cmd`, returning its stdout and whether it exited before `timeout`.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> (String, bool) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the batch binary");
    let mut pipe = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + timeout;
    let finished = loop {
        if child
            .try_wait()
            .expect("wait for the batch binary")
            .is_some()
        {
            break true;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (reader.join().unwrap_or_default(), finished)
}

/// What a batch run printed.
#[derive(Debug, Default)]
pub struct Parsed {
    /// A verdict per program that ran to its `END`.
    pub records: Vec<(usize, Verdict)>,
    /// The last program that began.
    pub last_begun: Option<usize>,
}

/// Parses a batch report (see [`runtime::report`](crate::runtime::report)), including
/// valgrind lines (`==pid== ...`) that fall between a program's `BEGIN` and `END`.
pub fn parse(stdout: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut cases: BTreeMap<String, (Option<Run>, Option<Run>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut size = (0, 0);
    let mut memcheck: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("==") {
            memcheck.push(line.to_string());
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["BEGIN", i] => {
                parsed.last_begun = i.parse().ok();
                cases.clear();
                order.clear();
                memcheck.clear();
            }
            ["CASE", _, case, twin, events] => {
                let log: Vec<String> = if events.is_empty() {
                    Vec::new()
                } else {
                    events.split(';').map(str::to_string).collect()
                };
                let polls = log.iter().filter(|e| *e == "~pending").count();
                let run = Run { log, polls };
                if !cases.contains_key(*case) {
                    order.push(case.to_string());
                }
                let entry = cases.entry(case.to_string()).or_default();
                if *twin == "co" {
                    entry.0 = Some(run);
                } else {
                    entry.1 = Some(run);
                }
            }
            ["SIZE", _, co, native] => {
                size = (
                    co.parse().unwrap_or(usize::MAX),
                    native.parse().unwrap_or(0),
                );
            }
            ["END", i] => {
                let Ok(i) = i.parse() else { continue };
                let twins = Twins {
                    cases: order
                        .iter()
                        .map(|c| {
                            let (co, native) = cases[c].clone();
                            let empty = || Run {
                                log: Vec::new(),
                                polls: 0,
                            };
                            (
                                c.clone(),
                                co.unwrap_or_else(empty),
                                native.unwrap_or_else(empty),
                            )
                        })
                        .collect(),
                    size_co: size.0,
                    size_native: size.1,
                };
                parsed.records.push((i, verdict(&twins, &memcheck)));
            }
            _ => {}
        }
    }
    parsed
}

/// Compares the observations of one program.
pub fn verdict(twins: &Twins, memcheck: &[String]) -> Verdict {
    let native_full = twins
        .cases
        .first()
        .map(|(_, _, n)| n.log.as_slice())
        .unwrap_or(&[]);
    if native_full.last().is_some_and(|e| e == "-- stuck") {
        return Verdict::Invalid("the async fn never finishes".into());
    }
    if !memcheck.is_empty() {
        return Verdict::Differs(Kind::Memcheck, memcheck.join(" | "));
    }
    if let Some(diff) = difference(twins) {
        let kind = if diff.starts_with("size:") {
            Kind::Size
        } else {
            Kind::Behaviour
        };
        return Verdict::Differs(kind, diff);
    }
    Verdict::Same {
        suspensions: native_full.iter().filter(|e| *e == "~pending").count(),
        size_co: twins.size_co,
        size_native: twins.size_native,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAME: &str = "BEGIN\t0\n\
        CASE\t0\tfull\tco\tnew d0=1;w1=2;~pending;w1 ready;drop w1;-- ready Ok(2);drop d0\n\
        CASE\t0\tfull\tnative\tnew d0=1;w1=2;~pending;w1 ready;drop w1;-- ready Ok(2);drop d0\n\
        CASE\t0\tcancel@0\tco\tnew d0=1;-- cancelled;drop d0\n\
        CASE\t0\tcancel@0\tnative\tnew d0=1;-- cancelled;drop d0\n\
        SIZE\t0\t16\t24\n\
        END\t0\n";

    #[test]
    fn equal_observations_are_the_same() {
        let parsed = parse(SAME);
        assert_eq!(
            parsed.records,
            [(
                0,
                Verdict::Same {
                    suspensions: 1,
                    size_co: 16,
                    size_native: 24
                }
            )]
        );
    }

    #[test]
    fn an_injected_wrong_drop_order_is_a_divergence() {
        let wrong = SAME.replacen(
            "drop w1;-- ready Ok(2);drop d0",
            "drop d0;drop w1;-- ready Ok(2)",
            1,
        );
        let parsed = parse(&wrong);
        let [(0, Verdict::Differs(Kind::Behaviour, detail))] = parsed.records.as_slice() else {
            panic!("not reported: {:?}", parsed.records);
        };
        assert!(detail.starts_with("full: event 4 is `drop d0`"), "{detail}");
    }

    #[test]
    fn an_injected_wrong_cancellation_log_is_a_divergence() {
        let wrong = SAME.replacen("-- cancelled;drop d0\n", "-- cancelled\n", 1);
        let parsed = parse(&wrong);
        assert!(matches!(
            parsed.records.as_slice(),
            [(0, Verdict::Differs(Kind::Behaviour, d))] if d.starts_with("cancel@0:")
        ));
    }

    #[test]
    fn a_larger_coroutine_is_a_divergence() {
        let parsed = parse(&SAME.replace("SIZE\t0\t16\t24", "SIZE\t0\t32\t24"));
        assert!(matches!(
            parsed.records.as_slice(),
            [(0, Verdict::Differs(Kind::Size, _))]
        ));
    }

    #[test]
    fn valgrind_errors_inside_a_program_are_a_divergence() {
        let with_error = SAME.replacen("SIZE", "==123== Invalid read of size 8\nSIZE", 1);
        let parsed = parse(&with_error);
        assert!(matches!(
            parsed.records.as_slice(),
            [(0, Verdict::Differs(Kind::Memcheck, _))]
        ));
    }

    #[test]
    fn a_program_that_began_and_never_ended_is_the_last_begun() {
        let parsed = parse(&format!("{SAME}BEGIN\t1\nCASE\t1\tfull\tco\tnew d0=1\n"));
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.last_begun, Some(1));
    }
}
