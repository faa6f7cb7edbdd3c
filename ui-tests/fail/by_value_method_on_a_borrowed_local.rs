use resumable::yield_await;

// `cell` is borrowed across a yield point (by `guard`), so it lives at a fixed address in
// the coroutine's state, and the body uses it in place: a method that takes it by value
// needs it moved out first (`let cell = cell; cell.into_inner()`).
#[resumable::coroutine]
fn total() -> u32 {
    let cell = std::cell::RefCell::new(1);
    let guard = cell.borrow_mut();
    yield_await!(std::future::ready(()));
    drop(guard);
    cell.into_inner()
}

fn main() {
    let _ = total();
}
