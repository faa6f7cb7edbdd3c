//! A `#[resumable::coroutine]` fn behaves exactly as the same body written as an
//! `async fn`: on a few hundred random programs (fixed seeds), the twins log the same
//! events in the same order, return the same value, drop the same values in the same
//! order, behave the same when dropped after every possible number of polls, and the
//! coroutine's future is never larger. (The long mode: `cargo run -p difftest -- --programs
//! 10000`, see `difftest/README.md`.)
//!
//! Divergences already recorded in `difftest/KNOWN_DIVERGENCES.md` are counted but do not
//! fail; a new one is shrunk, written as `tests/regressions_*.rs`, and fails.

use difftest::{known_divergences, run, Config, Kind, KNOWN_DIVERGENCES};
use std::path::Path;

fn quick(seed: u64, programs: u64) -> Config {
    Config {
        seed,
        programs,
        batch: 150,
        regressions: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")),
        known: known_divergences(KNOWN_DIVERGENCES),
        shrink_limit: 3,
        shrink_rounds: 10,
        name: format!("quick-{seed}"),
        ..Config::default()
    }
}

/// Runs `config` and checks that every program was valid, some suspended, and none
/// diverged in a way not yet recorded (each new divergence printed with its program).
fn assert_twins_agree(config: &Config) {
    let report = run(config);
    let summary = report.summary();
    println!("{summary}");
    assert_eq!(report.programs as u64, config.programs);
    assert!(
        report.invalid.is_empty(),
        "the generator wrote invalid programs:\n{summary}"
    );
    assert!(report.suspensions > 0, "no program suspended:\n{summary}");
    let new: Vec<_> = report
        .new_divergences()
        .map(|d| {
            format!(
                "{:?} in {}: {}\n{}",
                d.kind, d.origin, d.detail, d.reproducer
            )
        })
        .collect();
    assert!(
        new.is_empty(),
        "new divergences:\n{}\n{summary}",
        new.join("\n")
    );
}

#[test]
fn coroutines_behave_as_async_fns_on_random_programs() {
    assert_twins_agree(&quick(2026, 300));
}

/// The same in edition 2024, where a block's tail temporaries drop before its locals (the
/// expansion follows the user's edition). No regression files: `tests/` is built in
/// edition 2021; a divergence found here is shrunk and printed, and belongs in
/// `tests/editions/e2024`.
#[test]
fn coroutines_behave_as_async_fns_in_edition_2024() {
    assert_twins_agree(&Config {
        edition: "2024".into(),
        regressions: None,
        name: "quick-2024-e2024".into(),
        ..quick(2024, 150)
    });
}

#[test]
fn an_injected_divergence_is_found_and_shrunk_to_a_regression_test() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/difftest/injected-regressions");
    std::fs::create_dir_all(&out).unwrap();
    // Known compile divergences stay known (their twins never run); every program that
    // runs must diverge.
    let mut known = known_divergences(KNOWN_DIVERGENCES);
    known.retain(|(kind, _)| *kind == Kind::Compile);
    let config = Config {
        inject: true,
        known,
        shrink_limit: 1,
        shrink_rounds: 6,
        regressions: Some(out),
        ..quick(7, 3)
    };
    let report = run(&config);
    let summary = report.summary();
    assert_eq!(
        report.divergences.len(),
        3,
        "every program diverges:\n{summary}"
    );
    let shrunk = report
        .divergences
        .iter()
        .find(|d| d.kind == Kind::Behaviour && d.reproducer_shrunk)
        .unwrap_or_else(|| panic!("no behaviour divergence shrunk:\n{summary}"));
    assert!(
        shrunk.detail.contains("`t0=-1` in the async fn"),
        "{}",
        shrunk.detail
    );
    let test = std::fs::read_to_string(shrunk.test.as_ref().expect("a regression test")).unwrap();
    assert!(test.contains("#[ignore = \"divergence: "), "{test}");
    assert!(
        test.contains("#[resumable::coroutine]\nfn coroutine("),
        "{test}"
    );
    assert!(test.contains("assert_same(&observe("), "{test}");
}
