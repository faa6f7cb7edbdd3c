//! The ready queue, the task registry and the cross-thread inbox of one runtime.
//!
//! Everything here lives on the loop's thread (`Rc`, `Cell`, `RefCell`): the hot path
//! (spawn, wake, run) touches no atomics. The only shared part is [`Remote`], a
//! mutex-protected inbox plus a `mio::Waker`; a waker that is used on another thread
//! posts a message there instead of touching the task (see `task::raw`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Waker;

use crate::task::raw::{Header, TaskRef};

/// One entry of the ready queue: asyncio's `Handle`.
pub(crate) enum Runnable {
    /// Run one step of a task.
    Task(TaskRef),
    /// Call a waker: how expired timers and I/O readiness enter the queue, so that (as in
    /// asyncio, where a timer callback resolves a future whose task then wakes) the woken
    /// task runs in the iteration after the one that processed the event.
    Wake(Waker),
}

/// An identity for the current thread that costs one TLS address computation.
pub(crate) fn thread_mark() -> usize {
    thread_local! {
        static MARK: u8 = const { 0 };
    }
    MARK.with(|m| m as *const u8 as usize)
}

/// The per-runtime scheduling state shared by every task header (through an `Rc`).
pub(crate) struct Scheduler {
    /// The FIFO ready queue.
    pub(crate) ready: RefCell<VecDeque<Runnable>>,
    /// Every task whose future is still alive, for teardown and `dump()`.
    pub(crate) tasks: RefCell<Registry>,
    /// Set when the runtime is dropped: wakes no longer queue anything.
    pub(crate) closed: Cell<bool>,
    /// The thread the runtime was created on (see [`thread_mark`]).
    pub(crate) home: usize,
    /// The inbox for other threads.
    pub(crate) remote: Arc<Remote>,
    /// Reference-count messages taken from [`Remote`] and not applied yet, in the order
    /// they were posted. Every drain, also one nested inside another (a count reaching
    /// zero while a batch is applied), pops from this one queue, so a message is never
    /// overtaken and never forgotten by a nested drain (see `task::raw`).
    inbox: RefCell<VecDeque<RemoteMsg>>,
    /// The task being polled, for `report_location`.
    pub(crate) current: Cell<Option<NonNull<Header>>>,
    next_id: Cell<u64>,
}

impl Scheduler {
    pub(crate) fn new(remote: Arc<Remote>) -> Scheduler {
        Scheduler {
            ready: RefCell::new(VecDeque::with_capacity(256)),
            tasks: RefCell::new(Registry::default()),
            closed: Cell::new(false),
            home: thread_mark(),
            remote,
            inbox: RefCell::new(VecDeque::new()),
            current: Cell::new(None),
            next_id: Cell::new(1),
        }
    }

    pub(crate) fn next_id(&self) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// Appends to the ready queue (dropped instead once the runtime is gone).
    pub(crate) fn push(&self, runnable: Runnable) {
        if self.closed.get() {
            drop(runnable);
            return;
        }
        self.ready.borrow_mut().push_back(runnable);
    }

    pub(crate) fn ready_len(&self) -> usize {
        self.ready.borrow().len()
    }

    pub(crate) fn pop(&self) -> Option<Runnable> {
        self.ready.borrow_mut().pop_front()
    }

    /// True if another thread may have posted a reference-count message that is not
    /// applied yet: one in [`Remote`], or one taken from it by a drain still under way
    /// further up the stack.
    pub(crate) fn has_unapplied_refs(&self) -> bool {
        self.remote.pending.load(Ordering::Acquire) || !self.inbox.borrow().is_empty()
    }

    /// Applies every reference-count message posted so far, in posting order (see
    /// `task::raw`). Re-entrant: a message whose application makes a count reach zero
    /// drains again from inside this loop, and that nested drain goes on with the messages
    /// this one has not applied yet, so the order is kept and nothing is left behind.
    ///
    /// Looks into [`Remote`] once, whatever `Remote::pending` says, and does not clear
    /// that flag (the loop does, before it calls this and runs the posted calls): a thread
    /// that keeps posting cannot keep the loop here.
    pub(crate) fn drain_remote_refs(&self) {
        let mut fetched = false;
        loop {
            // The borrow ends before the message is applied: applying may drain again.
            let next = self.inbox.borrow_mut().pop_front();
            let msg = match next {
                Some(msg) => msg,
                None if fetched => return,
                None => {
                    fetched = true;
                    self.remote.take_refs_into(&mut self.inbox.borrow_mut());
                    continue;
                }
            };
            // Each message was posted by a thread holding a counted reference to the task
            // (or, for `Inc`, cloning from one), and a task is freed only when its count is
            // zero with no message left unapplied (`raw::release`).
            // SAFETY: so the header is alive; and this is the home thread (not `Send`).
            unsafe { crate::task::raw::apply_remote(msg) };
        }
    }
}

