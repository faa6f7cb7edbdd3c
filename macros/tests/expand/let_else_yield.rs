// A yield in the `else` of a `let`-`else`.
#[resumable::coroutine]
fn f(o: Option<String>) -> usize {
    let Some(mut value) = o else {
        yield_await!(tick());
        return 0;
    };
    value.len()
}
