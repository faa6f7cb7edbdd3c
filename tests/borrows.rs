//! Borrowing across yield points, as `async fn` allows: a future that borrows a local
//! (`read(&mut buf)`), a reborrow of `&mut self` or of a `&mut` argument, a reference to
//! a local held across a yield, an iterator over a local, a guard borrowing a local
//! mutex. Each body runs as a coroutine and as the same `async fn`: same result, same
//! drop log, run to completion and cancelled after every number of polls.
#![deny(warnings)]
// The expansion of a borrowing body contains no `unsafe` either: `resumable` holds it.
#![forbid(unsafe_code)]
// The `async fn` twins hold a `RefCell` guard across an await on purpose.
#![allow(clippy::await_holding_refcell_ref)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use testkit::{block_on, cancellation_logs, implements, Log};

/// Stamps one body as a coroutine (`$co`) and as an `async fn` (`$native`); bodies await
/// with `.await`, which a coroutine treats as `yield_await!`.
macro_rules! twins {
    ($co:ident, $native:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        #[resumable::coroutine]
        fn $co($($arg: $ty),*) -> $ret $body

        async fn $native($($arg: $ty),*) -> $ret $body
    };
}

/// Checks that the coroutine and the `async fn` agree: the value and the log of a full
/// run, and the log of a run cancelled after each possible number of polls.
macro_rules! agree {
    ($co:expr, $native:expr) => {{
        let (co_log, native_log) = (Log::new(), Log::new());
        let co = block_on(($co)(co_log.clone()));
        let native = block_on(($native)(native_log.clone()));
        assert_eq!(co, native);
        assert_eq!(co_log.events(), native_log.events());
        for (co, native) in cancellation_logs($co, $native) {
            assert_eq!(co, native);
        }
        co
    }};
}

/// A future that borrows a buffer: pending once, then pushes `byte` and is ready with
/// the new length. Logs its drop.
struct Fill<'a> {
    buf: &'a mut Vec<u8>,
    byte: u8,
    polled: bool,
}

impl Future for Fill<'_> {
    type Output = usize;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        if !self.polled {
            self.polled = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let byte = self.byte;
        self.buf.push(byte);
        Poll::Ready(self.buf.len())
    }
}

fn fill(buf: &mut Vec<u8>, byte: u8) -> Fill<'_> {
    Fill {
        buf,
        byte,
        polled: false,
    }
}

/// Pending once, then ready with `()`.
async fn tick() {
    testkit::ready_after_one(()).await
}

twins!(buffer_co, buffer_native, (log: Log) -> Vec<u8> {
    let _guard = log.value("guard");
    let mut buf = Vec::new();
    let n = fill(&mut buf, 1).await;
    log.push(format!("filled {n}"));
    fill(&mut buf, 2).await;
    buf
});

#[test]
fn a_future_may_borrow_a_local_and_the_local_moves_out_afterwards() {
    assert_eq!(agree!(buffer_co, buffer_native), [1, 2]);
}

twins!(dropped_buffer_co, dropped_buffer_native, (log: Log) -> usize {
    let before = log.value("before");
    let mut buf = vec![log.value("in buf")];
    let last = log.value("last");
    tick().await;
    buf.push(log.value("pushed"));
    let n = buf.len();
    tick().await;
    log.push("end of body");
    let _ = (&before, &last);
    n
});

#[test]
fn a_borrowed_local_drops_where_async_fn_drops_it() {
    // `buf` is borrowed by `buf.push(..)` only between yields: not fixed, same order.
    assert_eq!(agree!(dropped_buffer_co, dropped_buffer_native), 2);
}

/// A type of the user's whose `checked_get` returns a reference into it (as std's
/// integers' `checked_add` does not).
struct Shelf(Vec<String>);

impl Shelf {
    fn checked_get(&self, at: usize) -> Option<&String> {
        self.0.get(at)
    }
}

/// Pending once, then ready with the length of the borrowed name.
async fn measure(name: Option<&String>) -> usize {
    tick().await;
    name.map_or(0, |n| n.len())
}

