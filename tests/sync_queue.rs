//! `resumable::sync::Queue` (and its LIFO and priority forms): asyncio's queue semantics,
//! FIFO service of waiters, and nothing lost when a waiter is cancelled.

use std::task::Poll;
use testkit::polling::{counting_waker, poll, poll_with, woken};

use futures::executor::{block_on, LocalPool};
use futures::task::LocalSpawnExt;
use futures::StreamExt;
use resumable::sync::{
    Buffer, Fifo, GetError, Lifo, Priority, PutError, Queue, TaskDoneError, TryGetError,
    TryPutError,
};

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = Queue::new();
    for i in 0..5 {
        queue.put_nowait(i).unwrap();
    }
    let got: Vec<_> = (0..5).map(|_| queue.get_nowait().unwrap()).collect();
    assert_eq!(got, [0, 1, 2, 3, 4]);
}

#[test]
fn lifo_queue_returns_the_newest_item_and_priority_queue_the_smallest() {
    let stack = Queue::lifo();
    let jobs = Queue::priority();
    for i in [3, 1, 2] {
        stack.put_nowait(i).unwrap();
        jobs.put_nowait(i).unwrap();
    }
    let popped: Vec<_> = (0..3).map(|_| stack.get_nowait().unwrap()).collect();
    let sorted: Vec<_> = (0..3).map(|_| jobs.get_nowait().unwrap()).collect();
    assert_eq!(popped, [2, 1, 3]);
    assert_eq!(sorted, [1, 2, 3]);
}

#[test]
fn put_nowait_on_a_full_queue_hands_the_item_back() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(String::from("kept")).unwrap();
    match queue.put_nowait(String::from("returned")) {
        Err(TryPutError::Full(item)) => assert_eq!(item, "returned"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(queue.qsize(), 1);
    assert!(queue.full());
}

#[test]
fn get_nowait_on_an_empty_queue_reports_empty() {
    let queue = Queue::<u8>::new();
    assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
    assert!(queue.empty());
}

#[test]
fn get_waits_for_a_put_and_is_woken_by_it() {
    let queue = Queue::new();
    let (counter, waker) = counting_waker();
    let mut get = queue.get();
    assert!(poll_with(&mut get, &waker).is_pending());
    queue.put_nowait(7).unwrap();
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut get), Poll::Ready(Ok(7)));
}

#[test]
fn put_waits_while_the_queue_is_full_and_is_woken_by_a_get() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(1).unwrap();
    let (counter, waker) = counting_waker();
    let mut put = queue.put(2);
    assert!(poll_with(&mut put, &waker).is_pending());
    assert_eq!(queue.get_nowait(), Ok(1));
    assert_eq!(woken(&counter), 1);
    assert!(matches!(poll(&mut put), Poll::Ready(Ok(()))));
    assert_eq!(queue.get_nowait(), Ok(2));
}

#[test]
fn waiting_getters_are_served_first_come_first_served() {
    let queue = Queue::new();
    let mut first = queue.get();
    let mut second = queue.get();
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    queue.put_nowait("a").unwrap();
    queue.put_nowait("b").unwrap();
    // Polled in the "wrong" order, each still gets the item it was woken for.
    assert_eq!(poll(&mut second), Poll::Ready(Ok("a")));
    assert_eq!(poll(&mut first), Poll::Ready(Ok("b")));
}

#[test]
fn a_woken_getter_is_not_overtaken_by_a_later_get() {
    let queue = Queue::new();
    let mut waiting = queue.get();
    assert!(poll(&mut waiting).is_pending());
    queue.put_nowait(1).unwrap();
    // The item is set aside for the waiting getter: a newcomer cannot take it.
    assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
    let mut late = queue.get();
    assert!(poll(&mut late).is_pending());
    assert_eq!(
        queue.qsize(),
        1,
        "the reserved item still counts, as in asyncio"
    );
    assert_eq!(poll(&mut waiting), Poll::Ready(Ok(1)));
}

