//! Task dumps: every live task with its state and, when its future reports one, the
//! yield point it is suspended at.

use std::fmt;

use crate::scheduler::Scheduler;
use crate::task::raw::{CANCELLED, RUNNING, SCHEDULED};

/// What a task is doing, as seen by a [`Dump`].
///
/// ```
/// use resumable::runtime::TaskState;
/// assert_eq!(TaskState::Idle.to_string(), "idle");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// Being polled right now (the task that asked for the dump).
    Running,
    /// In the ready queue: runs in the next iteration.
    Scheduled,
    /// Suspended, waiting to be woken.
    Idle,
    /// Cancellation requested: its future is dropped at its next step.
    Cancelling,
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskState::Running => "running",
            TaskState::Scheduled => "scheduled",
            TaskState::Idle => "idle",
            TaskState::Cancelling => "cancelling",
        })
    }
}

/// One line of a [`Dump`].
///
/// ```
/// resumable::run(async {
///     let _t = resumable::spawn_named("worker", std::future::pending::<()>());
///     let dump = resumable::runtime::dump();
///     assert_eq!(dump.tasks[0].name.as_deref(), Some("worker"));
/// });
/// ```
#[derive(Clone, Debug)]
pub struct TaskInfo {
    /// The task's id ([`Task::id`](crate::Task::id)).
    pub id: u64,
    /// The name given with [`spawn_named`](crate::spawn_named).
    pub name: Option<String>,
    /// What it is doing.
    pub state: TaskState,
    /// Where it is suspended, if its future reported it with
    /// [`report_location`](crate::task::report_location). With the `locations` cargo
    /// feature, coroutines report their `yield_await!` (file, line and text) once a
    /// runtime runs in debug mode (`RESUMABLE_DEBUG=1` or
    /// [`Builder::debug`](crate::runtime::Builder::debug)).
    pub location: Option<&'static str>,
}

/// Every live task of a runtime, in spawn order. `Display` prints one line per task.
///
/// ```
/// resumable::run(async {
///     let _t = resumable::spawn_named("worker", std::future::pending::<()>());
///     let text = resumable::runtime::dump().to_string();
///     assert!(text.contains("worker"), "{text}");
/// });
/// ```
#[derive(Clone, Debug, Default)]
pub struct Dump {
    /// The tasks, in spawn order.
    pub tasks: Vec<TaskInfo>,
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} task(s)", self.tasks.len())?;
        for t in &self.tasks {
            write!(
                f,
                "  #{} {:<16} {:<10}",
                t.id,
                t.name.as_deref().unwrap_or("-"),
                t.state
            )?;
            match t.location {
                Some(loc) => writeln!(f, " at {loc}")?,
                None => writeln!(f, " (location unknown)")?,
            }
        }
        Ok(())
    }
}

pub(crate) fn dump(sched: &Scheduler) -> Dump {
    let tasks = sched.tasks.borrow().in_spawn_order();
    let tasks = tasks
        .into_iter()
        .map(|ptr| {
            // SAFETY: registered tasks are alive (the registry holds a reference).
            let h = unsafe { ptr.as_ref() };
            let s = h.state.get();
            let state = if s & RUNNING != 0 {
                TaskState::Running
            } else if s & CANCELLED != 0 {
                TaskState::Cancelling
            } else if s & SCHEDULED != 0 {
                TaskState::Scheduled
            } else {
                TaskState::Idle
            };
            TaskInfo {
                id: h.id,
                name: h.name().map(str::to_owned),
                state,
                location: h.location.get(),
            }
        })
        .collect();
    Dump { tasks }
}