twins!(method_named_like_arithmetic_co, method_named_like_arithmetic_native, (log: Log) -> usize {
    let shelf = Shelf(vec!["ada".to_string(), "grace".to_string()]);
    let _guard = log.value("guard");
    let n = measure(shelf.checked_get(1)).await;
    log.push(format!("measured {n}"));
    // An integer's arithmetic takes its receiver by value: nothing stays borrowed.
    let total = n.wrapping_mul(3);
    let m = measure(shelf.checked_get(total.saturating_sub(15))).await;
    n + m + shelf.0.len()
});

#[test]
fn a_method_of_the_users_named_like_integer_arithmetic_may_borrow_across_a_yield() {
    // `checked_get` is not an integer's `checked_*` arithmetic: `shelf` stays in place
    // while the future borrows it (it compiled to a borrow error about the state before).
    assert_eq!(
        agree!(
            method_named_like_arithmetic_co,
            method_named_like_arithmetic_native
        ),
        5 + 3 + 2
    );
}

twins!(held_reference_co, held_reference_native, (log: Log) -> String {
    let names = vec![log.value("ada"), log.value("grace")];
    let first = &names[0];
    let _later = log.value("later");
    tick().await;
    log.push(format!("first is {}", first.name()));
    tick().await;
    format!("{} of {}", first.name(), names.len())
});

#[test]
fn a_reference_to_a_local_may_be_held_across_yields() {
    assert_eq!(agree!(held_reference_co, held_reference_native), "ada of 2");
}

twins!(mutable_reference_co, mutable_reference_native, (log: Log) -> u32 {
    let mut count = 0;
    let counter = &mut count;
    for _ in 0..3 {
        tick().await;
        *counter += 1;
        log.push(format!("counted {counter}"));
    }
    count
});

#[test]
fn a_mutable_reference_to_a_copy_local_may_be_held_across_yields() {
    assert_eq!(agree!(mutable_reference_co, mutable_reference_native), 3);
}

twins!(iterator_co, iterator_native, (log: Log) -> usize {
    let words = vec![log.value("one"), log.value("two"), log.value("three")];
    let mut total = 0;
    for word in words.iter() {
        tick().await;
        log.push(format!("at {}", word.name()));
        total += word.name().len();
    }
    total + words.len()
});

#[test]
fn an_iterator_over_a_local_may_live_across_yields() {
    assert_eq!(agree!(iterator_co, iterator_native), 3 + 3 + 5 + 3);
}

twins!(guard_co, guard_native, (log: Log) -> u32 {
    let lock = futures::lock::Mutex::new(0);
    let mut guard = lock.lock().await;
    *guard += 1;
    tick().await;
    *guard += 1;
    log.push(format!("held {}", *guard));
    drop(guard);
    let value = *lock.lock().await;
    value
});

#[test]
fn a_guard_borrowing_a_local_mutex_may_be_held_across_yields() {
    assert_eq!(agree!(guard_co, guard_native), 2);
}

twins!(refcell_co, refcell_native, (log: Log) -> Vec<String> {
    let cell = std::cell::RefCell::new(vec![]);
    {
        let mut names = cell.borrow_mut();
        names.push(log.value("a"));
        tick().await;
        names.push(log.value("b"));
    }
    tick().await;
    // `cell` lives in a fixed slot: a method taking it by value needs it moved out first
    // (see `ui-tests/fail/by_value_method_on_a_borrowed_local.rs`).
    let cell = cell;
    let names = cell.into_inner();
    names.iter().map(|d| d.name().to_string()).collect()
});

#[test]
fn a_refcell_guard_may_be_held_across_a_yield() {
    assert_eq!(agree!(refcell_co, refcell_native), ["a", "b"]);
}

struct Connection {
    log: Log,
    frames: Vec<u8>,
}

impl Connection {
    fn read_frame(&mut self) -> Fill<'_> {
        self.log.push("read_frame");
        fill(&mut self.frames, 7)
    }
}

struct Handler {
    connection: Connection,
    handled: usize,
}

impl Handler {
    #[resumable::coroutine]
    fn run(&mut self, times: usize) -> usize {
        let mut total = 0;
        for _ in 0..times {
            total += self.connection.read_frame().await;
            self.handled += 1;
        }
        total
    }

    async fn run_native(&mut self, times: usize) -> usize {
        let mut total = 0;
        for _ in 0..times {
            total += self.connection.read_frame().await;
            self.handled += 1;
        }
        total
    }
}

