//! [`TcpListener`]: accepts TCP connections, and keeps doing so when the process runs out
//! of file descriptors.

use std::cell::Cell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::time::Duration;

use super::error;
use super::io::Io;
use super::TcpStream;
use crate::time::{sleep_until, Instant};

/// How long `accept` waits before retrying after running out of file descriptors.
pub(crate) const EXHAUSTED_BACKOFF: Duration = Duration::from_millis(50);

/// A TCP socket listening for connections. Cloning gives another handle to it.
///
/// The accept loop of a server (asyncio's `serve_forever`) is a plain loop; an accept
/// error there is usually a transient one worth logging, not a reason to stop:
///
/// ```
/// use resumable::net::{TcpListener, TcpStream};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let addr = listener.local_addr()?;
///     let server = resumable::spawn(async move {
///         for _ in 0..2 {
///             match listener.accept().await {
///                 Ok((stream, _peer)) => drop(resumable::spawn(async move {
///                     let (n, buf) = stream.read(vec![0; 64]).await;
///                     stream.write_all(buf[..n.unwrap_or(0)].to_vec()).await.0
///                 })),
///                 Err(e) => eprintln!("accept: {e}"), // e.g. out of file descriptors
///             }
///         }
///     });
///     for _ in 0..2 {
///         let client = TcpStream::connect(addr).await?;
///         client.write_all(b"echo").await.0?;
///         let (res, buf) = client.read_exact([0u8; 4]).await;
///         res?;
///         assert_eq!(&buf, b"echo");
///     }
///     server.await.unwrap();
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct TcpListener {
    inner: Rc<Inner>,
}

struct Inner {
    io: Io<mio::net::TcpListener>,
    /// Set when an accept ran out of descriptors: the next accept first waits until then.
    retry_at: Cell<Option<Instant>>,
}

impl TcpListener {
    /// Binds to `addr` (port 0: the OS picks a free port; see
    /// [`local_addr`](Self::local_addr)) and listens. Tries each resolved address in turn.
    ///
    /// # Errors
    /// `AddrInUse` (another socket is bound there) and the OS's other bind errors, each
    /// naming the address and the fix.
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// resumable::run(async {
    ///     let listener = resumable::net::TcpListener::bind("127.0.0.1:0")?;
    ///     assert_ne!(listener.local_addr()?.port(), 0);
    ///     let taken = resumable::net::TcpListener::bind(listener.local_addr()?);
    ///     assert_eq!(taken.unwrap_err().kind(), std::io::ErrorKind::AddrInUse);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        let mut last = None;
        for addr in error::resolve(addr)? {
            match mio::net::TcpListener::bind(addr) {
                Ok(listener) => return TcpListener::from_mio(listener),
                Err(e) => last = Some(error::bind_error(e, &addr.to_string())),
            }
        }
        Err(last.expect("resolve() returns at least one address"))
    }

    /// Wraps a bound, listening `std` listener (switched to non-blocking mode).
    ///
    /// ```
    /// resumable::run(async {
    ///     let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let listener = resumable::net::TcpListener::from_std(std_listener)?;
    ///     assert!(listener.local_addr()?.ip().is_loopback());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_mio(mio::net::TcpListener::from_std(listener))
    }

    fn from_mio(listener: mio::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            inner: Rc::new(Inner {
                io: Io::new(listener, "TcpListener")?,
                retry_at: Cell::new(None),
            }),
        })
    }

    /// Waits for the next connection and returns it with the peer's address.
    ///
    /// Connections the peer aborted before they were accepted are skipped. When the
    /// process (`EMFILE`) or the system (`ENFILE`) is out of file descriptors, the error
    /// is returned (it says so) and the connection stays queued; the next `accept` waits
    /// 50 ms before trying again, so a loop that retries at once does not spin.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (_server, peer) = listener.accept().await?;
    ///     assert_eq!(peer, client.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn accept(&self) -> impl Future<Output = io::Result<(TcpStream, SocketAddr)>> + 'static {
        let inner = self.inner.clone();
        async move {
            if let Some(at) = inner.retry_at.get() {
                sleep_until(at).await;
                inner.retry_at.set(None); // not before: a cancelled accept keeps the wait
            }
            loop {
                let accepted = poll_fn(|cx| inner.io.poll_read(cx, |l| l.accept())).await;
                return match accepted {
                    Ok((stream, peer)) => Ok((TcpStream::from_mio(stream)?, peer)),
                    Err(e) if e.kind() == io::ErrorKind::ConnectionAborted => continue,
                    Err(e) if error::is_resource_exhaustion(&e) => {
                        inner.retry_at.set(Some(Instant::now() + EXHAUSTED_BACKOFF));
                        Err(error::accept_exhausted(e, EXHAUSTED_BACKOFF))
                    }
                    Err(e) => Err(e),
                };
            }
        }
    }

    /// The connections, one [`Incoming::next`] at a time: the async form of `std`'s
    /// `for stream in listener.incoming()`.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let _client = resumable::spawn(TcpStream::connect(addr));
    ///     let mut incoming = listener.incoming();
    ///     while let Some(conn) = incoming.next().await {
    ///         let (stream, _peer) = conn?;
    ///         drop(resumable::spawn(async move { drop(stream) }));
    ///         break; // a server would go on forever
    ///     }
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn incoming(&self) -> Incoming {
        Incoming {
            listener: self.clone(),
        }
    }

    /// The address the listener is bound to (with the port the OS picked for port 0).
    ///
    /// ```
    /// resumable::run(async {
    ///     let listener = resumable::net::TcpListener::bind("[::1]:0").or_else(|_| {
    ///         resumable::net::TcpListener::bind("127.0.0.1:0") // no IPv6 here
    ///     })?;
    ///     assert!(listener.local_addr()?.ip().is_loopback());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.io.source().local_addr()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local", &self.local_addr().ok())
            .finish()
    }
}

/// The connections of a [`TcpListener`], from [`TcpListener::incoming`].
///
/// ```
/// use resumable::net::{Incoming, TcpListener};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let _incoming: Incoming = listener.incoming();
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Incoming {
    listener: TcpListener,
}

impl Incoming {
    /// The next connection, as [`TcpListener::accept`] gives it; never `None` (the
    /// `Option` is for `while let` loops). Errors do not end the sequence: after one,
    /// `next` can be called again.
    ///
    /// ```
    /// use resumable::net::{TcpListener, TcpStream};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (_server, peer) = listener.incoming().next().await.unwrap()?;
    ///     assert_eq!(peer, client.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    // The async counterpart of `Iterator::next` (as `StreamExt::next` is), not that.
    #[allow(clippy::should_implement_trait)]
    pub fn next(
        &mut self,
    ) -> impl Future<Output = Option<io::Result<(TcpStream, SocketAddr)>>> + 'static {
        let accepting = self.listener.accept();
        async move { Some(accepting.await) }
    }
}
