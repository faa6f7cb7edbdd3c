// A value computed from a local (not a reference into it) may be kept across a yield.
use resumable::yield_await;
use std::future::ready;

#[resumable::coroutine]
fn first_len() -> usize {
    let names = vec![String::from("ada"), String::from("grace")];
    let n = names.len();
    let first = names[0].clone();
    yield_await!(ready(()));
    n + first.len() + names.len()
}

fn main() {
    let _ = first_len();
}