#[test]
fn a_reborrow_of_mut_self_may_live_across_a_yield() {
    let handler = |log: &Log| Handler {
        connection: Connection {
            log: log.clone(),
            frames: Vec::new(),
        },
        handled: 0,
    };
    let (co_log, native_log) = (Log::new(), Log::new());
    let (mut co, mut native) = (handler(&co_log), handler(&native_log));
    assert_eq!(block_on(co.run(3)), block_on(native.run_native(3)));
    assert_eq!(co.connection.frames, native.connection.frames);
    assert_eq!((co.handled, co_log.events()), (3, native_log.events()));
}

/// Reborrows a `&mut` argument for each future, as `conn.write_frame(&frame).await` does.
#[resumable::coroutine]
fn write_all(conn: &mut Connection, frames: &[u8]) -> usize {
    for &frame in frames {
        fill(&mut conn.frames, frame).await;
    }
    let written = conn.read_frame().await;
    written
}

#[test]
fn a_reborrow_of_a_mut_argument_may_live_across_a_yield() {
    let log = Log::new();
    let mut conn = Connection {
        log: log.clone(),
        frames: Vec::new(),
    };
    assert_eq!(block_on(write_all(&mut conn, &[1, 2, 3])), 4);
    assert_eq!(conn.frames, [1, 2, 3, 7]);
    assert_eq!(log.events(), ["read_frame"]);
}

twins!(reassigned_co, reassigned_native, (log: Log) -> usize {
    let mut buf = vec![9];
    fill(&mut buf, 1).await;
    let old = buf;
    log.push(format!("moved out {}", old.len()));
    buf = Vec::new();
    fill(&mut buf, 2).await;
    buf = vec![3, 3, 3];
    fill(&mut buf, 4).await;
    buf.len() + old.len()
});

#[test]
fn a_borrowed_local_may_be_moved_out_and_assigned_again() {
    assert_eq!(agree!(reassigned_co, reassigned_native), 4 + 2);
}

twins!(droppers_co, droppers_native, (log: Log) -> usize {
    let mut held = vec![log.value("first")];
    let borrowed = &mut held;
    tick().await;
    borrowed.push(log.value("second"));
    let _after = log.value("after");
    tick().await;
    held = vec![log.value("replacement")];
    tick().await;
    held.len()
});

#[test]
fn assigning_a_borrowed_local_drops_its_old_value_in_place() {
    assert_eq!(agree!(droppers_co, droppers_native), 1);
}

twins!(shadowed_co, shadowed_native, (log: Log) -> usize {
    let buf = vec![log.value("outer")];
    let buf = &buf;
    tick().await;
    let mut buf = buf.len() + 10;
    let r = &mut buf;
    tick().await;
    *r += 1;
    log.push(format!("inner {buf}"));
    buf
});

#[test]
fn a_borrowed_local_may_be_shadowed() {
    assert_eq!(agree!(shadowed_co, shadowed_native), 12);
}

twins!(arms_co, arms_native, (log: Log, which: u8) -> usize {
    let maybe = if which > 0 { Some(vec![log.value("some")]) } else { None };
    match maybe {
        Some(mut items) => {
            let r = &mut items;
            tick().await;
            r.push(log.value("pushed"));
            items.len()
        }
        None => 0,
    }
});

twins!(if_let_co, if_let_native, (log: Log) -> usize {
    if let Some(mut buf) = Some(Vec::new()) {
        fill(&mut buf, 1).await;
        log.push("filled");
        buf.len()
    } else {
        0
    }
});

#[test]
fn a_pattern_binding_may_be_borrowed_across_a_yield() {
    let some = |log| arms_co(log, 1);
    let some_native = |log| arms_native(log, 1);
    for (co, native) in cancellation_logs(some, some_native) {
        assert_eq!(co, native);
    }
    assert_eq!(block_on(arms_co(Log::new(), 1)), 2);
    assert_eq!(block_on(arms_co(Log::new(), 0)), 0);
    assert_eq!(agree!(if_let_co, if_let_native), 1);
}

twins!(closures_co, closures_native, (log: Log) -> usize {
    let mut buf = vec![1u8];
    fill(&mut buf, 2).await;
    let len = || buf.len();
    let first = len();
    let owned = move || buf.len() * 10;
    tick().await;
    log.push(format!("{first} {}", owned()));
    first + owned()
});

