use resumable::yield_await;

// Borrows across a yield point are checked as rustc checks the same `async fn`: here
// `buf` is borrowed mutably twice, and rustc says so, on the user's code.
#[resumable::coroutine]
fn fill() -> usize {
    let mut buf = Vec::new();
    let first = &mut buf;
    yield_await!(std::future::ready(()));
    buf.push(1);
    first.push(2);
    buf.len()
}

fn main() {
    let _ = fill();
}
