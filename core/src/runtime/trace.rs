//! What the loop tells [`tracing`](https://docs.rs/tracing) when the `tracing` feature is
//! on, and nothing at all when it is off: the macros below expand to no code then, so the
//! instrumented paths compile exactly as if they were not there.
//!
//! Every span and event has the target `resumable`. Spans: `poll` around each step of a
//! task (`task.id`, `task.name`; the future given to `block_on`/`run` is task 0, `main`).
//! Events (message, then fields):
//!
//! | message | level | fields | when |
//! |---|---|---|---|
//! | `spawn` | DEBUG | `task.id`, `task.name` (if named) | [`spawn`](crate::spawn) registered a task |
//! | `wake` | TRACE | `task.id`, `remote` | a waker scheduled its task (`remote`: from another thread) |
//! | `cancel` | DEBUG | `task.id` | cancellation was requested |
//! | `panic` | WARN | `task.id`, `task.name` (if named), `panic.message` | a step (or the drop of the future) panicked |
//! | `complete` | DEBUG | `task.id`, `outcome` | the future is gone: `returned`, `cancelled` or `panicked` |
//! | `timer fired` | TRACE | `timers` | expired timers queued their wakers |
//! | `io ready` | TRACE | `token`, `readable`, `writable` | the poller reported readiness |

/// Emits a `tracing` event with target `resumable` (nothing without the feature).
/// `event!(LEVEL, field = value, .., "message")`, as `tracing::event!` takes them.
macro_rules! event {
    ($level:ident, $($arg:tt)+) => {{
        #[cfg(feature = "tracing")]
        {
            ::tracing::event!(target: "resumable", ::tracing::Level::$level, $($arg)+);
        }
    }};
}
pub(crate) use event;

/// The `poll` span of one task step, entered until dropped (a zero-sized nothing without
/// the feature).
pub(crate) struct PollSpan {
    #[cfg(feature = "tracing")]
    _entered: tracing::span::EnteredSpan,
}

/// Enters the `poll` span of task `id`.
#[inline(always)]
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn poll_span(id: u64, name: Option<&str>) -> PollSpan {
    #[cfg(feature = "tracing")]
    {
        let span = tracing::trace_span!(
            target: "resumable",
            "poll",
            task.id = id,
            task.name = tracing::field::Empty
        );
        if let Some(name) = name {
            span.record("task.name", name);
        }
        PollSpan {
            _entered: span.entered(),
        }
    }
    #[cfg(not(feature = "tracing"))]
    PollSpan {}
}

#[cfg(test)]
mod tests {
    #[cfg(not(feature = "tracing"))]
    #[test]
    fn without_the_feature_a_poll_span_is_nothing() {
        assert_eq!(std::mem::size_of::<super::PollSpan>(), 0);
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn with_the_feature_a_poll_span_holds_the_entered_span() {
        assert!(std::mem::size_of::<super::PollSpan>() > 0);
    }
}