#[test]
fn waiting_putters_are_served_first_come_first_served() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(0).unwrap();
    let mut first = queue.put(1);
    let mut second = queue.put(2);
    assert!(poll(&mut first).is_pending());
    assert!(poll(&mut second).is_pending());
    assert_eq!(queue.get_nowait(), Ok(0));
    // The free place is reserved for `first`: `second` and newcomers wait.
    assert!(poll(&mut second).is_pending());
    assert!(matches!(queue.put_nowait(9), Err(TryPutError::Full(9))));
    assert!(matches!(poll(&mut first), Poll::Ready(Ok(()))));
    assert_eq!(queue.get_nowait(), Ok(1));
    assert!(matches!(poll(&mut second), Poll::Ready(Ok(()))));
    assert_eq!(queue.get_nowait(), Ok(2));
}

#[test]
fn a_getter_cancelled_while_waiting_consumes_nothing() {
    let queue = Queue::new();
    let mut cancelled = queue.get();
    assert!(poll(&mut cancelled).is_pending());
    drop(cancelled);
    queue.put_nowait(1).unwrap();
    assert_eq!(queue.get_nowait(), Ok(1));
}

#[test]
fn a_getter_cancelled_after_being_woken_passes_its_item_to_the_next_getter() {
    let queue = Queue::new();
    let mut chosen = queue.get();
    let (counter, waker) = counting_waker();
    let mut next = queue.get();
    assert!(poll(&mut chosen).is_pending());
    assert!(poll_with(&mut next, &waker).is_pending());
    queue.put_nowait("item").unwrap();
    assert_eq!(woken(&counter), 0, "only the first getter is woken");
    drop(chosen);
    assert_eq!(woken(&counter), 1, "the next getter is woken in its place");
    assert_eq!(poll(&mut next), Poll::Ready(Ok("item")));
}

#[test]
fn a_getter_cancelled_after_being_woken_leaves_its_item_in_the_queue() {
    let queue = Queue::new();
    let mut chosen = queue.get();
    assert!(poll(&mut chosen).is_pending());
    queue.put_nowait("item").unwrap();
    drop(chosen);
    assert_eq!(queue.get_nowait(), Ok("item"));
}

#[test]
fn a_putter_cancelled_after_being_woken_passes_the_free_place_on() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(0).unwrap();
    let mut chosen = queue.put(1);
    let (counter, waker) = counting_waker();
    let mut next = queue.put(2);
    assert!(poll(&mut chosen).is_pending());
    assert!(poll_with(&mut next, &waker).is_pending());
    assert_eq!(queue.get_nowait(), Ok(0));
    drop(chosen);
    assert_eq!(woken(&counter), 1);
    assert!(matches!(poll(&mut next), Poll::Ready(Ok(()))));
    assert_eq!(queue.get_nowait(), Ok(2));
    assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
}

#[test]
fn a_putter_cancelled_while_waiting_puts_nothing() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(0).unwrap();
    let mut cancelled = queue.put(1);
    assert!(poll(&mut cancelled).is_pending());
    drop(cancelled);
    assert_eq!(queue.get_nowait(), Ok(0));
    assert_eq!(queue.get_nowait(), Err(TryGetError::Empty));
    queue.put_nowait(2).unwrap();
}

#[test]
fn join_waits_until_every_item_is_marked_done() {
    let queue = Queue::new();
    queue.put_nowait(1).unwrap();
    queue.put_nowait(2).unwrap();
    let (counter, waker) = counting_waker();
    let mut join = queue.join();
    assert!(poll_with(&mut join, &waker).is_pending());
    queue.get_nowait().unwrap();
    queue.task_done().unwrap();
    assert!(poll_with(&mut join, &waker).is_pending());
    queue.get_nowait().unwrap();
    queue.task_done().unwrap();
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut join), Poll::Ready(()));
}

