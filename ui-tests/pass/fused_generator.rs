//! A generator declared as an iterator is fused: after its first `None`, `next` keeps
//! returning `None` (it does not panic or restart).
use resumable::yield_;

#[resumable::coroutine]
fn one() -> impl Iterator<Item = u32> {
    yield_!(1);
}

fn main() {
    let mut g = one();
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), None);
    assert_eq!(g.next(), None);
    assert_eq!(g.next(), None);
}
