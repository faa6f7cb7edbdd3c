use resumable::yield_await;

#[resumable::coroutine]
fn countdown(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    yield_await!(countdown(n - 1)) + 1
}

fn main() {
    let _ = countdown(3);
}
