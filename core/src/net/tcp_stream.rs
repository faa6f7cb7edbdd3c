//! [`TcpStream`]: a connected TCP socket with owned-buffer reads and writes.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use super::error;
use super::io::Io;
use super::stream::{self, ByteStream};

/// A TCP connection. Cloning gives another handle to the same socket (closed when the
/// last handle is dropped), so one task can read while another writes.
///
/// One task at a time should read, and one at a time write: two concurrent reads (or
/// writes) on one stream interleave their bytes.
///
/// ```
/// use resumable::net::{TcpListener, TcpStream};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let client = TcpStream::connect(listener.local_addr()?).await?;
///     let (server, _) = listener.accept().await?;
///     let reader = resumable::spawn(async move { server.read_exact([0u8; 5]).await });
///     client.write_all("hello").await.0?;
///     let (res, buf) = reader.await.unwrap();
///     res?;
///     assert_eq!(&buf, b"hello");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct TcpStream {
    io: Rc<Io<mio::net::TcpStream>>,
}

/// The future returned by [`TcpStream::connect`] (and, as `Connect<UnixStream>`, by
/// [`UnixStream::connect`](super::UnixStream::connect)): `'static`, it owns the resolved
/// address.
///
/// ```
/// use resumable::net::{Connect, TcpListener, TcpStream};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let connecting: Connect = TcpStream::connect(listener.local_addr()?);
///     let stream = connecting.await?;
///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Connect<S = TcpStream> {
    inner: Pin<Box<dyn Future<Output = io::Result<S>>>>,
}

impl<S> Connect<S> {
    pub(crate) fn new(inner: impl Future<Output = io::Result<S>> + 'static) -> Connect<S> {
        Connect {
            inner: Box::pin(inner),
        }
    }
}

impl<S> Future for Connect<S> {
    type Output = io::Result<S>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<S> fmt::Debug for Connect<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect").finish_non_exhaustive()
    }
}

