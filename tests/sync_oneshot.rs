//! `resumable::sync::oneshot`: one value from a sender to a receiver, across threads.

use std::sync::Arc;
use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use resumable::sync::oneshot::{self, RecvError, TryRecvError};

#[test]
fn the_receiver_gets_the_value_sent() {
    let (tx, rx) = oneshot::channel();
    tx.send("value").unwrap();
    assert_eq!(futures::executor::block_on(rx), Ok("value"));
}

#[test]
fn the_receiver_is_woken_by_the_send() {
    let (tx, mut rx) = oneshot::channel();
    let (counter, waker) = counting_waker();
    assert!(poll_with(&mut rx, &waker).is_pending());
    tx.send(1).unwrap();
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut rx), Poll::Ready(Ok(1)));
}

#[test]
fn dropping_the_sender_without_sending_wakes_the_receiver_with_an_error() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    let (counter, waker) = counting_waker();
    assert!(poll_with(&mut rx, &waker).is_pending());
    drop(tx);
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut rx), Poll::Ready(Err(RecvError)));
    assert!(RecvError.to_string().contains("dropped without sending"));
}

#[test]
fn sending_to_a_dropped_receiver_hands_the_value_back() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(String::from("back")), Err(String::from("back")));
}

#[test]
fn try_recv_reports_empty_then_the_value_then_closed() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn a_value_sent_from_another_thread_reaches_a_receiver_waiting_on_this_one() {
    let (tx, rx) = oneshot::channel();
    let thread = std::thread::spawn(move || tx.send(vec![1, 2, 3]).unwrap());
    assert_eq!(futures::executor::block_on(rx), Ok(vec![1, 2, 3]));
    thread.join().unwrap();
}

#[test]
fn both_halves_are_send_and_sync_when_the_value_is_send() {
    static_assertions::assert_impl_all!(oneshot::Sender<String>: Send, Sync);
    static_assertions::assert_impl_all!(oneshot::Receiver<String>: Send, Sync);
    static_assertions::assert_not_impl_any!(oneshot::Sender<std::rc::Rc<u8>>: Send);
}

#[test]
fn a_value_left_unreceived_is_dropped_with_the_receiver() {
    let value = Arc::new(());
    let (tx, rx) = oneshot::channel();
    tx.send(value.clone()).unwrap();
    assert_eq!(Arc::strong_count(&value), 2);
    drop(rx);
    assert_eq!(Arc::strong_count(&value), 1);
}
