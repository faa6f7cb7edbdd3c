//! [`Io`]: a mio source registered with the current runtime, shared by every handle of one
//! socket, and the readiness protocol of [`crate::reactor`] applied to it.

use std::cell::Cell;
use std::io;
use std::task::{Context, Poll};

use mio::event::Source;

use crate::reactor::Registration;
use crate::runtime::context;

/// Operations in a row that may complete without the task yielding; then the next one
/// yields once, so one busy socket cannot starve the other tasks and the timers.
const BUDGET: u32 = 64;

/// A registered source. Dropping it removes the source from the poller and closes it.
pub(crate) struct Io<S: Source> {
    source: S,
    registration: Option<Registration>,
    streak: Cell<u32>,
    /// Directions not tried yet (bit 0: read, bit 1: write). A new socket's readiness
    /// is unknown until its first event, so its first operation is simply tried: a new
    /// connection can usually be written to at once.
    untried: Cell<u8>,
}

impl<S: Source> Io<S> {
    /// Registers `source` (already non-blocking) with the current runtime; `kind` names
    /// the socket type for the panic message.
    ///
    /// # Panics
    /// Outside a running runtime.
    pub(crate) fn new(mut source: S, kind: &str) -> io::Result<Io<S>> {
        if !context::is_entered() {
            panic!(
                "a resumable::net::{kind} must be created inside a resumable runtime (its \
                 socket registers with that loop's poller): create it in a task, under \
                 resumable::run(async {{ .. }}) or Runtime::block_on; on tokio, use tokio::net"
            );
        }
        let registration = Registration::new(&mut source)?;
        Ok(Io {
            source,
            registration: Some(registration),
            streak: Cell::new(0),
            untried: Cell::new(0b11),
        })
    }

    pub(crate) fn source(&self) -> &S {
        &self.source
    }

    fn registration(&self) -> &Registration {
        self.registration
            .as_ref()
            .expect("the registration lives as long as the Io")
    }

    /// Runs `op` once the source is readable, until it stops returning `WouldBlock`.
    pub(crate) fn poll_read<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_op(cx, true, op)
    }

    /// Runs `op` once the source is writable, until it stops returning `WouldBlock`.
    pub(crate) fn poll_write<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_op(cx, false, op)
    }

    /// Forgets read readiness: a stream read shorter than its buffer drained the socket.
    pub(crate) fn clear_read_ready(&self) {
        self.registration().clear_read_ready();
    }

    /// Forgets write readiness: a stream write shorter than its buffer filled the socket.
    pub(crate) fn clear_write_ready(&self) {
        self.registration().clear_write_ready();
    }

    fn poll_op<R>(
        &self,
        cx: &mut Context<'_>,
        read: bool,
        mut op: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let reg = self.registration();
        if self.streak.get() >= BUDGET {
            self.streak.set(0);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let bit = if read { 0b01 } else { 0b10 };
        let mut skip_wait = self.untried.get() & bit != 0;
        let mut would_block = 0;
        self.untried.set(self.untried.get() & !bit);
        loop {
            let ready = if std::mem::take(&mut skip_wait) {
                Poll::Ready(Ok(()))
            } else if read {
                reg.poll_read_ready(cx)
            } else {
                reg.poll_write_ready(cx)
            };
            match ready {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => {
                    self.streak.set(0);
                    return Poll::Pending;
                }
            }
            match op(&self.source) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if read {
                        reg.clear_read_ready();
                    } else {
                        reg.clear_write_ready();
                    }
                    would_block += 1;
                    if would_block > 2 {
                        // Readiness that clearing cannot remove (a hang-up) while the
                        // socket still says WouldBlock: try again next iteration rather
                        // than spin here and freeze the loop.
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                result => {
                    self.streak.set(self.streak.get() + 1);
                    return Poll::Ready(result);
                }
            }
        }
    }
}

impl<S: Source> Drop for Io<S> {
    fn drop(&mut self) {
        if let Some(registration) = self.registration.take() {
            // Closing the descriptor right after removes it from epoll anyway; the
            // explicit call keeps the poller exact even if the fd was duplicated.
            let _ = registration.deregister(&mut self.source);
        }
    }
}
