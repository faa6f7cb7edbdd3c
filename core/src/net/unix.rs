//! [`UnixListener`] and [`UnixStream`]: stream sockets on a filesystem path.

use std::cell::Cell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::Shutdown;
use std::os::unix::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::task::{Context, Poll};

use super::error;
use super::io::Io;
use super::stream::{self, ByteStream};
use super::tcp_listener::EXHAUSTED_BACKOFF;
use super::Connect;
use crate::time::{sleep_until, Instant};

/// A Unix stream socket listening on a path.
///
/// ```
/// use resumable::net::{UnixListener, UnixStream};
///
/// let dir = std::env::temp_dir().join(format!("resumable-doc-ul-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("sock");
/// resumable::run(async {
///     let listener = UnixListener::bind(&path)?;
///     let client = UnixStream::connect(&path).await?;
///     let (server, _) = listener.accept().await?;
///     client.write_all("hi").await.0?;
///     assert_eq!(&server.read_exact([0u8; 2]).await.1, b"hi");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Clone)]
pub struct UnixListener {
    inner: Rc<ListenerInner>,
}

struct ListenerInner {
    io: Io<mio::net::UnixListener>,
    /// Set when an accept ran out of descriptors: the next accept first waits until then.
    retry_at: Cell<Option<Instant>>,
}

impl UnixListener {
    /// Creates the socket file at `path` and listens on it. The file stays after the
    /// listener is dropped (as with `std`): remove it, or bind in a temporary directory.
    ///
    /// # Errors
    /// `AddrInUse` if `path` exists (a previous run's socket file: remove it first), and
    /// the OS's other bind errors, naming the path.
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("resumable-doc-ub-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// resumable::run(async {
    ///     let _listener = resumable::net::UnixListener::bind(dir.join("sock"))?;
    ///     let again = resumable::net::UnixListener::bind(dir.join("sock"));
    ///     assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AddrInUse);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixListener> {
        let path = path.as_ref();
        let listener = mio::net::UnixListener::bind(path).map_err(|e| {
            if e.kind() == io::ErrorKind::AddrInUse {
                error::context(
                    e,
                    format!(
                        "cannot bind {}: the path exists (a socket file left by an earlier \
                         run?); remove it first or choose another path",
                        path.display()
                    ),
                )
            } else {
                error::bind_error(e, &path.display().to_string())
            }
        })?;
        Ok(UnixListener {
            inner: Rc::new(ListenerInner {
                io: Io::new(listener, "UnixListener")?,
                retry_at: Cell::new(None),
            }),
        })
    }

    /// Waits for the next connection. Out of file descriptors, it returns the error and
    /// the connection stays queued, as with [`TcpListener::accept`](super::TcpListener::accept).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("resumable-doc-ua-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let path = dir.join("sock");
    /// resumable::run(async {
    ///     let listener = resumable::net::UnixListener::bind(&path)?;
    ///     let _client = resumable::net::UnixStream::connect(&path).await?;
    ///     let (_server, _addr) = listener.accept().await?;
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn accept(&self) -> impl Future<Output = io::Result<(UnixStream, SocketAddr)>> + 'static {
        let inner = self.inner.clone();
        async move {
            if let Some(at) = inner.retry_at.get() {
                sleep_until(at).await;
                inner.retry_at.set(None); // not before: a cancelled accept keeps the wait
            }
            match poll_fn(|cx| inner.io.poll_read(cx, |l| l.accept())).await {
                Ok((stream, addr)) => Ok((UnixStream::from_mio(stream)?, addr)),
                Err(e) if error::is_resource_exhaustion(&e) => {
                    inner.retry_at.set(Some(Instant::now() + EXHAUSTED_BACKOFF));
                    Err(error::accept_exhausted(e, EXHAUSTED_BACKOFF))
                }
                Err(e) => Err(e),
            }
        }
    }

    /// The path the listener is bound to.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("resumable-doc-ul2-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// resumable::run(async {
    ///     let listener = resumable::net::UnixListener::bind(dir.join("sock"))?;
    ///     assert_eq!(listener.local_addr()?.as_pathname(), Some(dir.join("sock").as_path()));
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.io.source().local_addr()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixListener")
            .field("local", &self.local_addr().ok())
            .finish()
    }
}

