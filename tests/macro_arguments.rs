//! Locals used inside other macros' arguments (`println!`, `vec!`, ..), which the
//! attribute sees as tokens only: a local that such a macro may move is not kept across a
//! later yield (keeping it would be a use after move), one that it borrows is.
#![deny(warnings)]

use resumable::yield_await;
use testkit::{block_on, ready_after_one as ready, Log};

#[resumable::coroutine]
fn method_call_in_a_format_macro(log: &Log) -> usize {
    let v = yield_await!(ready(Some(String::from("abc"))));
    log.push(format!("{:?}", v.unwrap()));
    yield_await!(ready(()));
    log.events().len()
}

#[test]
fn a_local_moved_by_a_method_call_inside_a_macro_is_not_kept_across_a_later_yield() {
    let log = Log::new();
    assert_eq!(block_on(method_call_in_a_format_macro(&log)), 1);
    assert_eq!(log.events(), ["\"abc\""]);
}

#[resumable::coroutine]
fn moved_into_vec(log: &Log) -> usize {
    let d = log.value("d");
    let v = vec![d];
    yield_await!(ready(()));
    log.push("resumed");
    v.len()
}

#[test]
fn a_local_passed_bare_to_another_macro_is_moved_there() {
    let log = Log::new();
    assert_eq!(block_on(moved_into_vec(&log)), 1);
    assert_eq!(log.events(), ["resumed", "drop d"]);
}

#[resumable::coroutine]
fn borrowed_by_format_macros(log: &Log) {
    let guard = log.value("guard");
    let name = guard.name().to_string();
    log.push(format!("{} {name}", 1));
    assert!(!format!("{:p}", &guard).is_empty());
    yield_await!(ready(()));
    log.push("resumed");
}

#[test]
fn locals_borrowed_by_format_macros_stay_alive_to_the_end_of_their_scope() {
    let log = Log::new();
    block_on(borrowed_by_format_macros(&log));
    assert_eq!(log.events(), ["1 guard", "resumed", "drop guard"]);
}