#[test]
fn closures_capture_a_borrowed_local_as_async_fn_closures_do() {
    assert_eq!(agree!(closures_co, closures_native), 2 + 20);
}

twins!(formatting_co, formatting_native, (log: Log) -> String {
    let mut buf = vec![1u8];
    fill(&mut buf, 2).await;
    log.push(format!("{buf:?} {:?} {}", buf, buf.len()));
    assert_eq!(buf, [1, 2], "buf is {buf:?}");
    format!("{buf:?}")
});

#[test]
fn format_macros_see_a_borrowed_local() {
    assert_eq!(agree!(formatting_co, formatting_native), "[1, 2]");
}

#[test]
fn a_coroutine_block_may_borrow_across_its_yields() {
    let log = Log::new();
    let outer = vec![5u8];
    let block = resumable::coroutine_block! {
        let mut buf = outer.clone();
        fill(&mut buf, 6).await;
        log.push("filled");
        buf
    };
    assert_eq!(block_on(block), [5, 6]);
    let moved = resumable::coroutine_block! { move
        let mut buf = outer;
        let r = &mut buf;
        tick().await;
        r.push(7);
        buf
    };
    assert_eq!(block_on(moved), [5, 7]);
}

#[resumable::coroutine]
fn stream_of_lengths(log: Log) -> impl resumable::Stream<Item = usize> {
    let mut buf = Vec::new();
    for byte in 0..3 {
        let n = fill(&mut buf, byte).await;
        log.push(format!("filled {n}"));
        resumable::yield_!(n);
    }
}

#[test]
fn an_async_generator_may_borrow_across_its_yields() {
    use futures::StreamExt;
    let log = Log::new();
    let all: Vec<usize> = block_on(stream_of_lengths(log.clone()).collect());
    assert_eq!(all, [1, 2, 3]);
}

twins!(panicking_co, panicking_native, (log: Log) -> () {
    let _first = log.value("first");
    let mut buf = vec![log.value("in buf")];
    let r = &mut buf;
    tick().await;
    r.push(log.value("pushed"));
    if r.len() == 2 {
        panic!("boom");
    }
});

#[test]
fn a_panic_drops_a_borrowed_local_once() {
    let run = |fut: Pin<Box<dyn Future<Output = ()>>>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| block_on(fut))).is_err()
    };
    let (co_log, native_log) = (Log::new(), Log::new());
    assert!(run(Box::pin(panicking_co(co_log.clone()))));
    assert!(run(Box::pin(panicking_native(native_log.clone()))));
    assert_eq!(co_log.events(), native_log.events());
}

#[test]
fn a_machine_with_a_borrowed_local_is_send_as_async_fn_is_and_not_unpin() {
    let co = buffer_co(Log::new());
    assert!(!implements!(co, Unpin));
    let sendable = resumable::coroutine_block! { move
        let mut buf = Vec::new();
        fill(&mut buf, 1).await;
        buf
    };
    assert!(implements!(sendable, Send));
    let local = resumable::coroutine_block! { move
        let mut buf = Vec::new();
        let rc = std::rc::Rc::new(());
        fill(&mut buf, 1).await;
        drop(rc);
        buf
    };
    assert!(!implements!(local, Send));
}

twins!(exact_co, exact_native, (log: Log) -> usize {
    let mut buf = Vec::new();
    let n = fill(&mut buf, 1).await;
    fill(&mut buf, 2).await;
    log.push(format!("{buf:?}"));
    n + buf.len()
});

#[test]
fn a_machine_with_a_borrowed_local_is_no_larger_than_async_fn() {
    // Here only `buf` is borrowed across the yields, and only `buf` gets a fixed slot.
    let co = std::mem::size_of_val(&exact_co(Log::new()));
    let native = std::mem::size_of_val(&exact_native(Log::new()));
    assert!(co <= native, "{co} bytes vs async fn {native}");
    assert_eq!(agree!(exact_co, exact_native), 3);
}

