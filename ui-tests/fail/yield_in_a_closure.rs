use resumable::yield_;

#[resumable::coroutine]
fn each(items: Vec<u32>) -> impl Iterator<Item = u32> {
    items.into_iter().for_each(|i| yield_!(i));
}

fn main() {
    let _ = each(vec![1]);
}
