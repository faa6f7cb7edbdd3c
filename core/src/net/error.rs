//! Errors that say what went wrong and what to do, keeping the OS error as their source.

use std::error::Error;
use std::fmt;
use std::io;

/// An OS error with a sentence of context in front of it.
#[derive(Debug)]
struct Context {
    message: String,
    source: io::Error,
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Context {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

/// `e` with `message` (which should name the problem and the fix); same kind as `e`.
pub(crate) fn context(e: io::Error, message: String) -> io::Error {
    io::Error::new(
        e.kind(),
        Context {
            message: format!("{message} ({e})"),
            source: e,
        },
    )
}

/// Adds the fix for the errors a `bind` commonly meets.
pub(crate) fn bind_error(e: io::Error, what: &str) -> io::Error {
    let hint = match e.kind() {
        io::ErrorKind::AddrInUse => {
            "address already in use: another socket is bound there; stop it, pick another \
             port, or bind port 0 to let the OS choose"
        }
        io::ErrorKind::AddrNotAvailable => {
            "address not available: it is not an address of this machine; bind 127.0.0.1, \
             ::1 or 0.0.0.0"
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied: ports below 1024 need privileges; use a higher port"
        }
        _ => "bind failed",
    };
    context(e, format!("cannot bind {what}: {hint}"))
}

/// Adds the fix for the errors a `connect` commonly meets.
pub(crate) fn connect_error(e: io::Error, what: &str) -> io::Error {
    let hint = match e.kind() {
        io::ErrorKind::ConnectionRefused => {
            "connection refused: nothing listens there; start the server first or check \
             the address and port"
        }
        io::ErrorKind::NotFound => "no such socket file: start the server first or check the path",
        io::ErrorKind::TimedOut => "connection timed out: the host does not answer",
        _ => "connect failed",
    };
    context(e, format!("cannot connect to {what}: {hint}"))
}

/// True for the accept errors that mean "out of file descriptors or memory": the pending
/// connection stays queued and a later accept can succeed.
pub(crate) fn is_resource_exhaustion(e: &io::Error) -> bool {
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    const ENOBUFS: i32 = 105;
    const ENOMEM: i32 = 12;
    matches!(e.raw_os_error(), Some(ENFILE | EMFILE | ENOBUFS | ENOMEM))
        || e.kind() == io::ErrorKind::OutOfMemory
}

/// The error `accept` returns when out of descriptors, with the fix.
pub(crate) fn accept_exhausted(e: io::Error, backoff: std::time::Duration) -> io::Error {
    context(
        e,
        format!(
            "accept failed: out of file descriptors (or kernel memory); the connection \
             stays queued and the next accept retries after {backoff:?}; raise the limit \
             (`ulimit -n`, RLIMIT_NOFILE) or close idle connections"
        ),
    )
}

/// Explains the errors a connected stream commonly meets; others pass unchanged.
pub(crate) fn stream_error(e: io::Error) -> io::Error {
    let hint = match e.kind() {
        io::ErrorKind::ConnectionReset => {
            "the peer reset the connection (it closed with data unread, or its host \
             dropped the connection): data in flight is lost; reconnect to go on"
        }
        io::ErrorKind::BrokenPipe => {
            "the peer has closed the connection: nothing more can be written to it; \
             reconnect to go on"
        }
        _ => return e,
    };
    context(e, hint.to_string())
}

/// The early-EOF error of `read_exact`.
pub(crate) fn early_eof(got: usize, wanted: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!(
            "the peer closed the connection after {got} of the {wanted} bytes expected; \
             use read() to accept a shorter message"
        ),
    )
}

/// The error of a write that the OS accepted zero bytes of.
pub(crate) fn write_zero(written: usize, total: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::WriteZero,
        format!("the socket accepted no more data after {written} of {total} bytes"),
    )
}

/// Resolves `addr` now (hostnames block, so the returned future stays `'static`).
pub(crate) fn resolve(addr: impl std::net::ToSocketAddrs) -> io::Result<Vec<std::net::SocketAddr>> {
    let addrs: Vec<_> = addr.to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the address resolved to nothing: pass an IP and port such as 127.0.0.1:8080",
        ));
    }
    Ok(addrs)
}
