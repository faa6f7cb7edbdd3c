//! Builds `resumable` with its `tracing` feature (this crate is a workspace member, so
//! `cargo test --workspace` compiles the instrumented runtime) and provides [`Recorder`],
//! a small hand-written `tracing` subscriber the tests in `tests/` read.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Dispatch, Event, Metadata, Subscriber};

/// Records every span entry/exit and event with target `resumable`, in order, as one line
/// of text each: `spawn task.id=1 task.name=worker`, `enter poll task.id=1`,
/// `exit poll task.id=1`.
///
/// ```
/// use resumable_tracing_tests::Recorder;
///
/// let recorder = Recorder::default();
/// recorder.record(|| resumable::run(async { resumable::spawn(async {}).await.unwrap() }));
/// assert!(recorder.lines().iter().any(|l| l.starts_with("spawn task.id=1")));
/// ```
#[derive(Clone, Default)]
pub struct Recorder {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    lines: Mutex<Vec<String>>,
    spans: Mutex<HashMap<u64, String>>,
    next_id: AtomicU64,
}

impl Recorder {
    /// Runs `f` with this recorder as the current thread's subscriber.
    ///
    /// ```
    /// let recorder = resumable_tracing_tests::Recorder::default();
    /// assert_eq!(recorder.record(|| 1 + 1), 2);
    /// ```
    pub fn record<R>(&self, f: impl FnOnce() -> R) -> R {
        tracing::subscriber::with_default(self.clone(), f)
    }

    /// This recorder as a `Dispatch`, to install on another thread with
    /// `tracing::dispatcher::with_default`.
    ///
    /// ```
    /// let recorder = resumable_tracing_tests::Recorder::default();
    /// let dispatch = recorder.dispatch();
    /// std::thread::spawn(move || tracing::dispatcher::with_default(&dispatch, || ()))
    ///     .join()
    ///     .unwrap();
    /// ```
    pub fn dispatch(&self) -> Dispatch {
        Dispatch::new(self.clone())
    }

    /// Everything recorded so far, in order.
    ///
    /// ```
    /// assert!(resumable_tracing_tests::Recorder::default().lines().is_empty());
    /// ```
    pub fn lines(&self) -> Vec<String> {
        self.inner.lines.lock().unwrap().clone()
    }

    fn push(&self, line: String) {
        self.inner.lines.lock().unwrap().push(line);
    }
}

/// Collects fields as ` name=value` (the message first, without a name).
#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            write!(self.rest, " {}={value:?}", field.name()).unwrap();
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "resumable"
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let text = format!("{}{}", span.metadata().name(), fields.rest);
        self.inner.spans.lock().unwrap().insert(id, text);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let Some(text) = self.inner.spans.lock().unwrap().get_mut(&span.into_u64()) {
            text.push_str(&fields.rest);
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(format!("{}{}", fields.message, fields.rest));
    }

    fn enter(&self, span: &Id) {
        let text = self.inner.spans.lock().unwrap()[&span.into_u64()].clone();
        self.push(format!("enter {text}"));
    }

    fn exit(&self, span: &Id) {
        let text = self.inner.spans.lock().unwrap()[&span.into_u64()].clone();
        self.push(format!("exit {text}"));
    }
}
