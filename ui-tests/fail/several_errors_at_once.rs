use resumable::yield_await;

#[resumable::coroutine]
fn two_mistakes() {
    let f = || yield_await!(std::future::ready(1));
    println!("{}", yield_await!(std::future::ready(2)));
    f();
}

fn main() {
    let _ = two_mistakes();
}
