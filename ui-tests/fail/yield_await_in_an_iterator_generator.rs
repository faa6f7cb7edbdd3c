use resumable::{yield_, yield_await};

#[resumable::coroutine]
fn fetch_all(n: u32) -> impl Iterator<Item = u32> {
    for i in 0..n {
        let v = yield_await!(std::future::ready(i));
        yield_!(v);
    }
}

fn main() {
    let _ = fetch_all(3).count();
}
