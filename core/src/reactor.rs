//! The reactor: the runtime's `mio::Poll` and the readiness of every registered I/O
//! source. Crate-internal; `net` builds its sockets on it.
//!
//! Sources are registered edge-triggered (mio's only mode) for reading and writing at
//! once, with a separate waker per direction, so one task may read while another writes.
//! The protocol for an I/O future, as in tokio and async-io:
//!
//! ```text
//! loop {
//!     ready!(registration.poll_read_ready(cx))?;   // Pending until an edge arrives
//!     match source.read(buf) {
//!         Err(e) if e.kind() == WouldBlock => registration.clear_read_ready(),
//!         result => return Poll::Ready(result),
//!     }
//! }
//! ```
//!
//! A readiness edge is remembered until cleared, so none is lost between the event and
//! the next read. A hang-up is remembered for good (clearing does not forget it:
//! no further edge would come), so an operation may clear readiness after a short
//! read or write, which on epoll proves the buffer drained or full, and save the
//! syscall that would return `WouldBlock`. Several tasks may wait on one direction
//! (e.g. two tasks sending on one UDP socket); an edge wakes them all. Events are only
//! processed between steps (at the top of an iteration), so clearing after `WouldBlock`
//! cannot race with a new edge. The task woken by an event runs in the iteration after
//! the one that processed it, as asyncio's reader callbacks resolve a future whose task
//! then wakes.

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use mio::event::Source;
use mio::{Events, Interest, Token};

use crate::runtime::context;
use crate::scheduler::{Runnable, Scheduler};

const WAKER_TOKEN: Token = Token(usize::MAX);

const READABLE: u8 = 1 << 0;
const WRITABLE: u8 = 1 << 1;
/// Hang-up on the read side: sticky, never cleared.
const READ_CLOSED: u8 = 1 << 2;
/// Hang-up on the write side: sticky, never cleared.
const WRITE_CLOSED: u8 = 1 << 3;

/// The readiness and wakers of one registered source.
#[derive(Default)]
struct ScheduledIo {
    readiness: Cell<u8>,
    reader: RefCell<Waiting>,
    writer: RefCell<Waiting>,
}

/// The tasks waiting for one direction of a source, in arrival order: almost always a
/// single one, kept inline (no allocation, no second cache line when its event arrives).
#[derive(Default)]
struct Waiting {
    first: Option<Waker>,
    more: Vec<Waker>,
}

impl Waiting {
    /// Remembers `waker` unless an equivalent one is already waiting.
    fn register(&mut self, waker: &Waker) {
        match &self.first {
            None => self.first = Some(waker.clone()),
            Some(first) if first.will_wake(waker) => {}
            Some(_) => {
                if !self.more.iter().any(|w| w.will_wake(waker)) {
                    self.more.push(waker.clone());
                }
            }
        }
    }

    /// Queues every waiting waker, in arrival order, and forgets them.
    fn wake_into(&mut self, sched: &Scheduler) {
        if let Some(first) = self.first.take() {
            sched.push(Runnable::Wake(first));
            if !self.more.is_empty() {
                for w in self.more.drain(..) {
                    sched.push(Runnable::Wake(w));
                }
            }
        }
    }
}

pub(crate) struct Reactor {
    poll: RefCell<mio::Poll>,
    /// The events of the last poll, until [`Reactor::dispatch`] consumes them.
    events: RefCell<Events>,
    sources: RefCell<Vec<Option<Rc<ScheduledIo>>>>,
    free: RefCell<Vec<usize>>,
    /// How many sources are registered.
    registered: Cell<usize>,
    /// How many times `epoll_wait` was called (the loop's tests count them).
    #[cfg(test)]
    pub(crate) polls: Cell<u64>,
}

impl Reactor {
    pub(crate) fn new() -> io::Result<Reactor> {
        Ok(Reactor {
            poll: RefCell::new(mio::Poll::new()?),
            events: RefCell::new(Events::with_capacity(1024)),
            sources: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
            registered: Cell::new(0),
            #[cfg(test)]
            polls: Cell::new(0),
        })
    }

    pub(crate) fn waker(&self) -> io::Result<mio::Waker> {
        mio::Waker::new(self.poll.borrow().registry(), WAKER_TOKEN)
    }

