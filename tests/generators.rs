//! Generators: a `#[resumable::coroutine]` fn with `yield_!` declared as
//! `-> impl Iterator<Item = Y>` is an iterator that runs its body lazily, supports every
//! control-flow form around `yield_!`, drops what it holds as the equivalent hand-written
//! iterator would, and is fused.
#![deny(warnings)]
// The expansion contains no `unsafe`: the support types in `resumable` hold it all.
#![forbid(unsafe_code)]

use resumable::yield_;
use std::panic::{catch_unwind, AssertUnwindSafe};
use testkit::{Dropper, Log};

#[resumable::coroutine]
fn count(n: u32) -> impl Iterator<Item = u32> {
    let mut i = 0;
    while i < n {
        yield_!(i);
        i += 1;
    }
}

#[test]
fn a_generator_yields_its_values_in_order() {
    assert_eq!(count(4).collect::<Vec<_>>(), [0, 1, 2, 3]);
    assert_eq!(count(0).count(), 0);
}

#[resumable::coroutine]
fn logged(log: Log) -> impl Iterator<Item = u32> {
    log.push("started");
    yield_!(1);
    log.push("resumed");
    yield_!(2);
    log.push("ended");
}

#[test]
fn calling_a_generator_runs_nothing_until_next() {
    let log = Log::new();
    let mut g = logged(log.clone());
    assert!(log.events().is_empty());
    assert_eq!(g.next(), Some(1));
    assert_eq!(log.take(), ["started"]);
    assert_eq!(g.next(), Some(2));
    assert_eq!(log.take(), ["resumed"]);
    assert_eq!(g.next(), None);
    assert_eq!(log.take(), ["ended"]);
}

#[test]
fn a_finished_generator_keeps_returning_none() {
    let log = Log::new();
    let mut g = logged(log.clone());
    assert_eq!(g.by_ref().count(), 2);
    assert_eq!(g.next(), None);
    assert_eq!(g.next(), None);
    assert_eq!(log.take(), ["started", "resumed", "ended"]);
}

#[resumable::coroutine]
fn control_flow(words: Vec<&'static str>) -> impl Iterator<Item = String> {
    'outer: for (i, w) in words.into_iter().enumerate() {
        match w {
            "skip" => continue,
            "stop" => break 'outer,
            "end" => return,
            _ => {}
        }
        if w.len() > 3 {
            let mut n = 0;
            loop {
                yield_!(format!("{i}:{w}#{n}"));
                n += 1;
                if n == 2 {
                    break;
                }
            }
        } else {
            yield_!(w.to_uppercase());
        }
    }
    yield_!("after".to_string());
}

#[test]
fn control_flow_works_around_yields() {
    let all: Vec<String> = control_flow(vec!["ab", "skip", "word", "cd"]).collect();
    assert_eq!(all, ["AB", "2:word#0", "2:word#1", "CD", "after"]);
    let stopped: Vec<String> = control_flow(vec!["ab", "stop", "cd"]).collect();
    assert_eq!(stopped, ["AB", "after"]);
    let ended: Vec<String> = control_flow(vec!["ab", "end", "cd"]).collect();
    assert_eq!(ended, ["AB"]);
}

#[resumable::coroutine]
fn parse_all(items: Vec<&'static str>) -> impl Iterator<Item = u32> {
    for item in items {
        let Ok(n) = item.parse::<u32>() else {
            return;
        };
        let doubled = Some(n).map(|n| n * 2).filter(|n| *n < 100);
        yield_!(match doubled {
            Some(d) if d % 2 == 0 => d,
            _ => 0,
        });
    }
}

#[test]
fn let_else_early_return_and_closures_work_in_generators() {
    assert_eq!(
        parse_all(vec!["1", "70", "2", "x", "3"]).collect::<Vec<_>>(),
        [2, 0, 4]
    );
}

