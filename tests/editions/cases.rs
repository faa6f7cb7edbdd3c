//! The cases, compiled only for the test.

use resumable::{coroutine_block, yield_await};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Pending once, then ready.
struct Once(bool);

impl Future for Once {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Counts the characters of both strings after a yield.
#[resumable::coroutine]
fn elided(a: &str, b: &mut String) -> usize {
    yield_await!(Once(false));
    b.push_str(a);
    b.len()
}

/// Returns the longer string after a yield.
#[resumable::coroutine]
fn named<'a, 'b: 'a>(a: &'a str, b: &'b str) -> &'a str {
    yield_await!(Once(false));
    if a.len() < b.len() {
        return b;
    }
    a
}

/// A struct with a lifetime.
struct Holder<'a, T> {
    /// What it holds.
    items: &'a mut Vec<T>,
}

impl<'a, T: Clone> Holder<'a, T> {
    /// Pushes `item` twice, with a yield in between.
    #[resumable::coroutine]
    fn push_twice(&mut self, item: T) -> usize {
        self.items.push(item.clone());
        yield_await!(Once(false));
        self.items.push(item);
        self.items.len()
    }
}

/// A trait with coroutine methods.
trait Service {
    /// Declared only.
    #[resumable::coroutine]
    fn call(&self, x: u32) -> u32;

    /// With a default body.
    #[resumable::coroutine]
    fn call_twice(&self, x: u32) -> u32 {
        let a = yield_await!(self.call(x));
        a + yield_await!(self.call(x))
    }
}

/// Adds one.
struct AddOne;

impl Service for AddOne {
    #[resumable::coroutine]
    fn call(&self, x: u32) -> u32 {
        yield_await!(Once(false));
        x + 1
    }
}

/// A move block capturing an argument.
fn block(n: u32) -> impl Future<Output = u32> {
    coroutine_block!(move {
        yield_await!(Once(false));
        n * 2
    })
}

/// A future that borrows a buffer: pending once, then pushes a byte.
struct Fill<'a>(&'a mut Vec<u8>, bool);

