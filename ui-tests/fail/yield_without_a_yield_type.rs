use resumable::yield_;

#[resumable::coroutine]
fn countdown(n: u32) -> u32 {
    for i in (0..n).rev() {
        yield_!(i);
    }
    0
}

fn main() {
    let _ = countdown(3);
}
