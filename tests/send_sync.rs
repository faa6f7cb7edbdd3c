//! `Send` and `Sync` follow what a coroutine holds, as with `async fn`.
#![deny(warnings)]

use resumable::yield_await;
use std::rc::Rc;
use testkit::{implements, ready_after_one};

#[resumable::coroutine]
fn holds_send_things(s: String) -> usize {
    let v = vec![1u8; 3];
    yield_await!(ready_after_one(()));
    s.len() + v.len()
}

#[resumable::coroutine]
fn holds_an_rc_across_a_yield() -> usize {
    let rc = Rc::new(1);
    yield_await!(ready_after_one(()));
    *rc
}

#[resumable::coroutine]
fn drops_an_rc_before_the_yield() -> usize {
    let n = {
        let rc = Rc::new(1);
        *rc
    };
    yield_await!(ready_after_one(()));
    n
}

#[resumable::coroutine]
fn takes_an_rc_argument(rc: Rc<u8>) -> u8 {
    *rc
}

fn assert_send_sync<T: Send + Sync>(_: &T) {}

#[test]
fn a_coroutine_holding_only_send_sync_values_is_send_and_sync() {
    assert_send_sync(&holds_send_things(String::new()));
    assert_send_sync(&drops_an_rc_before_the_yield());
}

#[test]
fn a_coroutine_holding_an_rc_across_a_yield_is_neither_send_nor_sync() {
    assert!(!implements!(holds_an_rc_across_a_yield(), Send));
    assert!(!implements!(holds_an_rc_across_a_yield(), Sync));
    assert!(!implements!(takes_an_rc_argument(Rc::new(1)), Send));
}

#[test]
fn a_send_coroutine_runs_on_a_multi_threaded_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let n = rt.block_on(async { tokio::spawn(holds_send_things("ab".into())).await.unwrap() });
    assert_eq!(n, 5);
}
