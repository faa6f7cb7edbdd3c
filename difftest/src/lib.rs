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
///
/// ```
/// let quick = difftest::Config { seed: 2026, programs: 300, ..Default::default() };
/// assert_eq!(quick.batch, 150);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// The seed: program `i` of seed `s` is always the same program.
    pub seed: u64,
    /// The index of the first program (to rerun one program: `first: i, programs: 1`).
    pub first: u64,
    /// How many programs.
    pub programs: u64,
    /// When not empty, run just these programs of the seed (`first` and `programs` unused).
    pub only: Vec<u64>,
    /// Programs per generated crate.
    pub batch: usize,
    /// Run the batches under valgrind memcheck too.
    pub valgrind: bool,
    /// The edition the programs are compiled in (both twins): `"2021"` by default.
    pub edition: String,
    /// Where to write regression tests for divergences (`None`: do not write them).
    pub regressions: Option<PathBuf>,
    /// Shrinking rounds per divergence (each round is one batch build).
    pub shrink_rounds: usize,
    /// The name of the generated crate's directory under `target/difftest/`.
    pub name: String,
    /// Divergences already recorded (see [`known_divergences`]): counted, not shrunk.
    pub known: Vec<(Kind, String)>,
    /// At most this many new divergences are shrunk (one per distinct detail).
    pub shrink_limit: usize,
    /// For testing the harness itself: every native twin logs one extra event, so every
    /// program must be reported as a divergence.
    pub inject: bool,
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
            first: 0,
            programs: 100,
            only: Vec::new(),
            batch: 150,
            valgrind: false,
            edition: "2021".into(),
            regressions: None,
            shrink_rounds: 12,
            name: "batch".into(),
            known: Vec::new(),
            shrink_limit: 10,
            inject: false,
        }
    }
}

/// The patterns of `difftest/KNOWN_DIVERGENCES.md`: every line
/// `` pattern: <Kind> | <text> `` says that a divergence of that kind whose detail
/// contains the text is known; `` pattern: <Kind> | program <seed>/<index> `` names one
/// program whose divergence of that kind is known (for a class whose details have
/// nothing of their own to match).
///
/// ```
/// use difftest::{known_divergences, Kind};
/// let known = known_divergences("pattern: Compile | cannot find macro\nother text\n");
/// assert_eq!(known, [(Kind::Compile, "cannot find macro".to_string())]);
/// ```
pub fn known_divergences(markdown: &str) -> Vec<(Kind, String)> {
    markdown
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pattern:"))
        .filter_map(|rest| {
            let (kind, text) = rest.split_once('|')?;
            let kind = match kind.trim() {
                "Compile" => Kind::Compile,
                "Behaviour" => Kind::Behaviour,
                "Size" => Kind::Size,
                "Crash" => Kind::Crash,
                "Memcheck" => Kind::Memcheck,
                _ => return None,
            };
            Some((kind, text.trim().trim_matches('`').to_string()))
        })
        .collect()
}

/// The contents of `difftest/KNOWN_DIVERGENCES.md`.
///
/// ```
/// assert!(!difftest::KNOWN_DIVERGENCES.is_empty());
/// ```
pub const KNOWN_DIVERGENCES: &str = include_str!("../KNOWN_DIVERGENCES.md");

/// One divergence (shrunk when it was new).
///
/// ```no_run
/// let report = difftest::run(&difftest::Config::default());
/// for d in report.new_divergences() {
///     println!("{:?} in {}: {}\n{}", d.kind, d.origin, d.detail, d.reproducer);
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Divergence {
    /// What differed.
    pub kind: Kind,
    /// Whether it matches a pattern of [`Config::known`].
    pub known: bool,
    /// The first difference, on one line.
    pub detail: String,
    /// `seed/index` of the original program.
    pub origin: String,
    /// The (shrunk, if new) coroutine twin, as source.
    pub reproducer: String,
    /// Whether `reproducer` was shrunk.
    pub reproducer_shrunk: bool,
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
///
/// ```no_run
/// let report = difftest::run(&difftest::Config { programs: 20, ..Default::default() });
/// assert!(report.suspensions > 0);
/// print!("{}", report.summary());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Programs generated.
    pub programs: usize,
    /// Programs whose `async fn` twin was not a valid test, with why (a generator bug).
    pub invalid: Vec<(String, String)>,
    /// Suspension points covered: `Pending` polls over the full runs of the programs
    /// whose twins agree.
    pub suspensions: usize,
    /// The divergences found.
    pub divergences: Vec<Divergence>,
    /// `size_of` coroutine / `size_of` async fn, per program that agreed.
    pub ratios: Vec<f64>,
    signatures: Vec<String>,
}