impl TcpStream {
    /// Connects to `addr`, trying each address it resolves to in turn (names are
    /// resolved before this returns, blocking; pass IP addresses in a loop that must not
    /// block). Bound the wait with [`time::timeout`](crate::time::timeout) or use
    /// [`connect_timeout`](Self::connect_timeout).
    ///
    /// # Errors
    /// `ConnectionRefused` when nothing listens there, and the OS's other connect errors,
    /// each naming the address.
    ///
    /// # Panics
    /// When polled outside a running runtime.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?).await?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn connect<A: ToSocketAddrs>(addr: A) -> Connect {
        let addrs = error::resolve(addr);
        Connect::new(async move {
            let mut last = None;
            for addr in addrs? {
                match connect_one(addr).await {
                    Ok(stream) => return Ok(stream),
                    Err(e) => last = Some(e),
                }
            }
            Err(last.expect("resolve() returns at least one address"))
        })
    }

    /// [`connect`](Self::connect), giving up after `limit` with a `TimedOut` error.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    /// use std::time::Duration;
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let stream = TcpStream::connect_timeout(addr, Duration::from_secs(5)).await?;
    ///     assert_eq!(stream.peer_addr()?, addr);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn connect_timeout<A: ToSocketAddrs>(addr: A, limit: Duration) -> Connect {
        let connecting = TcpStream::connect(addr);
        Connect::new(async move {
            match crate::time::timeout(limit, connecting).await {
                Ok(res) => res,
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "connect timed out after {limit:?}: the host does not answer; \
                             check the address or allow more time"
                    ),
                )),
            }
        })
    }

    /// Wraps a connected `std` stream (it is switched to non-blocking mode).
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// resumable::run(async {
    ///     let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let std_stream = std::net::TcpStream::connect(listener.local_addr()?)?;
    ///     let stream = resumable::net::TcpStream::from_std(std_stream)?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_mio(mio::net::TcpStream::from_std(stream))
    }

    pub(crate) fn from_mio(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: Rc::new(Io::new(stream, "TcpStream")?),
        })
    }

    /// Reads what is available, up to `buf.as_mut().len()` bytes, into the start of `buf`,
    /// and hands `buf` back with the count. `Ok(0)` means the peer closed its side (or
    /// `buf` is empty). The bytes past the count are left as they were.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     client.write_all(b"hi".to_vec()).await.0?;
    ///     drop(client);
    ///     let (n, buf) = server.read(vec![0; 1024]).await;
    ///     assert_eq!(&buf[..n?], b"hi");
    ///     let (n, _buf) = server.read(buf).await;
    ///     assert_eq!(n?, 0, "end of stream");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read<B: AsMut<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<usize>, B)> {
        stream::read(self.io.clone(), buf)
    }

    /// Fills all of `buf`, or fails with `UnexpectedEof` if the peer closes first (the
    /// bytes read so far are in `buf`).
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     client.write_all(b"abc".to_vec()).await.0?;
    ///     drop(client);
    ///     let (res, _buf) = server.read_exact([0u8; 8]).await;
    ///     assert_eq!(res.unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_exact<B: AsMut<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<()>, B)> {
        stream::read_exact(self.io.clone(), buf)
    }

    /// Writes some of `buf` (at least one byte unless it is empty) and hands it back with
    /// the count.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (n, _data) = client.write(b"hello".to_vec()).await;
    ///     assert!(n? >= 1);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn write<B: AsRef<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<usize>, B)> {
        stream::write(self.io.clone(), buf)
    }

    /// Writes all of `buf`, waiting for the socket as often as needed (partial writes are
    /// continued), and hands it back.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (res, _data) = client.write_all("any AsRef<[u8]> works").await;
    ///     res?;
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn write_all<B: AsRef<[u8]>>(&self, buf: B) -> impl Future<Output = (io::Result<()>, B)> {
        stream::write_all(self.io.clone(), buf)
    }

    /// Shuts down the read side, the write side (the peer reads end of stream: a
    /// half-close), or both.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    /// use std::net::Shutdown;
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     client.shutdown(Shutdown::Write)?;
    ///     assert_eq!(server.read(vec![0; 8]).await.0?, 0);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }

    /// The address of the other end.
    ///
    /// ```
    /// # use resumable::net::{TcpListener, TcpStream};
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     assert_eq!(client.peer_addr()?, listener.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// The address of this end.
    ///
    /// ```
    /// # use resumable::net::{TcpListener, TcpStream};
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, peer) = listener.accept().await?;
    ///     assert_eq!(client.local_addr()?, peer);
    ///     assert_eq!(server.local_addr()?, listener.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Turns Nagle's algorithm off (`true`: small writes go out at once) or on.
    ///
    /// ```
    /// # use resumable::net::{TcpListener, TcpStream};
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     client.set_nodelay(true)?;
    ///     assert!(client.nodelay()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.source().set_nodelay(nodelay)
    }

    /// Whether Nagle's algorithm is off (see [`set_nodelay`](Self::set_nodelay)).
    ///
    /// ```
    /// # use resumable::net::{TcpListener, TcpStream};
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let _ = client.nodelay()?;
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.source().nodelay()
    }
}

impl ByteStream for TcpStream {
    fn poll_read_into(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        stream::poll_read(&self.io, cx, buf)
    }

    fn poll_write_from(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        stream::poll_write(&self.io, cx, buf)
    }

    fn shutdown_write(&self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }

    fn peer_ip_addr(&self) -> Option<SocketAddr> {
        self.peer_addr().ok()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local", &self.local_addr().ok())
            .field("peer", &self.peer_addr().ok())
            .finish()
    }
}

/// A non-blocking connect: wait for writability, then ask the socket how it went.
async fn connect_one(addr: SocketAddr) -> io::Result<TcpStream> {
    let what = addr.to_string();
    let socket = mio::net::TcpStream::connect(addr).map_err(|e| error::connect_error(e, &what))?;
    let stream = TcpStream::from_mio(socket)?;
    let io = &stream.io;
    poll_fn(|cx| {
        io.poll_write(cx, |s| {
            if let Some(e) = s.take_error()? {
                return Err(e);
            }
            match s.peer_addr() {
                Ok(_) => Ok(()),
                // Not connected yet: a spurious wake-up; wait for the next edge.
                Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                    Err(io::ErrorKind::WouldBlock.into())
                }
                Err(e) => Err(e),
            }
        })
    })
    .await
    .map_err(|e| error::connect_error(e, &what))?;
    Ok(stream)
}
