//! Resume arguments: a generator declared as `-> impl Coroutine<R, Yield = Y, Return = T>`
//! is resumed with an `R`, which the suspended `yield_!` evaluates to (Python's
//! `gen.send(x)`); the first argument is dropped (Python's priming `next(gen)`); its
//! return value comes out as `CoroutineState::Complete`.
#![deny(warnings)]
// The expansion contains no `unsafe`: the support types in `resumable` hold it all.
#![forbid(unsafe_code)]

use resumable::{yield_, Coroutine, CoroutineState};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use testkit::{Dropper, Log};

/// Python:
/// ```python
/// def averager():
///     total, count, average = 0.0, 0, None
///     while True:
///         term = yield average
///         total += term; count += 1; average = total / count
/// ```
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

#[test]
fn send_delivers_the_value_to_the_suspended_yield() {
    let mut avg = pin!(averager());
    assert_eq!(avg.as_mut().resume(0.0), CoroutineState::Yielded(None));
    assert_eq!(
        avg.as_mut().resume(10.0),
        CoroutineState::Yielded(Some(10.0))
    );
    assert_eq!(
        avg.as_mut().resume(30.0),
        CoroutineState::Yielded(Some(20.0))
    );
    assert_eq!(
        avg.as_mut().resume(5.0),
        CoroutineState::Yielded(Some(15.0))
    );
}

#[resumable::coroutine]
fn first_argument(log: Log) -> impl Coroutine<Dropper, Yield = (), Return = String> {
    let got = yield_!(());
    log.push("body has the second");
    got.name().to_string()
}

#[test]
fn the_first_argument_is_dropped_and_the_return_value_completes() {
    let log = Log::new();
    let mut co = pin!(first_argument(log.clone()));
    assert_eq!(
        co.as_mut().resume(log.value("first")),
        CoroutineState::Yielded(())
    );
    assert_eq!(log.take(), ["drop first"]);
    assert_eq!(
        co.as_mut().resume(log.value("second")),
        CoroutineState::Complete("second".to_string())
    );
    assert_eq!(log.take(), ["body has the second", "drop second"]);
}

#[resumable::coroutine]
fn fallible() -> impl Coroutine<Result<u32, String>, Yield = u32, Return = Result<u32, String>> {
    let mut sum = 0;
    loop {
        // Python's `gen.throw(e)`: send an `Err` and let `?` raise it in the body.
        let n = yield_!(sum)?;
        if n == 0 {
            return Ok(sum);
        }
        sum += n;
    }
}

#[test]
fn an_error_sent_in_propagates_with_question_mark_like_throw() {
    let mut co = pin!(fallible());
    assert_eq!(co.as_mut().resume(Ok(99)), CoroutineState::Yielded(0));
    assert_eq!(co.as_mut().resume(Ok(2)), CoroutineState::Yielded(2));
    assert_eq!(
        co.as_mut().resume(Err("bad".into())),
        CoroutineState::Complete(Err("bad".to_string()))
    );
    let mut co = pin!(fallible());
    co.as_mut().resume(Ok(0));
    co.as_mut().resume(Ok(5));
    assert_eq!(co.as_mut().resume(Ok(0)), CoroutineState::Complete(Ok(5)));
}

#[test]
fn resuming_a_completed_coroutine_panics_like_std() {
    let log = Log::new();
    let mut co = Box::pin(first_argument(log.clone()));
    co.as_mut().resume(log.value("1"));
    co.as_mut().resume(log.value("2"));
    let err = catch_unwind(AssertUnwindSafe(|| co.as_mut().resume(log.value("3")))).unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert!(message.contains("resumed after completion"), "{message}");
}

#[resumable::coroutine]
fn closing(log: Log) -> impl Coroutine<u32, Yield = u32, Return = ()> {
    let _held = log.value("held");
    let mut n = yield_!(0);
    loop {
        n = yield_!(n * 2);
    }
}

#[test]
fn dropping_a_suspended_coroutine_is_close_it_drops_what_the_body_holds() {
    let log = Log::new();
    let mut co = Box::pin(closing(log.clone()));
    co.as_mut().resume(0);
    assert_eq!(co.as_mut().resume(4), CoroutineState::Yielded(8));
    assert!(log.events().is_empty());
    drop(co);
    assert_eq!(log.take(), ["drop held"]);
}

#[test]
fn a_generator_is_unpin_and_can_be_resumed_through_a_mutable_reference() {
    fn resume_twice<C: Coroutine<u32, Yield = u32> + Unpin>(mut c: C) -> u32 {
        let _ = std::pin::Pin::new(&mut c).resume(0);
        match std::pin::Pin::new(&mut c).resume(21) {
            CoroutineState::Yielded(y) => y,
            CoroutineState::Complete(_) => 0,
        }
    }
    let log = Log::new();
    assert_eq!(resume_twice(closing(log)), 42);
}

#[test]
fn memcheck_finds_no_invalid_access_double_free_or_leak() {
    // Re-runs this file's tests (drops, cancellation, panics) under valgrind.
    testkit::valgrind::rerun_under_memcheck("");
}
