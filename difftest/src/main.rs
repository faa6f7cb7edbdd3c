//! `cargo run -p difftest -- [--programs N] [--first I] [--only I,J,..] [--seed S] [--batch B] [--valgrind]
//! [--no-valgrind] [--edition 2018|2021|2024] [--write-regressions] [--shrink-rounds R] [--shrink-limit L] [--no-known] [--show N] [--list]`:
//! the long mode (see `difftest/README.md`). Prints the counts; fails on new divergences.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut config = difftest::Config {
        programs: 10_000,
        ..difftest::Config::default()
    };
    config.known = difftest::known_divergences(difftest::KNOWN_DIVERGENCES);
    config.shrink_limit = 20;
    // Memcheck is on by default when valgrind is installed (the runs are short; the
    // builds dominate).
    config.valgrind = std::process::Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut list = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> u64 {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--programs" => config.programs = value("--programs"),
            "--seed" => config.seed = value("--seed"),
            "--first" => config.first = value("--first"),
            "--only" => {
                let list = args.next().unwrap_or_default();
                config.only = list
                    .split(',')
                    .map(|i| {
                        i.trim()
                            .parse()
                            .expect("--only takes numbers: --only 3,17,40")
                    })
                    .collect();
            }
            "--batch" => config.batch = value("--batch") as usize,
            "--shrink-rounds" => config.shrink_rounds = value("--shrink-rounds") as usize,
            "--show" => {
                let index = value("--show");
                print!("{}", difftest::show(config.seed, index));
                return ExitCode::SUCCESS;
            }
            "--edition" => {
                let edition = args.next().unwrap_or_default();
                if !matches!(edition.as_str(), "2018" | "2021" | "2024") {
                    eprintln!("--edition takes 2018, 2021 or 2024, not {edition:?}");
                    return ExitCode::from(2);
                }
                config.edition = edition;
            }
            "--valgrind" => config.valgrind = true,
            "--no-valgrind" => config.valgrind = false,
            "--shrink-limit" => config.shrink_limit = value("--shrink-limit") as usize,
            "--no-known" => config.known.clear(),
            "--list" => list = true,
            "--write-regressions" => {
                let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent();
                let tests = root.expect("difftest is a workspace member").join("tests");
                config.regressions = Some(tests);
            }
            other => {
                eprintln!("unknown argument {other}; see difftest/README.md");
                return ExitCode::from(2);
            }
        }
    }
    if config.edition != "2021" && config.regressions.is_some() {
        // The regression tests live in the root package's `tests/`, built in edition 2021:
        // a program that diverges only in another edition would pass there.
        eprintln!(
            "--write-regressions writes edition 2021 tests; with --edition {} add the shrunk \
             program printed below to tests/editions/e{} by hand",
            config.edition, config.edition
        );
        return ExitCode::from(2);
    }
    config.name = if config.edition == "2021" {
        format!("long-{}", config.seed)
    } else {
        format!("long-{}-e{}", config.seed, config.edition)
    };
    let report = difftest::run(&config);
    print!("{}", report.summary());
    if list {
        // Every divergence, known ones included, with its program (unshrunk if known).
        for d in &report.divergences {
            println!(
                "--- {:?} in {}: {}\n{}",
                d.kind, d.origin, d.detail, d.reproducer
            );
        }
    }
    for d in report.new_divergences().filter(|d| d.reproducer_shrunk) {
        println!(
            "--- {:?} in {} (shrunk):\n{}",
            d.kind, d.origin, d.reproducer
        );
    }
    if report.new_divergences().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