#[resumable::coroutine]
fn yields_an_expression(a: u32) -> impl Iterator<Item = u32> {
    let resumed: () = yield_!(a); // a resumed `yield_!` is `()` in an iterator
    let b = a + format!("{resumed:?}").len() as u32;
    yield_!(b);
}

#[test]
fn yield_is_an_expression_of_unit_type_in_an_iterator() {
    assert_eq!(yields_an_expression(5).collect::<Vec<_>>(), [5, 7]);
}

// ---- drops: the same as the equivalent hand-written iterator ----

#[resumable::coroutine]
fn holding(log: Log, arg: Dropper) -> impl Iterator<Item = u32> {
    let a = log.value("a");
    yield_!(1);
    {
        let b = log.value("b");
        yield_!(2);
        log.push(format!("{} done", b.name()));
    }
    let _ = (&a, &arg);
    yield_!(3);
    log.push("end");
}

#[test]
fn dropping_a_suspended_generator_drops_its_locals_innermost_first_then_arguments() {
    let log = Log::new();
    let mut g = holding(log.clone(), log.value("arg"));
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(2));
    drop(g);
    assert_eq!(log.take(), ["drop b", "drop a", "drop arg"]);
}

#[test]
fn a_generator_run_to_the_end_drops_each_value_once_where_its_scope_ends() {
    let log = Log::new();
    let g = holding(log.clone(), log.value("arg"));
    assert_eq!(g.collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(
        log.take(),
        ["b done", "drop b", "end", "drop a", "drop arg"]
    );
}

#[test]
fn a_never_started_generator_drops_its_arguments() {
    let log = Log::new();
    drop(holding(log.clone(), log.value("arg")));
    assert_eq!(log.take(), ["drop arg"]);
}

#[resumable::coroutine]
fn yields_owned(log: Log) -> impl Iterator<Item = Dropper> {
    let a = log.value("a");
    yield_!(a);
    yield_!(log.value("b"));
}

#[test]
fn a_yielded_value_belongs_to_the_caller() {
    let log = Log::new();
    let mut g = yields_owned(log.clone());
    let a = g.next().unwrap();
    assert!(log.events().is_empty());
    drop(g);
    assert!(log.events().is_empty(), "{:?}", log.events());
    drop(a);
    assert_eq!(log.take(), ["drop a"]);
}

#[resumable::coroutine]
fn panics_at(n: u32, log: Log) -> impl Iterator<Item = u32> {
    let _a = log.value("a");
    yield_!(1);
    assert!(n != 2, "boom");
    yield_!(2);
}

#[test]
fn a_panicking_generator_drops_its_locals_once_and_panics_again_if_resumed() {
    let log = Log::new();
    let mut g = panics_at(2, log.clone());
    assert_eq!(g.next(), Some(1));
    assert!(catch_unwind(AssertUnwindSafe(|| g.next())).is_err());
    assert_eq!(log.take(), ["drop a"]);
    let again = catch_unwind(AssertUnwindSafe(|| g.next())).unwrap_err();
    let message = again.downcast_ref::<String>().unwrap();
    assert!(message.contains("resumed after panicking"), "{message}");
    drop(g);
    assert!(log.events().is_empty());
}

// ---- generics, methods, borrowed arguments ----

#[resumable::coroutine]
fn pairs<T: Clone>(items: &[T]) -> impl Iterator<Item = (T, T)> + '_ {
    let mut i = 0;
    while i + 1 < items.len() {
        yield_!((items[i].clone(), items[i + 1].clone()));
        i += 1;
    }
}

#[test]
fn generators_can_be_generic_and_borrow_their_arguments() {
    let v = [1, 2, 3];
    assert_eq!(pairs(&v).collect::<Vec<_>>(), [(1, 2), (2, 3)]);
}

struct Tree {
    value: u32,
    children: Vec<Tree>,
}

impl Tree {
    #[resumable::coroutine]
    fn values(&self) -> impl Iterator<Item = u32> + '_ {
        yield_!(self.value);
        for child in &self.children {
            for v in Box::new(child.values()) as Box<dyn Iterator<Item = u32> + '_> {
                yield_!(v);
            }
        }
    }
}

