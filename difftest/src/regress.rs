//! Writing a shrunk divergence as a regression test, `tests/regressions_<kind>_<seed>_<n>.rs`
//! in the root package: the two twins, and a test that observes them with the same
//! runtime as the harness, marked `#[ignore = "divergence: .."]` until the macro is fixed.

use crate::ast::Program;
use crate::batch::Kind;
use crate::render::{function, Twin};
use std::path::{Path, PathBuf};

/// The file name and text of the regression test for `program`.
pub fn test_file(program: &Program, kind: Kind, detail: &str) -> (String, String) {
    let tag = format!("{kind:?}").to_lowercase();
    let origin = program.origin.replace(['/', '-', '.'], "_");
    let file = format!("regressions_{tag}_{origin}.rs");
    let detail_line: String = detail
        .chars()
        .map(|c| {
            if c == '"' || c == '\\' || c == '\n' {
                '\''
            } else {
                c
            }
        })
        .take(160)
        .collect();
    let compiles = kind != Kind::Compile;
    let gate = if compiles {
        ""
    } else {
        "#[cfg(difftest_compile_divergence)]\n"
    };
    let observe = format!(
        "observe(&|| coroutine(D::new({d}), {a}), &|| native(D::new({d}), {a}), &{s:?})",
        d = program.arg_d,
        a = program.arg_i,
        s = program.script
    );
    let in_format = detail_line.replace('{', "{{").replace('}', "}}");
    let body = if compiles {
        format!("    assert_same(&{observe});\n")
    } else {
        format!(
            "    #[cfg(difftest_compile_divergence)]\n    assert_same(&{observe});\n    \
             #[cfg(not(difftest_compile_divergence))]\n    \
             panic!(\"the coroutine twin does not compile (see it with RUSTFLAGS='--cfg difftest_compile_divergence'): {in_format}\");\n"
        )
    };
    let text = format!(
        "//! A divergence between `#[resumable::coroutine]` and `async fn` found by `difftest`\n\
         //! (program {origin_raw}, shrunk): {detail_line}\n\
         //! Written by the harness; see `difftest/KNOWN_DIVERGENCES.md`.\n\
         #![allow(warnings, clippy::all)]\n\n\
         #[path = \"../difftest/src/runtime.rs\"]\n\
         mod runtime;\n\
         use resumable::yield_await;\n\
         use runtime::*;\n\n\
         {gate}{co}\n\
         {native}\n\
         #[test]\n\
         #[ignore = \"divergence: {detail_line}\"]\n\
         fn coroutine_behaves_as_async_fn_{tag}_{origin}() {{\n\
         {body}}}\n",
        origin_raw = program.origin,
        co = function(program, "coroutine", Twin::Coroutine),
        native = function(program, "native", Twin::Native),
    );
    (file, text)
}

/// Writes the regression test for `program` into `dir`; returns its path.
pub fn write(dir: &Path, program: &Program, kind: Kind, detail: &str) -> std::io::Result<PathBuf> {
    let (file, text) = test_file(program, kind, detail);
    let path = dir.join(file);
    std::fs::write(&path, formatted(&text).unwrap_or(text))?;
    Ok(path)
}

/// `text` as rustfmt formats it, or `None` where rustfmt is missing or fails.
///
/// The repository keeps `cargo fmt --all --check` clean. The text goes through stdin,
/// so rustfmt does not try to follow the file's `#[path]` module to the shared runtime
/// (which only resolves from `tests/`, not from where the quick mode writes).
fn formatted(text: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).ok())?
}
