use resumable::yield_await;

#[resumable::coroutine]
fn outer() -> u32 {
    fn inner() -> u32 {
        yield_await!(std::future::ready(1))
    }
    inner()
}

fn main() {
    let _ = outer();
}