#[cfg(test)]
impl Scheduler {
    /// What the loop does when it starts a drain: clears `pending` and takes the posted
    /// messages, to be applied next.
    pub(crate) fn take_posted_refs(&self) {
        self.remote.pending.store(false, Ordering::Release);
        self.remote.take_refs_into(&mut self.inbox.borrow_mut());
    }
}

/// Live tasks, by slot. A slot is reused after its task completes.
#[derive(Default)]
pub(crate) struct Registry {
    slots: Vec<Option<NonNull<Header>>>,
    free: Vec<usize>,
    len: usize,
}

impl Registry {
    pub(crate) fn insert(&mut self, task: NonNull<Header>) -> usize {
        self.len += 1;
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = Some(task);
                slot
            }
            None => {
                self.slots.push(Some(task));
                self.slots.len() - 1
            }
        }
    }

    pub(crate) fn remove(&mut self, slot: usize) {
        if self.slots[slot].take().is_some() {
            self.len -= 1;
            self.free.push(slot);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The live tasks, in slot order (spawn order unless slots were reused).
    pub(crate) fn iter(&self) -> impl Iterator<Item = NonNull<Header>> + '_ {
        self.slots.iter().flatten().copied()
    }

    /// The live tasks sorted by id, i.e. in spawn order.
    pub(crate) fn in_spawn_order(&self) -> Vec<NonNull<Header>> {
        let mut all: Vec<_> = self.iter().collect();
        // SAFETY: registered headers are alive (the registry holds a reference).
        all.sort_by_key(|h| unsafe { h.as_ref() }.id);
        all
    }
}

/// A message from another thread about a task's reference count or wake-up.
pub(crate) enum RemoteMsg {
    /// A waker was cloned on another thread: one more reference.
    Inc(SendPtr),
    /// A waker was dropped on another thread: one reference less.
    Dec(SendPtr),
    /// `wake()` on another thread: schedule, then release that waker's reference.
    Wake(SendPtr),
    /// `wake_by_ref()` on another thread: schedule.
    WakeByRef(SendPtr),
}

/// A task pointer that may travel to the loop's thread inside a [`RemoteMsg`].
pub(crate) struct SendPtr(pub(crate) NonNull<Header>);

// SAFETY: the pointer is only dereferenced on the task's home thread (by `apply_remote`).
unsafe impl Send for SendPtr {}

/// The thread-safe inbox of a runtime: what `Handle`s and foreign-thread wakers use.
pub(crate) struct Remote {
    refs: Mutex<Vec<RemoteMsg>>,
    calls: Mutex<Vec<Box<dyn FnOnce() + Send>>>,
    /// Something was posted since the loop last looked (checked without locking).
    pub(crate) pending: AtomicBool,
    /// False once the runtime is dropped.
    pub(crate) alive: AtomicBool,
    waker: mio::Waker,
}

impl Remote {
    pub(crate) fn new(waker: mio::Waker) -> Remote {
        Remote {
            refs: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
            pending: AtomicBool::new(false),
            alive: AtomicBool::new(true),
            waker,
        }
    }

    pub(crate) fn post(&self, msg: RemoteMsg) {
        let mut refs = self.refs.lock().unwrap_or_else(|e| e.into_inner());
        refs.push(msg);
        self.pending.store(true, Ordering::Release);
        drop(refs);
        self.wake_loop();
    }

    pub(crate) fn call(&self, f: Box<dyn FnOnce() + Send>) {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.push(f);
        self.pending.store(true, Ordering::Release);
        drop(calls);
        self.wake_loop();
    }

    /// Interrupts the loop's `epoll_wait` (harmless if it is not waiting).
    pub(crate) fn wake_loop(&self) {
        let _ = self.waker.wake();
    }

    /// Moves the posted reference-count messages to the end of `inbox`, in order.
    pub(crate) fn take_refs_into(&self, inbox: &mut VecDeque<RemoteMsg>) {
        inbox.extend(
            self.refs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .drain(..),
        );
    }

    pub(crate) fn take_calls(&self) -> Vec<Box<dyn FnOnce() + Send>> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
