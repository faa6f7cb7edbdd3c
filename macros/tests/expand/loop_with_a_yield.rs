// A loop whose body suspends: a loop-head state, a local kept across the yield.
#[resumable::coroutine]
fn countdown(mut n: u32) -> u32 {
    let mut ticks = 0;
    while n > 0 {
        yield_await!(sleep(Duration::from_millis(10)));
        ticks += 1;
        n -= 1;
    }
    ticks
}
