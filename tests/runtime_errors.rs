//! Mistakes at run time fail with a message that names the problem and the fix, from the
//! user's side: what was called where, and what to do instead.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use resumable::JoinError;

fn message(payload: Box<dyn Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    message(std::panic::catch_unwind(f).unwrap_err())
}

#[test]
fn awaiting_our_sleep_on_another_executor_says_it_needs_our_runtime_or_that_executors_timers() {
    let msg = panic_message(|| {
        futures::executor::block_on(resumable::time::sleep(Duration::from_millis(1)));
    });
    assert!(
        msg.starts_with("sleep() must be called from inside a resumable runtime"),
        "{msg}"
    );
    assert!(msg.contains("resumable::run(async { .. })"), "{msg}");
    assert!(
        msg.contains("that executor's own spawn, timers and sockets"),
        "{msg}"
    );
}

#[test]
fn creating_a_socket_outside_a_runtime_names_the_socket_type_and_the_fix() {
    let msg = panic_message(|| {
        drop(resumable::net::TcpListener::bind("127.0.0.1:0"));
    });
    assert!(
        msg.starts_with("a resumable::net::TcpListener must be created inside a resumable runtime"),
        "{msg}"
    );
    assert!(msg.contains("on tokio, use tokio::net"), "{msg}");
    assert!(!msg.contains("Registration"), "no internal names: {msg}");
}

/// Polls a task until it is ready, then once more.
struct PollTwice(resumable::Task<u8>, bool);

impl Future for PollTwice {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        match Pin::new(&mut this.0).poll(cx) {
            Poll::Ready(_) if this.1 => Poll::Ready(()),
            Poll::Ready(_) => {
                this.1 = true;
                let _ = Pin::new(&mut this.0).poll(cx); // the mistake
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[test]
fn polling_a_task_after_its_result_says_a_task_gives_its_result_once() {
    let msg = panic_message(|| {
        resumable::run(async {
            let task = resumable::spawn(async { 1u8 });
            PollTwice(task, false).await;
        });
    });
    assert!(
        msg.starts_with("a `Task` was polled after it returned its result"),
        "{msg}"
    );
    assert!(
        msg.contains("stop polling the Task after it completes"),
        "{msg}"
    );
}

#[test]
fn a_cancelled_task_says_what_can_cancel_it() {
    assert_eq!(
        JoinError::Cancelled.to_string(),
        "task was cancelled before it finished (by Task::cancel, a failing TaskGroup sibling, \
         or the runtime shutting down)"
    );
}

#[test]
fn running_a_loop_inside_a_loop_says_to_spawn_or_await_instead() {
    let msg = panic_message(|| resumable::run(async { resumable::run(async {}) }));
    assert!(
        msg.contains("cannot be called from a running event loop"),
        "{msg}"
    );
    assert!(
        msg.contains("spawn the future with resumable::spawn(fut) or `.await` it"),
        "{msg}"
    );
}