impl Future for Fill<'_> {
    type Output = usize;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        if self.1 {
            self.0.push(1);
            Poll::Ready(self.0.len())
        } else {
            self.1 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Borrows across yields: a future borrowing a local, a reference held across a yield,
/// an iterator over a local, a closure over a borrowed local.
#[resumable::coroutine]
fn borrowing(times: usize) -> usize {
    let mut buf = Vec::new();
    for _ in 0..times {
        yield_await!(Fill(&mut buf, false));
    }
    let first = &buf;
    let words = vec![1usize, 2, 3];
    let mut total = 0;
    for w in words.iter() {
        yield_await!(Once(false));
        total += w;
    }
    let len = || first.len();
    total + len()
}

/// A `&mut self` method whose future reborrows a field across the yield.
struct Conn {
    /// The bytes read so far.
    buf: Vec<u8>,
}

impl Conn {
    /// Fills its buffer twice.
    #[resumable::coroutine]
    fn fill_twice(&mut self) -> usize {
        yield_await!(Fill(&mut self.buf, false));
        yield_await!(Fill(&mut self.buf, false))
    }
}

/// Polls `fut` to completion.
fn block_on<F: Future>(fut: F) -> F::Output {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut fut = Box::pin(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

std::thread_local! {
    /// What the `Noisy` values dropped, in order.
    static DROPS: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Logs its drop.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        DROPS.with(|d| d.borrow_mut().push(self.0));
    }
}

fn keep(_: &Noisy, v: u32) -> u32 {
    v
}

/// The temporaries of the body's value drop in this edition's order (before the block's
/// locals from 2024, after them before), and before the arguments.
#[resumable::coroutine]
fn tail_temporary(arg: Noisy, pause: bool) -> u32 {
    let _local = Noisy("local");
    if pause {
        yield_await!(Once(false));
    }
    let _ = &arg;
    keep(&Noisy("temporary"), 1)
}

async fn tail_temporary_native(arg: Noisy, pause: bool) -> u32 {
    let _local = Noisy("local");
    if pause {
        Once(false).await;
    }
    let _ = &arg;
    keep(&Noisy("temporary"), 1)
}

/// A temporary made before a yield of a block's tail, held across it: it drops in this
/// edition's order too, when the coroutine completes and when it is dropped at the yield.
#[resumable::coroutine]
fn tail_temporary_across_a_yield(arg: Noisy) -> u32 {
    let _local = Noisy("local");
    let inner = {
        let _inner_local = Noisy("inner local");
        keep(&Noisy("inner temporary"), {
            yield_await!(Once(false));
            1
        })
    };
    let _ = &arg;
    keep(&Noisy("temporary"), {
        yield_await!(Once(false));
        2
    }) + inner
}

async fn tail_temporary_across_a_yield_native(arg: Noisy) -> u32 {
    let _local = Noisy("local");
    let inner = {
        let _inner_local = Noisy("inner local");
        keep(&Noisy("inner temporary"), {
            Once(false).await;
            1
        })
    };
    let _ = &arg;
    keep(&Noisy("temporary"), {
        Once(false).await;
        2
    }) + inner
}

/// A `Noisy` made after what it takes is evaluated.
fn made_after(_: u32) -> Noisy {
    Noisy("tail after")
}

/// Pending once, then `v`.
async fn pend(v: u32) -> u32 {
    Once(false).await;
    v
}

/// Blocks among a statement's operands whose tails borrow temporaries: before 2024 these
/// live to the end of the statement, across its yields; since, to the block's end. The
/// body's tail makes temporaries before and after its yield: they drop in reverse order.
#[resumable::coroutine]
fn operand_block_temporaries(arg: Noisy) -> u32 {
    let _local = Noisy("local");
    let a = yield_await!(pend({
        let _in = Noisy("in awaited");
        keep(&Noisy("awaited tail"), 1)
    }));
    let b = {
        let _in = Noisy("in operand");
        keep(&Noisy("operand tail"), 2)
    } + yield_await!(pend(20));
    let c = {
        let _in = Noisy("in yielding");
        let v = yield_await!(pend(3));
        keep(&Noisy("yielding tail"), v)
    } + keep(&Noisy("after"), yield_await!(pend(30)));
    let _ = &arg;
    keep(&Noisy("tail before"), a) + keep(&made_after(yield_await!(pend(b))), b) + c
}

async fn operand_block_temporaries_native(arg: Noisy) -> u32 {
    let _local = Noisy("local");
    let a = pend({
        let _in = Noisy("in awaited");
        keep(&Noisy("awaited tail"), 1)
    })
    .await;
    let b = {
        let _in = Noisy("in operand");
        keep(&Noisy("operand tail"), 2)
    } + pend(20).await;
    let c = {
        let _in = Noisy("in yielding");
        let v = pend(3).await;
        keep(&Noisy("yielding tail"), v)
    } + keep(&Noisy("after"), pend(30).await);
    let _ = &arg;
    keep(&Noisy("tail before"), a) + keep(&made_after(pend(b).await), b) + c
}

/// A block with a yield among the operands of the body's value: its tail's temporaries
/// drop with the body's value's before 2024 (after the body's locals), at its end since.
#[resumable::coroutine]
fn tail_operand_block(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let v = yield_await!(pend(1));
        keep(&Noisy("operand block tail"), v)
    })
}

async fn tail_operand_block_native(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let v = pend(1).await;
        keep(&Noisy("operand block tail"), v)
    })
}

/// The same, with the yield inside the tail's temporary (it is made after the yield, in
/// the block the expansion makes of a tail with yields). Regression: difftest seed 77
/// program 196, where it dropped before the body's locals on 2018 and 2021.
#[resumable::coroutine]
fn tail_operand_block_yield_in_temporary(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let _in = Noisy("in operand block");
        keep(&made_after(yield_await!(pend(1))), 2)
    })
}

async fn tail_operand_block_yield_in_temporary_native(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let _in = Noisy("in operand block");
        keep(&made_after(pend(1).await), 2)
    })
}

/// The same, with the tail's temporary made before the tail's yield and kept across it.
/// Regression: difftest seed 11 programs 125, 7861, 9715 (class 19).
#[resumable::coroutine]
fn tail_operand_block_kept_across_its_yield(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let _in = Noisy("in operand block");
        keep(&Noisy("kept across"), yield_await!(pend(1)))
    })
}

async fn tail_operand_block_kept_across_its_yield_native(arg: Noisy) -> Option<u32> {
    let _local = Noisy("local");
    let _ = &arg;
    Some({
        let _in = Noisy("in operand block");
        keep(&Noisy("kept across"), pend(1).await)
    })
}