#[test]
fn machines_with_borrowed_locals_are_no_larger_than_async_fn() {
    // A fixed local costs its slot only: the state keeps no handle for it.
    let sizes = [
        (
            std::mem::size_of_val(&buffer_co(Log::new())),
            std::mem::size_of_val(&buffer_native(Log::new())),
        ),
        (
            std::mem::size_of_val(&iterator_co(Log::new())),
            std::mem::size_of_val(&iterator_native(Log::new())),
        ),
        (
            std::mem::size_of_val(&held_reference_co(Log::new())),
            std::mem::size_of_val(&held_reference_native(Log::new())),
        ),
        (
            std::mem::size_of_val(&guard_co(Log::new())),
            std::mem::size_of_val(&guard_native(Log::new())),
        ),
    ];
    let larger: Vec<_> = sizes
        .into_iter()
        .enumerate()
        .filter(|(_, (co, native))| *co > *native)
        .collect();
    assert!(
        larger.is_empty(),
        "(body, (coroutine, async fn)) bytes: {larger:?}"
    );
}

// Locals borrowed across yields in disjoint scopes (one block after another, two
// branches, loop iterations, match arms) share the bytes of one slot, as rustc lets them
// share bytes of an `async fn`'s state; each still drops where the `async fn` drops it,
// also when the machine is dropped while one of them is borrowed. One of them is moved
// out after its yield (a `Movable` slot), one is a pair holding a logged value.
// (Their sizes: `tests/sizes.rs`, `disjoint_borrows_*`.)
twins!(disjoint_co, disjoint_native, (log: Log, which: u8) -> usize {
    let _guard = log.value("guard");
    let a = {
        let mut buf = Vec::new();
        fill(&mut buf, 1).await;
        buf.len()
    };
    let b = if which == 0 {
        let mut held = (log.value("held"), [7u64; 8]);
        let r = &mut held;
        tick().await;
        r.1[0] = 1;
        held.1.iter().sum::<u64>() as usize
    } else {
        let mut buf = vec![2u8];
        fill(&mut buf, 3).await;
        let moved = buf;
        log.push(format!("moved {moved:?}"));
        moved.len()
    };
    let mut c = 0;
    for i in 0..2 {
        let mut buf = vec![i];
        let _inner = log.value("inner");
        c += fill(&mut buf, i).await;
    }
    let d = match which {
        0 => {
            let mut buf = vec![9u8];
            fill(&mut buf, 4).await
        }
        _ => 0,
    };
    a + b + c + d
});

#[test]
fn locals_borrowed_in_disjoint_scopes_share_a_slot_and_drop_as_in_async_fn() {
    for which in 0..2 {
        agree!(|log| disjoint_co(log, which), |log| disjoint_native(
            log, which
        ));
    }
}

/// Pending once, then adds `by` to `*n` and is ready with it.
async fn bump(n: &mut u64, by: u64) -> u64 {
    tick().await;
    *n += by;
    *n
}

// A local whose `let` names a plain `Copy` type is over at its last use (here, after the
// loop that borrows it), so a local borrowed after it takes its bytes (difftest class 20:
// `tests/sizes.rs`, `ended_at_last_use_*`). What it held is read before, and the later
// local (with drop glue, in the same bytes) drops where the `async fn` drops it, also
// when the machine is dropped at each suspension.
twins!(ended_co, ended_native, (log: Log, rounds: u64) -> usize {
    let _guard = log.value("guard");
    let mut n: u64 = 1;
    let mut i: u64 = 0;
    while i < rounds {
        bump(&mut n, i + 1).await;
        i += 1;
    }
    let first: u8 = n as u8;
    let mut buf = vec![first];
    let _after = log.value("after");
    let filled = fill(&mut buf, 2).await;
    log.push(format!("{buf:?}"));
    filled + usize::from(first)
});

#[test]
fn a_plain_local_ends_at_its_last_use_and_gives_its_slot_to_a_later_one() {
    for rounds in 0..3 {
        agree!(|log| ended_co(log, rounds), |log| ended_native(log, rounds));
    }
    let (co, native) = (ended_co(Log::new(), 2), ended_native(Log::new(), 2));
    assert!(std::mem::size_of_val(&co) <= std::mem::size_of_val(&native));
}

/// Pending once, then sets the first byte of `buf` to `byte` and is ready with its length.
async fn fill_array(buf: &mut [u8], byte: u8) -> usize {
    tick().await;
    buf[0] = byte;
    buf.len()
}

