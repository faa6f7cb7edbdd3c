//! [`UdpSocket`]: datagrams with owned buffers.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;

use super::error;
use super::io::Io;

/// A UDP socket. Cloning gives another handle to it; several tasks may send or receive
/// on one socket at once (each datagram goes to exactly one receiver).
///
/// ```
/// use resumable::net::UdpSocket;
///
/// resumable::run(async {
///     let a = UdpSocket::bind("127.0.0.1:0")?;
///     let b = UdpSocket::bind("127.0.0.1:0")?;
///     a.send_to(b"ping".to_vec(), b.local_addr()?).await.0?;
///     let (res, buf) = b.recv_from(vec![0; 1500]).await;
///     let (n, from) = res?;
///     assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr()?));
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct UdpSocket {
    io: Rc<Io<mio::net::UdpSocket>>,
}

impl UdpSocket {
    /// Binds a socket to `addr` (port 0: the OS picks one).
    ///
    /// # Errors
    /// `AddrInUse` and the OS's other bind errors, naming the address and the fix.
    ///
    /// # Panics
    /// Outside a running runtime.
    ///
    /// ```
    /// resumable::run(async {
    ///     let socket = resumable::net::UdpSocket::bind("127.0.0.1:0")?;
    ///     assert_ne!(socket.local_addr()?.port(), 0);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        let mut last = None;
        for addr in error::resolve(addr)? {
            match mio::net::UdpSocket::bind(addr) {
                Ok(socket) => {
                    return Ok(UdpSocket {
                        io: Rc::new(Io::new(socket, "UdpSocket")?),
                    })
                }
                Err(e) => last = Some(error::bind_error(e, &addr.to_string())),
            }
        }
        Err(last.expect("resolve() returns at least one address"))
    }

    /// Sends `buf` as one datagram to `target` and hands it back with the count sent.
    ///
    /// ```
    /// resumable::run(async {
    ///     let socket = resumable::net::UdpSocket::bind("127.0.0.1:0")?;
    ///     let (n, _buf) = socket.send_to("hello", socket.local_addr()?).await;
    ///     assert_eq!(n?, 5);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn send_to<B: AsRef<[u8]>>(
        &self,
        buf: B,
        target: SocketAddr,
    ) -> impl Future<Output = (io::Result<usize>, B)> {
        let io = self.io.clone();
        async move {
            let res = poll_fn(|cx| io.poll_write(cx, |s| s.send_to(buf.as_ref(), target))).await;
            (res, buf)
        }
    }

    /// Receives one datagram into the start of `buf`; returns its length and sender, and
    /// hands `buf` back. A datagram longer than `buf` is cut to fit (the rest is lost, as
    /// with `recvfrom`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let socket = resumable::net::UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.send_to("to myself", socket.local_addr()?).await.0?;
    ///     let (res, buf) = socket.recv_from([0u8; 64]).await;
    ///     let (n, from) = res?;
    ///     assert_eq!(&buf[..n], b"to myself");
    ///     assert_eq!(from, socket.local_addr()?);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn recv_from<B: AsMut<[u8]>>(
        &self,
        mut buf: B,
    ) -> impl Future<Output = (io::Result<(usize, SocketAddr)>, B)> {
        let io = self.io.clone();
        async move {
            let res = poll_fn(|cx| io.poll_read(cx, |s| s.recv_from(buf.as_mut()))).await;
            (res, buf)
        }
    }

    /// The address the socket is bound to.
    ///
    /// ```
    /// resumable::run(async {
    ///     let socket = resumable::net::UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(socket.local_addr()?.ip().is_loopback());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local", &self.local_addr().ok())
            .finish()
    }
}
