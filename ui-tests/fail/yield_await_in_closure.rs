use resumable::yield_await;

#[resumable::coroutine]
fn in_closure() -> u32 {
    let f = || yield_await!(std::future::ready(1));
    f()
}

fn main() {
    let _ = in_closure();
}