/// A connected Unix stream socket; the same owned-buffer API as
/// [`TcpStream`](super::TcpStream). Cloning gives another handle to it.
///
/// ```
/// resumable::run(async {
///     let (a, b) = resumable::net::UnixStream::pair()?;
///     a.write_all(b"over a socketpair".to_vec()).await.0?;
///     let (n, buf) = b.read(vec![0; 64]).await;
///     assert_eq!(&buf[..n?], b"over a socketpair");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct UnixStream {
    io: Rc<Io<mio::net::UnixStream>>,
}

impl UnixStream {
    /// Connects to the socket at `path`.
    ///
    /// # Errors
    /// `NotFound` (no socket file), `ConnectionRefused` (nothing listens on it), naming
    /// the path and the fix.
    ///
    /// ```
    /// resumable::run(async {
    ///     let missing = resumable::net::UnixStream::connect("/nonexistent/resumable.sock").await;
    ///     assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// });
    /// ```
    pub fn connect(path: impl AsRef<Path>) -> Connect<UnixStream> {
        let path: PathBuf = path.as_ref().to_owned();
        Connect::new(async move {
            let what = path.display().to_string();
            let socket =
                mio::net::UnixStream::connect(&path).map_err(|e| error::connect_error(e, &what))?;
            let stream = UnixStream::from_mio(socket)?;
            let io = &stream.io;
            poll_fn(|cx| {
                io.poll_write(cx, |s| match s.take_error()? {
                    Some(e) => Err(e),
                    None => Ok(()),
                })
            })
            .await
            .map_err(|e| error::connect_error(e, &what))?;
            Ok(stream)
        })
    }

    /// A pair of connected sockets (`socketpair`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     drop(a);
    ///     assert_eq!(b.read(vec![0; 8]).await.0?, 0);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = mio::net::UnixStream::pair()?;
        Ok((UnixStream::from_mio(a)?, UnixStream::from_mio(b)?))
    }

    fn from_mio(stream: mio::net::UnixStream) -> io::Result<UnixStream> {
        Ok(UnixStream {
            io: Rc::new(Io::new(stream, "UnixStream")?),
        })
    }

    /// Like [`TcpStream::read`](super::TcpStream::read).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     a.write_all("x").await.0?;
    ///     let (n, buf) = b.read([0u8; 4]).await;
    ///     assert_eq!(&buf[..n?], b"x");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read<B: AsMut<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<usize>, B)> {
        stream::read(self.io.clone(), buf)
    }

    /// Like [`TcpStream::read_exact`](super::TcpStream::read_exact).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     a.write_all("xyz").await.0?;
    ///     let (res, buf) = b.read_exact([0u8; 3]).await;
    ///     res?;
    ///     assert_eq!(&buf, b"xyz");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_exact<B: AsMut<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<()>, B)> {
        stream::read_exact(self.io.clone(), buf)
    }

    /// Like [`TcpStream::write`](super::TcpStream::write).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, _b) = resumable::net::UnixStream::pair()?;
    ///     assert_eq!(a.write("abc").await.0?, 3);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn write<B: AsRef<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<usize>, B)> {
        stream::write(self.io.clone(), buf)
    }

    /// Like [`TcpStream::write_all`](super::TcpStream::write_all).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, _b) = resumable::net::UnixStream::pair()?;
    ///     a.write_all(vec![7u8; 100]).await.0?;
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn write_all<B: AsRef<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<()>, B)> {
        stream::write_all(self.io.clone(), buf)
    }

    /// Shuts down one side or both (see [`TcpStream::shutdown`](super::TcpStream::shutdown)).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     a.shutdown(std::net::Shutdown::Write)?;
    ///     assert_eq!(b.read(vec![0; 8]).await.0?, 0);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }

    /// The address of the other end (unnamed for a client socket or a pair).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, _b) = resumable::net::UnixStream::pair()?;
    ///     assert!(a.peer_addr()?.is_unnamed());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }
}

impl ByteStream for UnixStream {
    fn poll_read_into(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        stream::poll_read(&self.io, cx, buf)
    }

    fn poll_write_from(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        stream::poll_write(&self.io, cx, buf)
    }

    fn shutdown_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream")
            .field("peer", &self.peer_addr().ok())
            .finish()
    }
}
