//! Differential testing of `#[resumable::coroutine]` against native `async fn`.
//!
//! Random, seeded programs (nested `if`/`match`/loops, labelled `break`/`continue` with
//! values, `let`-`else`, `?`, early `return`, shadowing, `yield_await!` in statement and
//! operand positions, drop-logging values moved, re-assigned and dropped, occasional
//! panics) are each written twice — as a `#[resumable::coroutine] fn` and as an
//! `async fn` — compiled in batches into one generated crate, and driven by the same
//! scripted awaitable. The twins must agree on every logged event, the returned value,
//! the drop order, what happens when the future is dropped after each possible number
//! of polls, and the coroutine's future must not be larger. A divergence is shrunk and
//! written as a regression test.
//!
//! ```no_run
//! let report = difftest::run(&difftest::Config { programs: 50, ..difftest::Config::default() });
//! println!("{}", report.summary());
//! assert!(report.divergences.is_empty());
//! ```

mod ast;
mod batch;
mod gen;
mod regress;
mod render;
mod rng;
#[allow(dead_code)] // also compiled into generated crates, which use all of it
mod runtime;
mod shrink;

pub use batch::Kind;

use batch::{Builder, Verdict};
use std::path::PathBuf;

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// The seed: program `i` of seed `s` is always the same program.
    pub seed: u64,
    /// How many programs.
    pub programs: u64,
    /// Programs per generated crate.
    pub batch: usize,
    /// Run the batches under valgrind memcheck too.
    pub valgrind: bool,
    /// Where to write regression tests for divergences (`None`: do not write them).
    pub regressions: Option<PathBuf>,
    /// Shrinking rounds per divergence (each round is one batch build).
    pub shrink_rounds: usize,
    /// The name of the generated crate's directory under `target/difftest/`.
    pub name: String,
}

impl Default for Config {
    /// Seed 1, 100 programs in batches of 150, no valgrind, no regression files,
    /// 12 shrinking rounds.
    ///
    /// ```
    /// let c = difftest::Config::default();
    /// assert_eq!(c.programs, 100);
    /// ```
    fn default() -> Self {
        Config {
            seed: 1,
            programs: 100,
            batch: 150,
            valgrind: false,
            regressions: None,
            shrink_rounds: 12,
            name: "batch".into(),
        }
    }
}

/// One divergence, shrunk.
#[derive(Clone, Debug)]
pub struct Divergence {
    /// What differed.
    pub kind: Kind,
    /// The first difference, on one line.
    pub detail: String,
    /// `seed/index` of the original program.
    pub origin: String,
    /// The shrunk coroutine twin, as source.
    pub reproducer: String,
    /// The regression test written for it, if any.
    pub test: Option<PathBuf>,
}

/// The two twins of program `index` of `seed`, as source (for `--show`).
///
/// ```
/// let text = difftest::show(1, 0);
/// assert!(text.contains("#[resumable::coroutine]"));
/// ```
pub fn show(seed: u64, index: u64) -> String {
    render::twins(&gen::program(seed, index), &format!("p{index}")).0
}

/// The counts of a run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Programs generated.
    pub programs: usize,
    /// Programs whose `async fn` twin was not a valid test, with why (a generator bug).
    pub invalid: Vec<(String, String)>,
    /// Suspension points covered: `Pending` polls over all full runs.
    pub suspensions: usize,
    /// The divergences found.
    pub divergences: Vec<Divergence>,
    /// `size_of` coroutine / `size_of` async fn, per program that agreed.
    pub ratios: Vec<f64>,
}

impl Report {
    /// The counts on a few lines.
    ///
    /// ```
    /// let text = difftest::Report::default().summary();
    /// assert!(text.contains("programs: 0"));
    /// ```
    pub fn summary(&self) -> String {
        let mut ratios = self.ratios.clone();
        ratios.sort_by(f64::total_cmp);
        let sizes = if ratios.is_empty() {
            "n/a".to_string()
        } else {
            format!(
                "min {:.3} / median {:.3} / max {:.3}",
                ratios[0],
                ratios[ratios.len() / 2],
                ratios[ratios.len() - 1]
            )
        };
        let mut text = format!(
            "programs: {}\ninvalid (generator bugs): {}\nsuspension points covered: {}\ndivergences: {}\nsize ratio coroutine/async fn: {sizes}\n",
            self.programs,
            self.invalid.len(),
            self.suspensions,
            self.divergences.len(),
        );
        for (origin, why) in self.invalid.iter().take(5) {
            text.push_str(&format!("  invalid {origin}: {why}\n"));
        }
        for d in &self.divergences {
            text.push_str(&format!("  {:?} in {}: {}\n", d.kind, d.origin, d.detail));
            if let Some(test) = &d.test {
                text.push_str(&format!("    regression test: {}\n", test.display()));
            }
        }
        text
    }
}

/// Generates, builds, runs and compares `config.programs` programs; shrinks each
/// divergence and (if asked) writes it as a regression test.
///
/// ```no_run
/// let report = difftest::run(&difftest::Config { seed: 7, programs: 10, ..Default::default() });
/// assert_eq!(report.programs, 10);
/// ```
pub fn run(config: &Config) -> Report {
    let mut builder = Builder::new(&config.name);
    builder.valgrind = config.valgrind;
    let programs: Vec<ast::Program> = (0..config.programs).map(|i| gen::program(config.seed, i)).collect();
    let mut report = Report {
        programs: programs.len(),
        ..Report::default()
    };
    for chunk in programs.chunks(config.batch.max(1)) {
        let verdicts = builder.evaluate(chunk);
        collect(&mut report, &builder, config, chunk, verdicts);
    }
    report
}

fn collect(report: &mut Report, builder: &Builder, config: &Config, programs: &[ast::Program], verdicts: Vec<Verdict>) {
    for (program, verdict) in programs.iter().zip(verdicts) {
        match verdict {
            Verdict::Same {
                suspensions,
                size_co,
                size_native,
            } => {
                report.suspensions += suspensions;
                report.ratios.push(size_co as f64 / size_native.max(1) as f64);
            }
            Verdict::Invalid(why) => report.invalid.push((program.origin.clone(), why)),
            Verdict::Differs(kind, detail) => {
                // Shrinking reruns the program without valgrind unless that is the point.
                let mut shrinker = builder.clone();
                shrinker.dir = builder.dir.with_extension("shrink");
                shrinker.valgrind = kind == Kind::Memcheck;
                let shrunk = shrink::shrink(&shrinker, program, kind, &detail, config.shrink_rounds);
                let detail = match shrinker.evaluate(std::slice::from_ref(&shrunk)).pop() {
                    Some(Verdict::Differs(_, d)) => d,
                    _ => detail,
                };
                let test = config
                    .regressions
                    .as_ref()
                    .and_then(|dir| regress::write(dir, &shrunk, kind, &detail).ok());
                report.divergences.push(Divergence {
                    kind,
                    detail,
                    origin: program.origin.clone(),
                    reproducer: render::function(&shrunk, "coroutine", render::Twin::Coroutine),
                    test,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_program_renders_as_two_twins() {
        let p = gen::program(1, 0);
        let (text, [co, native]) = render::twins(&p, "p");
        assert!(text.contains("#[resumable::coroutine]\nfn p_co("));
        assert!(text.contains("async fn p_native("));
        assert_eq!(co.end, native.start);
        assert_eq!(native.end, text.lines().count());
    }

    #[test]
    fn generation_is_reproducible() {
        assert_eq!(gen::program(5, 3), gen::program(5, 3));
        assert_ne!(gen::program(5, 3), gen::program(5, 4));
    }
}
