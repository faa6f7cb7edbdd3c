use resumable::{for_await, yield_, yield_await, Stream};

#[resumable::coroutine]
fn ticks() -> impl Stream<Item = u32> {
    yield_await!(async {}); // an `async` block is not `Unpin`, so neither is `ticks()`
    yield_!(1);
}

#[resumable::coroutine]
fn sum() -> u32 {
    let mut total = 0;
    for_await!(n in ticks() {
        total += n;
    });
    total
}

fn main() {
    let _ = sum();
}