#[test]
fn join_on_a_queue_with_nothing_unfinished_completes_at_once() {
    let queue = Queue::<u8>::new();
    assert_eq!(poll(&mut queue.join()), Poll::Ready(()));
}

#[test]
fn task_done_called_too_often_is_an_error_that_says_how_to_fix_it() {
    let queue = Queue::new();
    queue.put_nowait(1).unwrap();
    queue.get_nowait().unwrap();
    queue.task_done().unwrap();
    let error = queue.task_done().unwrap_err();
    assert_eq!(error, TaskDoneError);
    let message = error.to_string();
    assert!(
        message.contains("task_done() called more times"),
        "{message}"
    );
    assert!(message.contains("exactly once"), "{message}");
}

#[test]
fn shutdown_fails_puts_hands_items_back_and_lets_gets_drain_the_queue() {
    let queue = Queue::with_capacity(1);
    queue.put_nowait(1).unwrap();
    let mut waiting_put = queue.put(2);
    assert!(poll(&mut waiting_put).is_pending());
    queue.shutdown();
    assert!(matches!(
        poll(&mut waiting_put),
        Poll::Ready(Err(PutError(2)))
    ));
    assert!(matches!(queue.put_nowait(3), Err(TryPutError::ShutDown(3))));
    assert_eq!(queue.get_nowait(), Ok(1));
    assert_eq!(queue.get_nowait(), Err(TryGetError::ShutDown));
    assert_eq!(poll(&mut queue.get()), Poll::Ready(Err(GetError)));
}

#[test]
fn shutdown_wakes_waiting_getters_with_an_error() {
    let queue = Queue::<u8>::new();
    let (counter, waker) = counting_waker();
    let mut get = queue.get();
    assert!(poll_with(&mut get, &waker).is_pending());
    queue.shutdown();
    assert_eq!(woken(&counter), 1);
    assert_eq!(poll(&mut get), Poll::Ready(Err(GetError)));
}

#[test]
fn shutdown_immediate_returns_the_items_left_and_releases_join() {
    let queue = Queue::new();
    queue.put_nowait('a').unwrap();
    queue.put_nowait('b').unwrap();
    let mut join = queue.join();
    assert!(poll(&mut join).is_pending());
    assert_eq!(queue.shutdown_immediate(), ['a', 'b']);
    assert_eq!(poll(&mut join), Poll::Ready(()));
    assert!(queue.empty());
    assert_eq!(queue.get_nowait(), Err(TryGetError::ShutDown));
}

#[test]
fn a_woken_getter_fails_cleanly_if_the_queue_is_emptied_by_shutdown_immediate() {
    let queue = Queue::new();
    let mut get = queue.get();
    assert!(poll(&mut get).is_pending());
    queue.put_nowait(1).unwrap();
    assert_eq!(queue.shutdown_immediate(), [1]);
    assert_eq!(poll(&mut get), Poll::Ready(Err(GetError)));
}

#[test]
fn errors_name_the_problem_and_the_fix() {
    let full = TryPutError::Full(1).to_string();
    assert!(
        full.contains("full") && full.contains("put(item).await"),
        "{full}"
    );
    let empty = TryGetError::Empty.to_string();
    assert!(
        empty.contains("empty") && empty.contains("get().await"),
        "{empty}"
    );
    let shut = GetError.to_string();
    assert!(
        shut.contains("shut down") && shut.contains("stop consuming"),
        "{shut}"
    );
    let put = PutError(1).to_string();
    assert!(
        put.contains("shut down") && put.contains("handed back"),
        "{put}"
    );
}

#[test]
#[should_panic(expected = "capacity 0")]
fn a_queue_of_capacity_zero_is_refused() {
    let _ = Queue::<u8>::with_capacity(0);
}

