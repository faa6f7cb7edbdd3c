use resumable::yield_await;

#[resumable::coroutine]
fn first_len() -> usize {
    let names = vec![String::from("ada"), String::from("grace")];
    let first = &names[0];
    yield_await!(std::future::ready(()));
    first.len() + names.len()
}

fn main() {
    let _ = first_len();
}
