use resumable::yield_;

fn not_a_generator() -> impl Iterator<Item = u32> {
    yield_!(1);
    std::iter::empty()
}

fn main() {
    let _ = not_a_generator();
}
