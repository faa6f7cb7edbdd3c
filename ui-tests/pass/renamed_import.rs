// The documented workaround for the name clash with rustc's builtin `#[coroutine]`:
// import the attribute under another name.
use resumable::coroutine as co;
use resumable::yield_await;

#[co]
fn answer() -> u32 {
    yield_await!(std::future::ready(41)) + 1
}

fn main() {
    let _ = answer();
}