    /// One `epoll_wait`; the events wait for [`dispatch`](Self::dispatch). Returns whether
    /// there are any. Interrupted waits count as "nothing happened".
    ///
    /// A non-blocking poll is skipped when no source is registered: it could only report
    /// the cross-thread waker, whose messages the loop finds through `Remote::pending`
    /// anyway. This keeps a syscall off every iteration of a pure-compute loop.
    #[inline]
    pub(crate) fn poll(&self, timeout: Option<Duration>) -> bool {
        if timeout == Some(Duration::ZERO) && self.registered.get() == 0 {
            return false;
        }
        self.epoll_wait(timeout)
    }

    fn epoll_wait(&self, timeout: Option<Duration>) -> bool {
        #[cfg(test)]
        self.polls.set(self.polls.get() + 1);
        let mut events = self.events.borrow_mut();
        if let Err(e) = self.poll.borrow_mut().poll(&mut events, timeout) {
            if e.kind() != io::ErrorKind::Interrupted {
                panic!("resumable: epoll_wait failed: {e}");
            }
            events.clear();
        }
        !events.is_empty()
    }

    /// Records readiness and queues the wakers of the sources in the last poll's events.
    pub(crate) fn dispatch(&self, sched: &Scheduler) {
        let mut events = self.events.borrow_mut();
        if events.is_empty() {
            return;
        }
        // Queueing a waker never runs it, so the borrows below cannot be re-entered
        // (only a closed scheduler drops what it is given: then nothing is queued).
        if !sched.closed.get() {
            let sources = self.sources.borrow();
            for event in events.iter() {
                let Some(Some(io)) = sources.get(event.token().0) else {
                    continue; // the waker token, or a source deregistered meanwhile
                };
                // A hang-up is permanent, so it is remembered for good; an error is
                // reported by the next operation (which consumes it), so it is an edge.
                let mut ready = 0;
                if event.is_read_closed() {
                    ready |= READ_CLOSED;
                }
                if event.is_write_closed() {
                    ready |= WRITE_CLOSED;
                }
                if event.is_readable() || event.is_error() || ready & READ_CLOSED != 0 {
                    ready |= READABLE;
                    io.reader.borrow_mut().wake_into(sched);
                }
                if event.is_writable() || event.is_error() || ready & WRITE_CLOSED != 0 {
                    ready |= WRITABLE;
                    io.writer.borrow_mut().wake_into(sched);
                }
                io.readiness.set(io.readiness.get() | ready);
                crate::runtime::trace::event!(
                    TRACE,
                    token = event.token().0,
                    readable = ready & READABLE != 0,
                    writable = ready & WRITABLE != 0,
                    "io ready"
                );
            }
        }
        events.clear();
    }

    /// Drops every stored waker (runtime teardown).
    pub(crate) fn clear(&self) {
        self.free.borrow_mut().clear();
        self.registered.set(0);
        let sources: Vec<_> = self.sources.borrow_mut().drain(..).flatten().collect();
        for io in sources {
            drop(std::mem::take(&mut *io.reader.borrow_mut()));
            drop(std::mem::take(&mut *io.writer.borrow_mut()));
        }
    }
}

/// A source registered with the current runtime's reactor.
///
/// Dropping it forgets the source's readiness; call [`Registration::deregister`] first to
/// also remove it from the poller (closing the file descriptor does that too).
pub(crate) struct Registration {
    reactor: Rc<Reactor>,
    token: usize,
    io: Rc<ScheduledIo>,
}

#[allow(dead_code)] // used by `net` (issue 6) and the tests below
impl Registration {
    /// Registers `source` for reading and writing with the current runtime.
    pub(crate) fn new(source: &mut impl Source) -> io::Result<Registration> {
        let reactor = context::core_or_panic("Registration::new", |c| c.reactor.clone());
        let io = Rc::new(ScheduledIo::default());
        let token = match reactor.free.borrow_mut().pop() {
            Some(t) => t,
            None => {
                let mut sources = reactor.sources.borrow_mut();
                sources.push(None);
                sources.len() - 1
            }
        };
        let registered = reactor.poll.borrow().registry().register(
            source,
            Token(token),
            Interest::READABLE | Interest::WRITABLE,
        );
        if let Err(e) = registered {
            reactor.free.borrow_mut().push(token);
            return Err(e);
        }
        reactor.sources.borrow_mut()[token] = Some(io.clone());
        reactor.registered.set(reactor.registered.get() + 1);
        Ok(Registration { reactor, token, io })
    }

