//! What the generated twins run against, shared verbatim (through `#[path]`) by the
//! generated batch crate, the regression tests in `tests/regressions_*.rs` and this crate:
//! a thread-local event log, the drop-logging `D`, the scripted awaitable `w`, and the
//! driver that observes both twins to completion and cancelled after every poll.
//!
//! Depends on `std` only, so any crate can include it.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static SCRIPT: RefCell<(Vec<u32>, usize)> = const { RefCell::new((Vec::new(), 0)) };
}

/// Appends an event to this thread's log.
pub fn log(event: String) {
    LOG.with(|l| l.borrow_mut().push(event));
}

fn next_id() -> u32 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

fn reset(script: &[u32]) {
    LOG.with(|l| l.borrow_mut().clear());
    NEXT_ID.with(|n| n.set(0));
    SCRIPT.with(|s| *s.borrow_mut() = (script.to_vec(), 0));
}

fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// A value that logs its creation and its drop, each with a unique id.
pub struct D(pub i64, u32);

impl D {
    /// Logs `new dN=v`.
    pub fn new(v: i64) -> D {
        let id = next_id();
        log(format!("new d{id}={v}"));
        D(v, id)
    }
}

impl Drop for D {
    fn drop(&mut self) {
        log(format!("drop d{}", self.1));
    }
}

/// Logs `tN=v` and returns `v`: pins the order in which operands are evaluated.
pub fn t(n: u32, v: i64) -> i64 {
    log(format!("t{n}={v}"));
    v
}

/// `Err(v)` when `v` is a multiple of 3, else `Ok(v)`.
pub fn ok(v: i64) -> Result<i64, i64> {
    if v.rem_euclid(3) == 0 {
        Err(v)
    } else {
        Ok(v)
    }
}

/// `None` when `v` is a multiple of 3, else `Some(v)`.
pub fn some(v: i64) -> Option<i64> {
    ok(v).ok()
}

/// `d.0 + v`: lets a temporary `D` live while `v` is evaluated.
pub fn keep(d: &D, v: i64) -> i64 {
    d.0.wrapping_add(v)
}

/// The scripted awaitable: `Pending` as many times as the script says, then `value`.
pub struct W {
    id: u32,
    pending: u32,
    value: i64,
}

/// A new awaitable (logs `wN=v`); its `Pending` count is the script's next entry.
pub fn w(value: i64) -> W {
    let id = next_id();
    let pending = SCRIPT.with(|s| {
        let mut s = s.borrow_mut();
        let (script, next) = &mut *s;
        let pending = if script.is_empty() {
            1
        } else {
            script[*next % script.len()]
        };
        *next += 1;
        pending
    });
    log(format!("w{id}={value}"));
    W { id, pending, value }
}

impl Future for W {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        if self.pending > 0 {
            self.pending -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            log(format!("w{} ready", self.id));
            Poll::Ready(self.value)
        }
    }
}

impl Drop for W {
    fn drop(&mut self) {
        log(format!("drop w{}", self.id));
    }
}

/// A scripted awaitable that borrows a local while it waits: `wd` a `D` (shared), `wx` an
/// `i64` (mutably). The borrow makes the local one a yield may not move: the coroutine
/// keeps it in a fixed slot.
pub struct Borrowing<B> {
    w: W,
    with: B,
}

/// As `w(value)`, borrowing `d`; ready with `d.0 + value` (read when ready).
pub fn wd(d: &D, value: i64) -> Borrowing<&D> {
    Borrowing {
        w: w(value),
        with: d,
    }
}

/// As `w(value)`, borrowing `x` mutably; when ready, adds `value` to `*x` (in place) and
/// is ready with the new `*x`.
pub fn wx(x: &mut i64, value: i64) -> Borrowing<&mut i64> {
    Borrowing {
        w: w(value),
        with: x,
    }
}

impl Future for Borrowing<&D> {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let d = self.with;
        Pin::new(&mut self.w).poll(cx).map(|v| d.0.wrapping_add(v))
    }
}

impl Future for Borrowing<&mut i64> {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let this = &mut *self;
        Pin::new(&mut this.w).poll(cx).map(|v| {
            *this.with = this.with.wrapping_add(v) % 1000;
            *this.with
        })
    }
}

/// Wakes nothing: the driver polls again right away.
struct NoopWaker;

impl std::task::Wake for NoopWaker {
    fn wake(self: std::sync::Arc<Self>) {}
}

/// A twin that has not returned after this many polls is reported as stuck.
pub const MAX_POLLS: usize = 10_000;