/// A `for` loop as the body's tail: its head's temporaries drop when the loop ends, before
/// the body's locals, on every edition (rustc scopes the head as its own). Regression:
/// difftest seed 14 programs 5604 and 9935 (class 21), where the temporary kept across the
/// head's yield outlived the locals on 2018 and 2021, as a tail's temporary does.
#[resumable::coroutine]
fn tail_for_loop_head(arg: Noisy) {
    let _local = Noisy("local");
    let _ = &arg;
    for i in 0..keep(&Noisy("head"), yield_await!(pend(2))) {
        let _ = i;
    }
}

async fn tail_for_loop_head_native(arg: Noisy) {
    let _local = Noisy("local");
    let _ = &arg;
    for i in 0..keep(&Noisy("head"), pend(2).await) {
        let _ = i;
    }
}

/// The same with the yields in the loop's body, the head's temporary held through them.
#[resumable::coroutine]
fn tail_for_loop_body_yields(arg: Noisy) {
    let _local = Noisy("local");
    let _ = &arg;
    for i in 0..keep(&Noisy("head"), 2) {
        yield_await!(pend(i));
    }
}

async fn tail_for_loop_body_yields_native(arg: Noisy) {
    let _local = Noisy("local");
    let _ = &arg;
    for i in 0..keep(&Noisy("head"), 2) {
        pend(i).await;
    }
}

/// Polls `fut` `polls` times (at most to completion), then drops it.
#[cfg(test)]
fn poll_then_drop<F: Future>(fut: F, polls: usize) {
    let mut fut = std::pin::pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..polls {
        if fut.as_mut().poll(&mut cx).is_ready() {
            break;
        }
    }
}

/// The drops `run` makes.
#[cfg(test)]
fn drops(run: impl FnOnce()) -> Vec<&'static str> {
    DROPS.with(|d| d.borrow_mut().clear());
    run();
    DROPS.with(|d| d.borrow_mut().drain(..).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_temporaries_drop_in_this_editions_order_like_async_fn() {
        for pause in [false, true] {
            assert_eq!(
                drops(|| {
                    block_on(tail_temporary(Noisy("arg"), pause));
                }),
                drops(|| {
                    block_on(tail_temporary_native(Noisy("arg"), pause));
                }),
                "pause: {pause}"
            );
        }
    }

    /// The same drops from the coroutine and its `async fn` twin, each dropped after 0, 1,
    /// .. `polls - 1` polls (at most to completion).
    fn same_drops<C: Future, N: Future>(co: fn(Noisy) -> C, native: fn(Noisy) -> N, polls: usize) {
        for polls in 0..polls {
            assert_eq!(
                drops(|| poll_then_drop(co(Noisy("arg")), polls)),
                drops(|| poll_then_drop(native(Noisy("arg")), polls)),
                "polls: {polls}"
            );
        }
    }

    #[test]
    fn temporaries_held_across_a_yield_in_a_tail_drop_in_this_editions_order() {
        same_drops(
            tail_temporary_across_a_yield,
            tail_temporary_across_a_yield_native,
            4,
        );
    }

    #[test]
    fn temporaries_of_an_operand_blocks_tail_drop_in_this_editions_order() {
        same_drops(
            operand_block_temporaries,
            operand_block_temporaries_native,
            7,
        );
        assert_eq!(block_on(operand_block_temporaries(Noisy("arg"))), 56);
        same_drops(tail_operand_block, tail_operand_block_native, 3);
        same_drops(
            tail_operand_block_yield_in_temporary,
            tail_operand_block_yield_in_temporary_native,
            3,
        );
        same_drops(
            tail_operand_block_kept_across_its_yield,
            tail_operand_block_kept_across_its_yield_native,
            3,
        );
    }

    #[test]
    fn a_for_loops_head_temporaries_drop_with_the_loop_also_as_a_tail() {
        same_drops(tail_for_loop_head, tail_for_loop_head_native, 3);
        same_drops(
            tail_for_loop_body_yields,
            tail_for_loop_body_yields_native,
            4,
        );
    }

    #[test]
    fn every_shape_compiles_and_runs_on_this_edition() {
        let mut s = String::from("x");
        assert_eq!(block_on(elided("ab", &mut s)), 3);
        assert_eq!(block_on(named("abc", "d")), "abc");
        let mut v = vec![1];
        assert_eq!(block_on(Holder { items: &mut v }.push_twice(2)), 3);
        assert_eq!(block_on(AddOne.call_twice(1)), 4);
        assert_eq!(block_on(block(21)), 42);
        assert_eq!(block_on(borrowing(2)), 6 + 2);
        let mut conn = Conn { buf: Vec::new() };
        assert_eq!(block_on(conn.fill_twice()), 2);
    }
}
