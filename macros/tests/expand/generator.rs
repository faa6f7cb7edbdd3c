// A generator: `yield_!` hands out values; the machine is an `Iterator`.
#[resumable::coroutine]
fn count(n: u32) -> impl Iterator<Item = u32> {
    for i in 0..n {
        yield_!(i);
    }
}
