use resumable::yield_await;

#[resumable::coroutine]
async fn already_async() -> u32 {
    yield_await!(std::future::ready(1))
}

fn main() {
    let _ = already_async();
}