impl Report {
    /// The divergences no known pattern matches.
    ///
    /// ```
    /// assert_eq!(difftest::Report::default().new_divergences().count(), 0);
    /// ```
    pub fn new_divergences(&self) -> impl Iterator<Item = &Divergence> {
        self.divergences.iter().filter(|d| !d.known)
    }

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
            "programs: {}\ninvalid (generator bugs): {}\nsuspension points covered (programs that agree): {}\ndivergences: {}\nsize ratio coroutine/async fn: {sizes}\n",
            self.programs,
            self.invalid.len(),
            self.suspensions,
            self.divergences.len(),
        );
        let new = self.new_divergences().count();
        text.push_str(&format!(
            "  new: {new}, known: {}\n",
            self.divergences.len() - new
        ));
        for (origin, why) in self.invalid.iter().take(5) {
            text.push_str(&format!("  invalid {origin}: {why}\n"));
        }
        for d in self.new_divergences() {
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
    builder.edition = config.edition.clone();
    let indices: Vec<u64> = if config.only.is_empty() {
        (config.first..config.first + config.programs).collect()
    } else {
        config.only.clone()
    };
    let programs: Vec<ast::Program> = indices
        .into_iter()
        .map(|i| ast::Program {
            inject: config.inject,
            ..gen::program(config.seed, i)
        })
        .collect();
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

fn collect(
    report: &mut Report,
    builder: &Builder,
    config: &Config,
    programs: &[ast::Program],
    verdicts: Vec<Verdict>,
) {
    for (program, verdict) in programs.iter().zip(verdicts) {
        match verdict {
            Verdict::Same {
                suspensions,
                size_co,
                size_native,
            } => {
                report.suspensions += suspensions;
                report
                    .ratios
                    .push(size_co as f64 / size_native.max(1) as f64);
            }
            Verdict::Invalid(why) => report.invalid.push((program.origin.clone(), why)),
            Verdict::Differs(kind, detail) => {
                let known = is_known(&config.known, kind, &detail)
                    || is_known(&config.known, kind, &format!("program {}", program.origin));
                let signature = signature(kind, &detail);
                let shrunk_before = report
                    .divergences
                    .iter()
                    .filter(|d| !d.known && d.reproducer_shrunk)
                    .count();
                let seen = report.signatures.contains(&signature);
                report.signatures.push(signature);
                let mut divergence = Divergence {
                    kind,
                    known,
                    detail,
                    origin: program.origin.clone(),
                    reproducer: render::function(program, "coroutine", render::Twin::Coroutine),
                    reproducer_shrunk: false,
                    test: None,
                };
                if !known && !seen && shrunk_before < config.shrink_limit {
                    shrink_and_record(&mut divergence, builder, config, program);
                }
                report.divergences.push(divergence);
            }
        }
    }
}

fn is_known(known: &[(Kind, String)], kind: Kind, detail: &str) -> bool {
    known
        .iter()
        .any(|(k, pattern)| *k == kind && detail.contains(pattern.as_str()))
}

/// The detail with numbers blanked: divergences with the same signature are most likely
/// the same bug, so only the first is shrunk.
fn signature(kind: Kind, detail: &str) -> String {
    let blanked: String = detail
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    format!("{kind:?} {blanked}")
}

fn shrink_and_record(
    d: &mut Divergence,
    builder: &Builder,
    config: &Config,
    program: &ast::Program,
) {
    // Shrinking reruns the program without valgrind unless that is the point.
    let mut shrinker = builder.clone();
    shrinker.dir = builder.dir.with_extension("shrink");
    shrinker.valgrind = d.kind == Kind::Memcheck;
    let shrunk = shrink::shrink(
        &shrinker,
        program,
        d.kind,
        &d.detail,
        &config.known,
        config.shrink_rounds,
    );
    if let Some(Verdict::Differs(_, detail)) =
        shrinker.evaluate(std::slice::from_ref(&shrunk)).pop()
    {
        d.detail = detail;
    }
    d.test = config
        .regressions
        .as_ref()
        .and_then(|dir| regress::write(dir, &shrunk, d.kind, &d.detail).ok());
    d.reproducer = render::function(&shrunk, "coroutine", render::Twin::Coroutine);
    d.reproducer_shrunk = true;
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
