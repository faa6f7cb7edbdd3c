use resumable::yield_;

#[resumable::coroutine]
fn numbers() -> impl Iterator<Item = u32> {
    yield_!(1);
    yield_!("two");
    yield_!(3);
}

fn main() {
    let _: Vec<u32> = numbers().collect();
}