// A big array kept at one yield takes the place of a buffer borrowed in an earlier scope
// (as large, by their `let`s): its values survive the yield there, also when moved out
// after it, and the locals around it drop as in the `async fn`.
twins!(fitting_co, fitting_native, (log: Log, moved: bool) -> usize {
    let _guard = log.value("guard");
    let n = {
        let mut buf: [u8; 256] = [1; 256];
        let filled = fill_array(&mut buf, 5).await;
        filled + usize::from(buf[3])
    };
    let m = {
        let mut other = [2u8; 200];
        other[7] = n as u8;
        let _inner = log.value("inner");
        tick().await;
        if moved {
            let taken = other;
            usize::from(taken[7]) + taken.len()
        } else {
            usize::from(other[7])
        }
    };
    n + m
});

#[test]
fn a_big_array_kept_at_one_yield_can_take_a_free_slot() {
    for moved in [false, true] {
        agree!(|log| fitting_co(log, moved), |log| fitting_native(
            log, moved
        ));
    }
    let (co, native) = (
        fitting_co(Log::new(), true),
        fitting_native(Log::new(), true),
    );
    assert!(std::mem::size_of_val(&co) <= std::mem::size_of_val(&native));
}

#[test]
fn borrowing_coroutines_are_clean_under_memcheck() {
    testkit::valgrind::rerun_under_memcheck("");
}

#[resumable::coroutine]
fn sum_of_a_borrowed_stream() -> usize {
    let values = vec![1usize, 2, 3];
    let mut total = 0;
    resumable::for_await!(v in futures::stream::iter(values.iter()) {
        tick().await;
        total += *v;
    });
    total + values.len()
}

#[test]
fn a_for_await_stream_may_borrow_a_local() {
    assert_eq!(block_on(sum_of_a_borrowed_stream()), 6 + 3);
}

async fn count<T>(v: &mut [T]) -> usize {
    testkit::ready_after_one(()).await;
    v.len()
}

#[resumable::coroutine]
fn generic_borrow<T: Clone>(items: Vec<T>, label: &str) -> String {
    let mut v = items;
    let n = count(&mut v).await;
    v.extend_from_slice(&v.clone());
    format!("{label}: {n} then {}", v.len())
}

#[test]
fn a_generic_fn_may_borrow_a_local_of_a_non_static_type() {
    let s = String::from("borrowed");
    assert_eq!(block_on(generic_borrow(vec![&s], "refs")), "refs: 1 then 2");
    assert_eq!(
        block_on(generic_borrow::<u8>(vec![1, 2], "bytes")),
        "bytes: 2 then 4"
    );
}

#[resumable::coroutine]
fn generic_where<'a, T>(items: Vec<T>, extra: &'a [T]) -> usize
where
    T: Clone,
{
    let mut v = items;
    let n = count(&mut v).await;
    v.extend_from_slice(extra);
    n + v.len()
}

#[test]
fn a_generic_fn_with_a_where_clause_and_a_lifetime_may_borrow_a_local() {
    let extra = [String::from("x")];
    assert_eq!(block_on(generic_where(vec![String::new()], &extra)), 1 + 2);
}

twins!(big_in_a_loop_co, big_in_a_loop_native, (log: Log) -> u64 {
    // Not borrowed across a yield, but big and kept at every step of the loop: it gets a
    // fixed slot too, so a step does not move 2 KiB out of the state and back.
    let mut acc = [0u64; 256];
    let _after = log.value("after");
    for i in 0..5u64 {
        let v = testkit::ready_after_one(i + 1).await;
        acc[(i * 7) as usize % 256] += v;
    }
    log.push(format!("{}", acc.iter().filter(|&&x| x > 0).count()));
    acc.iter().sum()
});

#[test]
fn a_big_local_kept_across_a_loop_stays_in_place() {
    assert_eq!(agree!(big_in_a_loop_co, big_in_a_loop_native), 15);
    let co = std::mem::size_of_val(&big_in_a_loop_co(Log::new()));
    let native = std::mem::size_of_val(&big_in_a_loop_native(Log::new()));
    assert!(co <= native, "{co} bytes vs async fn {native}");
    // The slot is pinned with the machine (which is therefore not `Unpin`, like the
    // `async fn`'s future); without it this machine would be `Unpin`.
    let machine = big_in_a_loop_co(Log::new());
    assert!(!implements!(machine, Unpin));
}
