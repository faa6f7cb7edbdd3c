use resumable::yield_;

// A generator is an `Iterator`: it may move between items, so it cannot keep a
// reference to its own local across `yield_!` (rustc's `gen` blocks cannot either).
#[resumable::coroutine]
fn lengths() -> impl Iterator<Item = usize> {
    let names = vec![String::from("ada"), String::from("grace")];
    let first = &names[0];
    yield_!(first.len());
    yield_!(first.len() + names.len());
}

fn main() {
    let _ = lengths();
}
