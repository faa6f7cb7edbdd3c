#[resumable::coroutine]
struct NotAFunction {
    field: u32,
}

fn main() {}