#[test]
fn the_queue_is_a_stream_that_ends_after_shutdown() {
    let queue = Queue::new();
    for i in 0..3 {
        queue.put_nowait(i).unwrap();
    }
    queue.shutdown();
    let got: Vec<_> = block_on(queue.into_stream().collect());
    assert_eq!(got, [0, 1, 2]);
}

#[test]
fn futures_are_static_and_can_be_stored_next_to_the_queue() {
    fn assert_static<T: 'static>(_: &T) {}
    let queue = Queue::<String>::new();
    let get = queue.get();
    let put = queue.put(String::new());
    let join = queue.join();
    assert_static(&get);
    assert_static(&put);
    assert_static(&join);
    // A struct holding the queue and its pending future at once.
    struct Holder {
        _queue: Queue<String>,
        _pending: resumable::sync::Get<String>,
    }
    let _holder = Holder {
        _queue: queue.clone(),
        _pending: get,
    };
}

#[test]
fn producer_and_consumer_tasks_exchange_items_through_a_bounded_queue() {
    let mut pool = LocalPool::new();
    let queue = Queue::with_capacity(2);
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let producer = {
        let queue = queue.clone();
        async move {
            for i in 0..10 {
                queue.put(i).await.unwrap();
            }
        }
    };
    let consumer = {
        let (queue, log) = (queue.clone(), log.clone());
        async move {
            for _ in 0..10 {
                let item = queue.get().await.unwrap();
                log.borrow_mut().push(item);
                queue.task_done().unwrap();
            }
        }
    };
    pool.spawner().spawn_local(producer).unwrap();
    pool.spawner().spawn_local(consumer).unwrap();
    pool.run_until(queue.join());
    pool.run();
    assert_eq!(*log.borrow(), (0..10).collect::<Vec<_>>());
}

/// xorshift64*: a small deterministic generator, enough to shuffle operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random interleavings of puts, gets and cancellations against a bounded FIFO queue.
/// Checks: every item put is got exactly once (none lost, none duplicated), items come
/// out in the order they went in, and waiting getters are served in the order they came.
fn run_random_schedule(seed: u64, capacity: Option<usize>) {
    run_random_schedule_on(Queue::with_buffer(Fifo::default(), capacity), seed, true);
}