#[test]
fn a_method_generator_can_recurse_through_a_box() {
    let t = Tree {
        value: 1,
        children: vec![
            Tree {
                value: 2,
                children: vec![],
            },
            Tree {
                value: 3,
                children: vec![Tree {
                    value: 4,
                    children: vec![],
                }],
            },
        ],
    };
    assert_eq!(t.values().collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[resumable::coroutine]
fn once_fused(n: u32) -> impl std::iter::FusedIterator<Item = u32> {
    yield_!(n);
}

#[test]
fn a_generator_can_be_declared_a_fused_iterator() {
    fn fused<I: std::iter::FusedIterator<Item = u32>>(i: I) -> Vec<u32> {
        i.collect()
    }
    assert_eq!(fused(once_fused(7)), [7]);
}

// ---- size: no larger than the same iterator written by hand as an enum ----

/// `count` written by hand: not started, suspended at the `yield_!`, finished.
#[allow(dead_code)]
enum CountByHand {
    Start { n: u32 },
    Suspended { i: u32, n: u32 },
    Done,
}

impl Iterator for CountByHand {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let (i, n) = match std::mem::replace(self, CountByHand::Done) {
            CountByHand::Start { n } => (0, n),
            CountByHand::Suspended { i, n } => (i + 1, n),
            CountByHand::Done => return None,
        };
        if i < n {
            *self = CountByHand::Suspended { i, n };
            Some(i)
        } else {
            None
        }
    }
}

#[resumable::coroutine]
fn fibonacci() -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(a);
        (a, b) = (b, a.wrapping_add(b));
    }
}

#[allow(dead_code)]
enum FibonacciByHand {
    Start,
    Suspended { a: u64, b: u64 },
}

#[resumable::coroutine]
fn chunks(buf: [u8; 4096], size: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut at = 0;
    while at < buf.len() {
        let start = at;
        at = (at + size).min(buf.len());
        yield_!(buf[start..at].to_vec()); // `start` is dead after it: not stored
    }
}

#[allow(dead_code)]
enum ChunksByHand {
    Start {
        buf: [u8; 4096],
        size: usize,
    },
    Suspended {
        at: usize,
        buf: [u8; 4096],
        size: usize,
    },
    Done,
}

#[test]
fn a_generator_is_no_larger_than_the_hand_written_enum_iterator() {
    use std::mem::size_of_val;
    let by_hand = CountByHand::Start { n: 3 };
    assert!(size_of_val(&count(3)) <= size_of_val(&by_hand));
    assert_eq!(by_hand.collect::<Vec<_>>(), count(3).collect::<Vec<_>>());
    assert!(size_of_val(&fibonacci()) <= size_of_val(&FibonacciByHand::Start));
    let chunks_by_hand = ChunksByHand::Start {
        buf: [0; 4096],
        size: 1,
    };
    assert!(size_of_val(&chunks([0; 4096], 1)) <= size_of_val(&chunks_by_hand));
    assert_eq!(
        chunks([1; 4096], 1000).map(|c| c.len()).collect::<Vec<_>>(),
        [1000, 1000, 1000, 1000, 96]
    );
}

// ---- Send and Sync follow from what the generator holds, as with hand-written iterators ----

#[test]
fn a_generator_of_send_and_sync_values_is_send_and_sync() {
    // The converse (an `Rc` held across a `yield_!` makes it `!Send`) is the ui-test
    // `ui-tests/fail/generator_holding_an_rc_is_not_send.rs`.
    fn send_sync<T: Send + Sync>(t: T) -> T {
        t
    }
    assert_eq!(send_sync(count(2)).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn memcheck_finds_no_invalid_access_double_free_or_leak() {
    // Re-runs this file's tests (drops, cancellation, panics) under valgrind.
    testkit::valgrind::rerun_under_memcheck("");
}
