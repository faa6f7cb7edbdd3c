//! The owned-buffer read and write operations shared by [`TcpStream`](super::TcpStream)
//! and [`UnixStream`](super::UnixStream).

use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::task::{Context, Poll};

use mio::event::Source;

use super::error;
use super::io::Io;

/// A connected byte stream: what [`Reader`](super::Reader) and
/// [`Writer`](super::Writer) need from a socket.
pub(crate) trait ByteStream: 'static {
    fn poll_read_into(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>>;
    fn poll_write_from(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;
    fn shutdown_write(&self) -> io::Result<()>;
    /// The peer's IP address, for TCP.
    fn peer_ip_addr(&self) -> Option<std::net::SocketAddr> {
        None
    }
}

/// One read into `buf`; a short read proves the socket drained (edge-triggered epoll),
/// so readiness is cleared without the extra `WouldBlock` syscall.
pub(crate) fn poll_read<S>(
    io: &Io<S>,
    cx: &mut Context<'_>,
    buf: &mut [u8],
) -> Poll<io::Result<usize>>
where
    S: Source,
    for<'a> &'a S: Read,
{
    let len = buf.len();
    if len == 0 {
        return Poll::Ready(Ok(0));
    }
    let polled = io.poll_read(cx, |mut s| s.read(&mut buf[..]));
    match polled {
        Poll::Ready(Ok(n)) if n > 0 && n < len => io.clear_read_ready(),
        Poll::Ready(Err(e)) => return Poll::Ready(Err(error::stream_error(e))),
        _ => {}
    }
    polled
}

/// One write from `buf`; a short write proves the socket buffer full.
pub(crate) fn poll_write<S>(io: &Io<S>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>
where
    S: Source,
    for<'a> &'a S: Write,
{
    let len = buf.len();
    if len == 0 {
        return Poll::Ready(Ok(0));
    }
    let polled = io.poll_write(cx, |mut s| s.write(buf));
    match polled {
        Poll::Ready(Ok(n)) if n < len => io.clear_write_ready(),
        Poll::Ready(Err(e)) => return Poll::Ready(Err(error::stream_error(e))),
        _ => {}
    }
    polled
}

pub(crate) async fn read<S, B>(io: Rc<Io<S>>, mut buf: B) -> (io::Result<usize>, B)
where
    S: Source,
    for<'a> &'a S: Read,
    B: AsMut<[u8]>,
{
    let res = poll_fn(|cx| poll_read(&io, cx, buf.as_mut())).await;
    (res, buf)
}

pub(crate) async fn read_exact<S, B>(io: Rc<Io<S>>, mut buf: B) -> (io::Result<()>, B)
where
    S: Source,
    for<'a> &'a S: Read,
    B: AsMut<[u8]>,
{
    let mut filled = 0;
    let res = poll_fn(|cx| {
        let buf = buf.as_mut();
        while filled < buf.len() {
            match poll_read(&io, cx, &mut buf[filled..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(error::early_eof(filled, buf.len()))),
                Poll::Ready(Ok(n)) => filled += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    })
    .await;
    (res, buf)
}

pub(crate) async fn write<S, B>(io: Rc<Io<S>>, buf: B) -> (io::Result<usize>, B)
where
    S: Source,
    for<'a> &'a S: Write,
    B: AsRef<[u8]>,
{
    let res = poll_fn(|cx| poll_write(&io, cx, buf.as_ref())).await;
    (res, buf)
}

pub(crate) async fn write_all<S, B>(io: Rc<Io<S>>, buf: B) -> (io::Result<()>, B)
where
    S: Source,
    for<'a> &'a S: Write,
    B: AsRef<[u8]>,
{
    let mut written = 0;
    let res = poll_fn(|cx| {
        let data = buf.as_ref();
        while written < data.len() {
            match poll_write(&io, cx, &data[written..]) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(error::write_zero(written, data.len())))
                }
                Poll::Ready(Ok(n)) => written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    })
    .await;
    (res, buf)
}