    /// Ready once the source has signalled readability (or hang-up/error) since the last
    /// [`clear_read_ready`](Self::clear_read_ready); otherwise stores the waker.
    pub(crate) fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_ready(READABLE | READ_CLOSED, &self.io.reader, cx)
    }

    /// Ready once the source has signalled writability; otherwise stores the waker.
    pub(crate) fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_ready(WRITABLE | WRITE_CLOSED, &self.io.writer, cx)
    }

    /// Forgets read readiness (but not a hang-up): call after an operation returned
    /// `WouldBlock`, or after a stream read shorter than its buffer.
    pub(crate) fn clear_read_ready(&self) {
        self.io.readiness.set(self.io.readiness.get() & !READABLE);
    }

    /// Forgets write readiness (but not a hang-up): call after an operation returned
    /// `WouldBlock`, or after a stream write shorter than its buffer.
    pub(crate) fn clear_write_ready(&self) {
        self.io.readiness.set(self.io.readiness.get() & !WRITABLE);
    }

    /// Removes `source` (the one given to [`Registration::new`]) from the poller.
    pub(crate) fn deregister(self, source: &mut impl Source) -> io::Result<()> {
        self.reactor.poll.borrow().registry().deregister(source)
    }

    fn poll_ready(
        &self,
        bits: u8,
        waiting: &RefCell<Waiting>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        if self.io.readiness.get() & bits != 0 {
            return Poll::Ready(Ok(()));
        }
        waiting.borrow_mut().register(cx.waker());
        Poll::Pending
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut sources = self.reactor.sources.borrow_mut();
        if let Some(entry) = sources.get_mut(self.token) {
            if entry.as_ref().is_some_and(|io| Rc::ptr_eq(io, &self.io)) {
                *entry = None;
                self.reactor.free.borrow_mut().push(self.token);
                self.reactor
                    .registered
                    .set(self.reactor.registered.get() - 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;
    use std::io::{Read, Write};

    /// Reads until `WouldBlock` with the documented protocol, returning what was read.
    async fn read_some(reg: &Registration, stream: &mut mio::net::UnixStream) -> Vec<u8> {
        let mut buf = [0u8; 64];
        poll_fn(|cx| loop {
            match reg.poll_read_ready(cx) {
                Poll::Ready(r) => r.unwrap(),
                Poll::Pending => return Poll::Pending,
            }
            match stream.read(&mut buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => reg.clear_read_ready(),
                Ok(n) => return Poll::Ready(buf[..n].to_vec()),
                Err(e) => panic!("{e}"),
            }
        })
        .await
    }

    #[test]
    fn a_read_waits_for_readiness_and_sees_the_bytes_written_by_another_task() {
        crate::run(async {
            let (mut a, mut b) = mio::net::UnixStream::pair().unwrap();
            let reg_a = Registration::new(&mut a).unwrap();
            let writer = crate::spawn(async move {
                crate::yield_now().await;
                b.write_all(b"ping").unwrap();
                b
            });
            let got = read_some(&reg_a, &mut a).await;
            assert_eq!(got, b"ping");
            drop(writer.await.unwrap());
            // The peer is closed: readiness (hang-up) wakes the reader, read returns 0.
            let got = read_some(&reg_a, &mut a).await;
            assert!(got.is_empty());
            reg_a.deregister(&mut a).unwrap();
        });
    }

    /// The log of a ticker (one line per iteration), a reader waiting on a socket, and
    /// the main task, which writes to the socket after `delay` more yields.
    fn io_wake_log(delay: usize) -> Vec<String> {
        use std::cell::RefCell;
        let log = Rc::new(RefCell::new(Vec::<String>::new()));
        let l = log.clone();
        crate::run(async move {
            let (mut a, mut b) = mio::net::UnixStream::pair().unwrap();
            let reg = Registration::new(&mut a).unwrap();
            let lt = l.clone();
            let ticker = crate::spawn(async move {
                for i in 0..5 + delay {
                    lt.borrow_mut().push(format!("tick {i}"));
                    crate::yield_now().await;
                }
            });
            let lr = l.clone();
            let reader = crate::spawn(async move {
                read_some(&reg, &mut a).await;
                lr.borrow_mut().push("read".into());
            });
            for _ in 0..1 + delay {
                crate::yield_now().await; // the reader is now waiting for readability
            }
            b.write_all(b"x").unwrap();
            l.borrow_mut().push("write".into());
            ticker.await.unwrap();
            reader.await.unwrap();
        });
        log.take()
    }

    #[test]
    fn a_reader_woken_by_io_runs_in_the_iteration_after_the_event_is_processed() {
        // As in asyncio: the event is seen at the top of the next iteration, its callback
        // (here: the waker) runs in that iteration, and the woken task in the one after.
        assert_eq!(
            io_wake_log(0),
            ["tick 0", "write", "tick 1", "tick 2", "read", "tick 3", "tick 4"]
        );
        // Whichever iteration the write happens in (the loop never skips the poll that
        // follows an iteration in which a task ran).
        for delay in 1..4 {
            let mut expected: Vec<String> = (0..=delay).map(|i| format!("tick {i}")).collect();
            expected.push("write".into());
            expected.extend([delay + 1, delay + 2].map(|i| format!("tick {i}")));
            expected.push("read".into());
            expected.extend((delay + 3..5 + delay).map(|i| format!("tick {i}")));
            assert_eq!(
                io_wake_log(delay),
                expected,
                "write after {delay} more yields"
            );
        }
    }

    #[test]
    fn a_task_woken_by_io_while_nothing_else_runs_costs_one_poll_not_two() {
        crate::run(async {
            let (mut a, mut b) = mio::net::UnixStream::pair().unwrap();
            let reg = Registration::new(&mut a).unwrap();
            let reactor = context::core_or_panic("test", |c| c.reactor.clone());
            let reader = crate::spawn(async move {
                let got = read_some(&reg, &mut a).await;
                (got, reg, a) // still registered: a non-blocking poll is not skipped
            });
            crate::yield_now().await; // the reader is now waiting for readability
            b.write_all(b"x").unwrap();
            let before = reactor.polls.get();
            let (got, _reg, _a) = reader.await.unwrap();
            assert_eq!(got, b"x");
            // 1: a blocking poll returns the event, and only the reader's waker runs;
            // 2: no poll (nothing ran that could have made anything ready), the reader
            //    runs and completes, waking this task;
            // 3: a non-blocking poll (the reader ran), then this task.
            assert_eq!(reactor.polls.get() - before, 2);
        });
    }

    #[test]
    fn every_task_waiting_on_one_direction_is_woken_by_its_edge_in_arrival_order() {
        use std::cell::RefCell;
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        crate::run(async move {
            let (mut a, mut b) = mio::net::UnixStream::pair().unwrap();
            let reg = Rc::new(Registration::new(&mut a).unwrap());
            let waiters: Vec<_> = (0..3)
                .map(|i| {
                    let (reg, l) = (reg.clone(), l.clone());
                    crate::spawn(async move {
                        poll_fn(|cx| reg.poll_read_ready(cx)).await.unwrap();
                        l.borrow_mut().push(i);
                    })
                })
                .collect();
            crate::yield_now().await; // all three are waiting for readability
            b.write_all(b"x").unwrap();
            // The event is seen in the next iteration, the tasks run in the one after.
            for _ in 0..3 {
                crate::yield_now().await;
            }
            assert!(waiters.iter().all(|w| w.is_finished()));
        });
        assert_eq!(*log.borrow(), [0, 1, 2]);
    }

    #[test]
    fn write_readiness_is_reported_separately_from_read_readiness() {
        crate::run(async {
            let (mut a, _b) = mio::net::UnixStream::pair().unwrap();
            let reg = Registration::new(&mut a).unwrap();
            poll_fn(|cx| reg.poll_write_ready(cx)).await.unwrap();
            let read_ready = poll_fn(|cx| Poll::Ready(reg.poll_read_ready(cx).is_ready())).await;
            assert!(!read_ready, "nothing was written to `a`");
        });
    }

    #[test]
    fn clearing_readiness_makes_the_next_poll_wait_for_a_new_edge() {
        crate::run(async {
            let (mut a, mut b) = mio::net::UnixStream::pair().unwrap();
            let reg = Registration::new(&mut a).unwrap();
            b.write_all(b"x").unwrap();
            assert_eq!(read_some(&reg, &mut a).await, b"x");
            // Drain to WouldBlock: the readiness is cleared and a poll is pending again.
            let mut buf = [0u8; 8];
            assert_eq!(
                a.read(&mut buf).unwrap_err().kind(),
                io::ErrorKind::WouldBlock
            );
            reg.clear_read_ready();
            let pending = poll_fn(|cx| Poll::Ready(reg.poll_read_ready(cx).is_pending())).await;
            assert!(pending);
            b.write_all(b"y").unwrap();
            assert_eq!(read_some(&reg, &mut a).await, b"y");
        });
    }
}
