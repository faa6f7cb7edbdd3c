//! The thread-local "current runtime": set while a runtime drives its loop, so that
//! [`spawn`](crate::spawn), [`sleep`](crate::time::sleep) and friends find it.

use std::cell::Cell;
use std::ptr;
use std::rc::Rc;

use super::Core;
use crate::scheduler::Scheduler;
use crate::time::Timers;

thread_local! {
    static CURRENT: Cell<*const Core> = const { Cell::new(ptr::null()) };
}

/// What a nested `run`/`block_on` panics with (asyncio: "cannot be called from a running
/// event loop").
pub(crate) const NESTED: &str =
    "resumable::run() / Runtime::block_on() cannot be called from a running event \
     loop: inside a task, spawn the future with resumable::spawn(fut) or `.await` it directly";

/// Restores the previous current runtime when dropped (also on unwind).
pub(crate) struct Enter {
    prev: *const Core,
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.prev));
    }
}

/// Makes `core` the current runtime until the guard is dropped.
pub(crate) fn enter(core: &Core) -> Enter {
    let prev = CURRENT.with(|c| c.replace(core as *const Core));
    Enter { prev }
}

/// True while some runtime's loop runs on this thread.
pub(crate) fn is_entered() -> bool {
    CURRENT.with(|c| !c.get().is_null())
}

/// Runs `f` with the current runtime, if there is one.
pub(crate) fn with_core<R>(f: impl FnOnce(&Core) -> R) -> Option<R> {
    CURRENT.with(|c| {
        let core = c.get();
        if core.is_null() {
            None
        } else {
            // SAFETY: `CURRENT` is only non-null while an `Enter` guard for a live `Core`
            // (borrowed by `block_on` or the runtime's `Drop`) exists on this thread.
            Some(f(unsafe { &*core }))
        }
    })
}

pub(crate) fn with_scheduler<R>(f: impl FnOnce(&Rc<Scheduler>) -> R) -> Option<R> {
    with_core(|core| f(&core.sched))
}

fn outside(what: &str) -> ! {
    panic!(
        "{what}() must be called from inside a resumable runtime: wrap the program in \
         resumable::run(async {{ .. }}) or Runtime::block_on (from another thread, reach a \
         running loop through a resumable::Handle; on another executor such as tokio, use \
         that executor's own spawn, timers and sockets)"
    )
}

/// The current scheduler, or a panic naming `what` needed it.
pub(crate) fn scheduler(what: &str) -> Rc<Scheduler> {
    with_core(|core| core.sched.clone()).unwrap_or_else(|| outside(what))
}

/// The current timers, or a panic naming `what` needed them.
pub(crate) fn timers(what: &str) -> Rc<Timers> {
    with_core(|core| core.timers.clone()).unwrap_or_else(|| outside(what))
}

pub(crate) fn core_or_panic<R>(what: &str, f: impl FnOnce(&Core) -> R) -> R {
    match with_core(f) {
        Some(r) => r,
        None => outside(what),
    }
}
