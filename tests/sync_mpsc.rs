//! `resumable::sync::mpsc`: a queue with sender and receiver handles; closes when the
//! last sender goes, fails senders when the receiver goes, nothing lost on cancellation.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use futures::StreamExt;
use resumable::sync::mpsc::{self, SendError, TryRecvError, TrySendError};

#[test]
fn items_from_several_senders_arrive_in_send_order() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let tx2 = tx.clone();
    tx.try_send(1).unwrap();
    tx2.try_send(2).unwrap();
    tx.try_send(3).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(3));
}

#[test]
fn the_channel_closes_when_the_last_sender_is_dropped_after_its_items_are_received() {
    let (tx, mut rx) = mpsc::channel(4);
    let tx2 = tx.clone();
    tx.try_send(1).unwrap();
    drop(tx);
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(
        rx.try_recv(),
        Err(TryRecvError::Empty),
        "one sender is left"
    );
    tx2.try_send(2).unwrap();
    drop(tx2);
    assert_eq!(poll(&mut rx.recv()), Poll::Ready(Some(2)));
    assert_eq!(poll(&mut rx.recv()), Poll::Ready(None));
}

#[test]
fn a_waiting_receiver_is_woken_with_none_when_the_last_sender_goes() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let (counter, waker) = counting_waker();
    let mut recv = rx.recv();
    assert!(poll_with(&mut recv, &waker).is_pending());
    drop(tx);
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut recv), Poll::Ready(None));
}

#[test]
fn senders_fail_and_get_their_item_back_once_the_receiver_is_dropped() {
    let (tx, rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let (counter, waker) = counting_waker();
    let mut send = tx.send(2);
    assert!(poll_with(&mut send, &waker).is_pending());
    drop(rx);
    assert_eq!(woken(&counter), 1);
    assert!(matches!(poll(&mut send), Poll::Ready(Err(SendError(2)))));
    assert!(matches!(tx.try_send(3), Err(TrySendError::Closed(3))));
    assert!(tx.is_closed());
}

#[test]
fn a_pending_send_keeps_the_channel_open_after_its_sender_is_dropped() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let mut send = tx.send(2);
    assert!(poll(&mut send).is_pending());
    drop(tx);
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(matches!(poll(&mut send), Poll::Ready(Ok(()))));
    drop(send);
    assert_eq!(poll(&mut rx.recv()), Poll::Ready(Some(2)));
    assert_eq!(poll(&mut rx.recv()), Poll::Ready(None));
}

#[test]
fn try_send_on_a_full_channel_hands_the_item_back() {
    let (tx, _rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    assert!(matches!(tx.try_send(2), Err(TrySendError::Full(2))));
}

#[test]
fn a_receive_cancelled_after_being_woken_leaves_the_item_for_the_next_one() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut cancelled = rx.recv();
    assert!(poll(&mut cancelled).is_pending());
    tx.try_send("item").unwrap();
    drop(cancelled);
    assert_eq!(rx.try_recv(), Ok("item"));
}

#[test]
fn close_refuses_new_items_but_keeps_those_sent() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    tx.try_send(1).unwrap();
    rx.close();
    assert!(matches!(tx.try_send(2), Err(TrySendError::Closed(2))));
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn the_receiver_is_a_stream_that_ends_when_the_senders_are_gone() {
    let mut pool = LocalPool::new();
    let (tx, rx) = mpsc::channel(2);
    pool.spawner()
        .spawn_local(async move {
            for i in 0..5 {
                tx.send(i).await.unwrap();
            }
        })
        .unwrap();
    let got: Vec<i32> = pool.run_until(rx.collect());
    assert_eq!(got, [0, 1, 2, 3, 4]);
}

#[test]
fn errors_name_the_problem_and_the_fix() {
    let message = SendError(1).to_string();
    assert!(
        message.contains("receiver is gone") && message.contains("stop sending"),
        "{message}"
    );
    let message = TryRecvError::Disconnected.to_string();
    assert!(message.contains("every sender is gone"), "{message}");
}
