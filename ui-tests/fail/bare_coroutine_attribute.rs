// On stable Rust, a bare `#[coroutine]` collides with rustc's builtin (unstable)
// attribute of the same name, even when imported. Write `#[resumable::coroutine]`.
use resumable::coroutine;
use resumable::yield_await;

#[coroutine]
fn bare() -> u32 {
    yield_await!(std::future::ready(1))
}

fn main() {
    let _ = bare();
}
