// `?` and an early `return` become transitions to `Done`.
#[resumable::coroutine]
fn parse_both(a: &str, b: &str) -> Result<u32, ParseIntError> {
    let x: u32 = a.parse()?;
    if x == 0 {
        return Ok(0);
    }
    let y: u32 = yield_await!(fetch(b))?;
    Ok(x + y)
}
