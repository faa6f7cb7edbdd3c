use resumable::for_await;

#[resumable::coroutine]
fn sum(items: Vec<u32>) -> u32 {
    let mut total = 0;
    for_await!(n in items {
        total += n;
    });
    total
}

fn main() {
    let _ = sum(vec![1]);
}
