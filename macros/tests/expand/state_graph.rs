// `#[resumable::coroutine(graph)]`: the fn, and `countdown_graph()` next to it.
#[resumable::coroutine(graph)]
fn countdown(mut n: u32) -> u32 {
    let mut ticks = 0;
    while n > 0 {
        yield_await!(sleep(Duration::from_millis(10)));
        ticks += 1;
        n -= 1;
    }
    ticks
}