/// The same schedule on any buffer; `in_order` checks the items came out in the order
/// they went in (FIFO), otherwise only that the same items came out.
fn run_random_schedule_on<B: Buffer<u64>>(queue: Queue<u64, B>, seed: u64, in_order: bool) {
    let mut rng = Rng(seed);
    let capacity = queue.capacity();
    let mut next_item = 0u64;
    // Items whose put completed, in order of completion.
    let mut put_order = Vec::new();
    // Items got, in order of completion.
    let mut got = Vec::new();
    // Pending futures, with their arrival number.
    let mut putters: Vec<(u64, resumable::sync::Put<u64, B>)> = Vec::new();
    let mut getters: Vec<(u64, resumable::sync::Get<u64, B>)> = Vec::new();
    let mut getter_arrival = 0u64;
    // (arrival number, item) for each get completed after waiting.
    let mut served = Vec::new();
    let mut cancelled_puts = Vec::new();

    for _ in 0..400 {
        match rng.below(7) {
            0 => {
                let item = next_item;
                next_item += 1;
                match queue.put_nowait(item) {
                    Ok(()) => put_order.push(item),
                    Err(error) => assert_eq!(error.into_inner(), item),
                }
            }
            1 => {
                let item = next_item;
                next_item += 1;
                let mut put = queue.put(item);
                match poll(&mut put) {
                    Poll::Ready(result) => {
                        result.unwrap();
                        put_order.push(item);
                    }
                    Poll::Pending => putters.push((item, put)),
                }
            }
            2 => {
                if let Ok(item) = queue.get_nowait() {
                    got.push(item);
                }
            }
            3 => {
                let mut get = queue.get();
                match poll(&mut get) {
                    Poll::Ready(result) => got.push(result.unwrap()),
                    Poll::Pending => {
                        getters.push((getter_arrival, get));
                        getter_arrival += 1;
                    }
                }
            }
            4 if !getters.is_empty() => {
                let index = rng.below(getters.len());
                let (arrival, mut get) = getters.remove(index);
                match poll(&mut get) {
                    Poll::Ready(result) => {
                        let item = result.unwrap();
                        got.push(item);
                        served.push((arrival, item));
                    }
                    Poll::Pending => getters.insert(index, (arrival, get)),
                }
            }
            5 if !putters.is_empty() => {
                let index = rng.below(putters.len());
                let (item, mut put) = putters.remove(index);
                match poll(&mut put) {
                    Poll::Ready(result) => {
                        result.unwrap();
                        put_order.push(item);
                    }
                    Poll::Pending => putters.insert(index, (item, put)),
                }
            }
            6 => {
                // Cancel a random waiter (getter or putter), woken or not.
                if rng.below(2) == 0 && !getters.is_empty() {
                    let index = rng.below(getters.len());
                    drop(getters.remove(index));
                } else if !putters.is_empty() {
                    let index = rng.below(putters.len());
                    let (item, put) = putters.remove(index);
                    drop(put);
                    cancelled_puts.push(item);
                }
            }
            _ => {}
        }
        if let Some(capacity) = capacity {
            assert!(queue.qsize() <= capacity, "capacity exceeded");
        }
    }
    // Finish: let the getters take what was set aside for them (or give it up), then
    // complete the putters, making room as needed, then drain.
    let mut unserved = Vec::new();
    for (arrival, mut get) in std::mem::take(&mut getters) {
        match poll(&mut get) {
            Poll::Ready(result) => {
                let item = result.unwrap();
                got.push(item);
                served.push((arrival, item));
            }
            Poll::Pending => unserved.push(arrival),
        }
    }
    while !putters.is_empty() {
        let (item, mut put) = putters.remove(0);
        if queue.full() {
            got.push(
                queue
                    .get_nowait()
                    .expect("no getter is left to reserve items"),
            );
        }
        match poll(&mut put) {
            Poll::Ready(result) => {
                result.unwrap();
                put_order.push(item);
            }
            Poll::Pending => putters.insert(0, (item, put)),
        }
    }
    while let Ok(item) = queue.get_nowait() {
        got.push(item);
    }

    if !in_order {
        got.sort_unstable();
        put_order.sort_unstable();
    }
    assert_eq!(
        got, put_order,
        "seed {seed}: items lost, duplicated or reordered"
    );
    let mut all: Vec<_> = put_order.iter().chain(&cancelled_puts).copied().collect();
    all.sort_unstable();
    assert!(
        all.windows(2).all(|w| w[0] != w[1]),
        "seed {seed}: duplicated item"
    );
    // Waiting getters are served in the order they arrived: any getter still waiting at
    // the end arrived after every getter that was served.
    let served_last = served.iter().map(|&(arrival, _)| arrival).max();
    if let (Some(served_last), Some(first_unserved)) = (served_last, unserved.first()) {
        assert!(
            served_last < *first_unserved,
            "seed {seed}: getter {first_unserved} still waits after getter {served_last} was served"
        );
    }
}

#[test]
fn random_interleavings_lose_nothing_duplicate_nothing_and_keep_fifo_order() {
    for seed in 1..=300 {
        run_random_schedule(seed, Some(1 + (seed as usize % 4)));
        run_random_schedule(seed.wrapping_mul(7919), None);
    }
}

#[test]
fn random_interleavings_on_lifo_and_priority_queues_lose_and_duplicate_nothing() {
    for seed in 1..=200 {
        let capacity = Some(1 + (seed as usize % 3));
        run_random_schedule_on(Queue::with_buffer(Lifo::default(), capacity), seed, false);
        run_random_schedule_on(Queue::with_buffer(Priority::default(), None), seed, false);
    }
}
