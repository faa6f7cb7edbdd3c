use resumable::yield_;
use std::rc::Rc;

#[resumable::coroutine]
fn holds_an_rc() -> impl Iterator<Item = u32> {
    let shared = Rc::new(1);
    yield_!(*shared);
    yield_!(*shared + 1);
}

fn needs_send<T: Send>(_: T) {}

fn main() {
    needs_send(holds_an_rc());
}
