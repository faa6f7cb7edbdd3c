use resumable::yield_await;

#[resumable::coroutine]
fn prints() {
    println!("{}", yield_await!(std::future::ready(1)));
}

fn main() {
    let _ = prints();
}