/// One observed run: the events in order (with `~pending` after each `Pending` poll and
/// `-- <end>` where the driver stopped polling, before the future is dropped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// The events.
    pub log: Vec<String>,
    /// How many times it was polled.
    pub polls: usize,
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic>".to_string()
    }
}

/// Runs the future `make()` returns, polling it at most `stop_after` times (all the way
/// when `None`), then drops it.
pub fn drive<F: Future>(make: &dyn Fn() -> F, script: &[u32], stop_after: Option<usize>) -> Run
where
    F::Output: Debug,
{
    reset(script);
    let mut fut = Box::pin(make());
    let waker = Waker::from(std::sync::Arc::new(NoopWaker));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    let end = loop {
        if Some(polls) == stop_after {
            break "cancelled".to_string();
        }
        if polls == MAX_POLLS {
            break "stuck".to_string();
        }
        polls += 1;
        match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))) {
            Ok(Poll::Pending) => log("~pending".to_string()),
            Ok(Poll::Ready(v)) => break format!("ready {v:?}"),
            Err(payload) => break format!("panic {}", panic_message(&*payload)),
        }
    };
    log(format!("-- {end}"));
    if let Err(payload) = catch_unwind(AssertUnwindSafe(move || drop(fut))) {
        log(format!("panic in drop {}", panic_message(&*payload)));
    }
    Run {
        log: take_log(),
        polls,
    }
}

/// Both twins observed the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twins {
    /// `(case, coroutine run, native run)`: `full`, then `cancel@k` for every `k` from 0
    /// (never polled) to the last poll before the native twin finished.
    pub cases: Vec<(String, Run, Run)>,
    /// `size_of` the coroutine's future.
    pub size_co: usize,
    /// `size_of` the native future.
    pub size_native: usize,
}

/// Observes the coroutine twin `co` and the native twin `native` under `script`.
pub fn observe<C: Future, N: Future>(
    co: &dyn Fn() -> C,
    native: &dyn Fn() -> N,
    script: &[u32],
) -> Twins
where
    C::Output: Debug,
    N::Output: Debug,
{
    reset(script);
    let size_co = std::mem::size_of_val(&co());
    let size_native = std::mem::size_of_val(&native());
    let full_co = drive(co, script, None);
    let full_native = drive(native, script, None);
    let polls = full_native.polls;
    let stuck = full_native.log.last().is_some_and(|e| e == "-- stuck");
    let mut cases = vec![("full".to_string(), full_co, full_native)];
    if !stuck {
        for k in 0..polls {
            cases.push((
                format!("cancel@{k}"),
                drive(co, script, Some(k)),
                drive(native, script, Some(k)),
            ));
        }
    }
    Twins {
        cases,
        size_co,
        size_native,
    }
}

/// The first difference between the twins, if any, described on one line.
pub fn difference(twins: &Twins) -> Option<String> {
    for (case, co, native) in &twins.cases {
        if co.log != native.log {
            let at = co
                .log
                .iter()
                .zip(&native.log)
                .position(|(a, b)| a != b)
                .unwrap_or(co.log.len().min(native.log.len()));
            let show = |log: &[String]| log.get(at).cloned().unwrap_or_else(|| "<end>".into());
            return Some(format!(
                "{case}: event {at} is `{}` in the coroutine, `{}` in the async fn",
                show(&co.log),
                show(&native.log)
            ));
        }
    }
    if twins.size_co > twins.size_native {
        return Some(format!(
            "size: the coroutine is {} B, the async fn {} B",
            twins.size_co, twins.size_native
        ));
    }
    None
}

/// Panics with both logs of the first differing case if the twins differ.
pub fn assert_same(twins: &Twins) {
    if let Some(diff) = difference(twins) {
        let (case, co, native) = twins
            .cases
            .iter()
            .find(|(_, co, native)| co.log != native.log)
            .unwrap_or(&twins.cases[0]);
        panic!(
            "{diff}\n{case} coroutine: {:?}\n{case} async fn:  {:?}",
            co.log, native.log
        );
    }
}

/// Prints the observations of program `index` in the batch report format
/// (`CASE\tindex\tcase\tco|native\tevent;event;..`, `SIZE\tindex\tco\tnative`).
pub fn report(index: usize, twins: &Twins) {
    let mut out = String::new();
    for (case, co, native) in &twins.cases {
        out.push_str(&format!(
            "CASE\t{index}\t{case}\tco\t{}\n",
            co.log.join(";")
        ));
        out.push_str(&format!(
            "CASE\t{index}\t{case}\tnative\t{}\n",
            native.log.join(";")
        ));
    }
    out.push_str(&format!(
        "SIZE\t{index}\t{}\t{}\n",
        twins.size_co, twins.size_native
    ));
    print!("{out}");
}
