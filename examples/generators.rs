//! Python's generator family, ported: a generator, an async generator over a queue, and
//! a coroutine driven by `send`. Run it with `cargo run --example generators`; see the
//! state machines with `cargo expand --example generators`.

use resumable::sync::Queue;
use resumable::{for_await, yield_, yield_await, Coroutine, CoroutineState, Stream};
use std::pin::pin;

// ---- 1. A generator ----
//
// ```python
// def fibonacci():
//     a, b = 0, 1
//     while True:
//         yield a
//         a, b = b, a + b
//
// print(list(itertools.islice(fibonacci(), 10)))
// ```

#[resumable::coroutine]
fn fibonacci() -> impl Iterator<Item = u64> {
    let (mut a, mut b) = (0u64, 1u64);
    loop {
        yield_!(a);
        (a, b) = (b, a + b);
    }
}

// ---- 2. An async generator over a queue, and `async for` ----
//
// ```python
// async def lines(queue):
//     pending = ""
//     while (chunk := await queue.get()) is not None:
//         pending += chunk
//         while "\n" in pending:
//             line, pending = pending.split("\n", 1)
//             yield line
//     if pending:
//         yield pending
//
// async def producer(queue):
//     for chunk in ["GET / HT", "TP/1.1\nHost: exa", "mple.org\n\nbody"]:
//         await queue.put(chunk)
//         await asyncio.sleep(0)
//     await queue.put(None)
//
// async def main():
//     queue = asyncio.Queue()
//     asyncio.create_task(producer(queue))
//     async for line in lines(queue):
//         print(f"line: {line!r}")
//
// asyncio.run(main())
// ```

#[resumable::coroutine]
fn lines(queue: Queue<Option<String>>) -> impl Stream<Item = String> {
    let mut pending = String::new();
    // Python's `None` sentinel becomes the end of the queue's stream: `shutdown()`.
    for_await!(chunk in queue.into_stream() {
        let Some(chunk) = chunk else { break };
        pending.push_str(&chunk);
        while let Some(end) = pending.find('\n') {
            let line: String = pending.drain(..=end).collect();
            yield_!(line.trim_end_matches('\n').to_string());
        }
    });
    if !pending.is_empty() {
        yield_!(pending);
    }
}

#[resumable::coroutine]
fn producer(queue: Queue<Option<String>>) {
    for chunk in ["GET / HT", "TP/1.1\nHost: exa", "mple.org\n\nbody"] {
        yield_await!(queue.put(Some(chunk.to_string()))).expect("the queue is open");
        yield_await!(resumable::yield_now());
    }
    yield_await!(queue.put(None)).expect("the queue is open");
}

#[resumable::coroutine]
fn print_lines() {
    let queue = Queue::new();
    let _producer = resumable::spawn(producer(queue.clone()));
    // `async for`: the stream is polled in place, in the coroutine's machine.
    for_await!(line in lines(queue) {
        println!("line: {line:?}");
    });
}

// ---- 3. A coroutine driven by `send` ----
//
// ```python
// def averager():
//     total, count, average = 0.0, 0, None
//     while True:
//         term = yield average
//         total += term
//         count += 1
//         average = total / count
//
// avg = averager()
// next(avg)                 # prime it
// for term in [10, 30, 5]:
//     print(avg.send(term))
// avg.close()
// ```

#[resumable::coroutine]
fn averager() -> impl Coroutine<f64, Yield = Option<f64>, Return = ()> {
    let (mut total, mut count, mut average) = (0.0, 0.0, None);
    loop {
        let term = yield_!(average);
        total += term;
        count += 1.0;
        average = Some(total / count);
    }
}

fn main() {
    println!("{:?}", fibonacci().take(10).collect::<Vec<_>>());

    resumable::run(print_lines());

    let mut avg = pin!(averager());
    avg.as_mut().resume(0.0); // prime it: `next(avg)`; the argument is dropped
    for term in [10.0, 30.0, 5.0] {
        if let CoroutineState::Yielded(Some(average)) = avg.as_mut().resume(term) {
            println!("{average}");
        }
    }
    // `avg.close()`: dropping it drops what its body holds (nothing here).
}
