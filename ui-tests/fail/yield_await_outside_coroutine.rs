use resumable::yield_await;

fn not_a_coroutine() -> u32 {
    yield_await!(std::future::ready(1))
}

fn main() {
    let _ = not_a_coroutine();
}
