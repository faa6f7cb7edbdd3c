//! Machine cost of `#[resumable::coroutine]` against rustc's `async fn` (issue 9), body by
//! body over the corpus in `corpus.rs`.
//!
//! ```sh
//! machine_cost list                     # the bodies, one a line
//! machine_cost sizes                    # name, size_of coroutine, size_of async fn (TSV)
//! machine_cost check                    # both machines of every body give the same output
//! machine_cost drive NAME co|native N   # build and drive one machine N times
//! ```
//!
//! `bench/run` runs `drive` under `valgrind --tool=callgrind --toggle-collect='*drive_n*'`
//! so that only the building and driving of the machines is counted, never the process
//! around them.

mod corpus;
mod harness;

use std::process::ExitCode;

use corpus::{Body, CORPUS};

fn find(name: &str) -> Option<&'static Body> {
    CORPUS.iter().find(|body| body.name == name)
}

fn usage() -> ExitCode {
    eprintln!("usage: machine_cost list | sizes | check | drive NAME co|native N");
    ExitCode::from(2)
}

/// The bodies whose two machines disagree on the output.
fn mismatches() -> Vec<String> {
    CORPUS
        .iter()
        .filter_map(|body| {
            let (co, native) = ((body.run_co)(1), (body.run_native)(1));
            (co != native).then(|| format!("{}: coroutine {co}, async fn {native}", body.name))
        })
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["list"] => CORPUS.iter().for_each(|body| println!("{}", body.name)),
        ["sizes"] => {
            println!("body\tcoroutine\tasync_fn");
            for body in CORPUS {
                println!(
                    "{}\t{}\t{}",
                    body.name,
                    (body.size_co)(),
                    (body.size_native)()
                );
            }
        }
        ["check"] => {
            let bad = mismatches();
            for line in &bad {
                eprintln!("{line}");
            }
            if !bad.is_empty() {
                return ExitCode::FAILURE;
            }
            println!("{} bodies: both machines agree", CORPUS.len());
        }
        ["drive", name, kind, n] => {
            let (Some(body), Ok(n)) = (find(name), n.parse::<usize>()) else {
                return usage();
            };
            let out = match *kind {
                "co" => (body.run_co)(n),
                "native" => (body.run_native)(n),
                _ => return usage(),
            };
            println!("{out}");
        }
        _ => return usage(),
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_machines_of_every_body_give_the_same_output() {
        assert_eq!(mismatches(), Vec::<String>::new());
    }

    #[test]
    fn the_corpus_has_at_least_thirty_distinct_bodies() {
        let mut names: Vec<_> = CORPUS.iter().map(|body| body.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CORPUS.len(), "duplicate names");
        assert!(names.len() >= 30, "{} bodies", names.len());
    }

    #[test]
    fn a_chain_body_completes_after_one_suspension_per_level() {
        // chain_9 is ten calls deep and suspends once per level: each level adds 1.
        let out = harness::block_on(corpus::chain_9::co::body(1));
        assert_eq!(out, 1 + 10);
    }
}
