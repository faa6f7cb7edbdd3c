//! asyncio's streams: [`open_connection`] and [`start_server`] give a buffered
//! [`Reader`] (`read(n)`, `read_exact(n)`, `read_line()`, `read_until(sep)`,
//! `read_to_end()`, returning owned bytes and strings) and a [`Writer`] (`write`,
//! `drain`, `close`) with asyncio's flow control.
//!
//! [`Writer::write`] never waits: what the socket does not take at once is buffered and
//! sent by a background task (asyncio's transport). Above the high-water mark (64 KiB)
//! [`Writer::drain`] waits until the buffer is back under the low-water mark (16 KiB),
//! which is how a fast writer is slowed to the pace of a slow reader.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::stream::ByteStream;
use super::{TcpListener, TcpStream, UnixStream};
use crate::task::Task;

/// How many bytes a [`Reader`] asks the socket for at a time.
const CHUNK: usize = 16 * 1024;
/// The longest line or separated record a [`Reader`] buffers (asyncio's `limit`).
const LIMIT: usize = 64 * 1024;
/// asyncio's default write-buffer limits.
const HIGH_WATER: usize = 64 * 1024;
const LOW_WATER: usize = HIGH_WATER / 4;

// ---------------------------------------------------------------------------------------
// Reader

/// The buffered reading half of a connection, like asyncio's `StreamReader`. A cheap
/// handle: its futures own a clone, so they never borrow it.
///
/// ```
/// use resumable::net::{open_connection, TcpListener};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let (_reader, writer) = open_connection(listener.local_addr()?).await?;
///     let (stream, _) = listener.accept().await?;
///     let (reader, _w) = stream.into_streams();
///     writer.write("GET / HTTP/1.0\r\nHost: x\r\n\r\nbody");
///     writer.close().await?;
///     assert_eq!(reader.read_line().await?, "GET / HTTP/1.0\r\n");
///     assert_eq!(reader.read_until("\r\n\r\n").await?, b"Host: x\r\n\r\n");
///     assert_eq!(reader.read_to_end().await?, b"body");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct Reader {
    inner: Rc<ReaderInner>,
}

struct ReaderInner {
    stream: Rc<dyn ByteStream>,
    /// Bytes read from the socket and not yet returned are `buf[pos..end]`. `buf` is
    /// zero-filled once as it grows and reused, so a read needs no `unsafe` and no
    /// memset.
    buf: RefCell<Vec<u8>>,
    pos: Cell<usize>,
    end: Cell<usize>,
    eof: Cell<bool>,
}

impl ReaderInner {
    fn buffered(&self) -> usize {
        self.end.get() - self.pos.get()
    }

    /// Reads from the socket into the buffer; `Ok(0)` at end of stream.
    fn poll_fill(&self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.eof.get() {
            return Poll::Ready(Ok(0));
        }
        let mut buf = self.buf.borrow_mut();
        let (mut pos, mut end) = (self.pos.get(), self.end.get());
        if pos == end {
            (pos, end) = (0, 0);
        } else if pos > 0 && buf.len() - end < CHUNK {
            buf.copy_within(pos..end, 0);
            (pos, end) = (0, end - pos);
        }
        if buf.len() - end < CHUNK {
            buf.resize(end + CHUNK, 0);
        }
        let polled = self.stream.poll_read_into(cx, &mut buf[end..]);
        match polled {
            Poll::Ready(Ok(0)) => self.eof.set(true),
            Poll::Ready(Ok(n)) => end += n,
            _ => {}
        }
        self.pos.set(pos);
        self.end.set(end);
        polled
    }

    /// Removes and returns the first `n` buffered bytes.
    fn take(&self, n: usize) -> Vec<u8> {
        let buf = self.buf.borrow();
        let pos = self.pos.get();
        let out = buf[pos..pos + n].to_vec();
        self.pos.set(pos + n);
        out
    }

    fn find(&self, sep: &[u8], from: usize) -> Option<usize> {
        let buf = self.buf.borrow();
        let data = &buf[self.pos.get()..self.end.get()];
        if sep.is_empty() || data.len() < sep.len() {
            return None;
        }
        (from..=data.len() - sep.len()).find(|&i| data[i..].starts_with(sep))
    }
}

impl Reader {
    fn new(stream: Rc<dyn ByteStream>) -> Reader {
        Reader {
            inner: Rc::new(ReaderInner {
                stream,
                buf: RefCell::new(Vec::new()),
                pos: Cell::new(0),
                end: Cell::new(0),
                eof: Cell::new(false),
            }),
        }
    }

    /// Up to `n` bytes: what is buffered, or else what one read from the socket gives.
    /// An empty vector means end of stream (or `n == 0`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     a.write_all("abcdef").await.0?;
    ///     drop(a);
    ///     assert_eq!(reader.read(4).await?, b"abcd");
    ///     assert_eq!(reader.read(100).await?, b"ef");
    ///     assert_eq!(reader.read(100).await?, b"");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read(&self, n: usize) -> impl Future<Output = io::Result<Vec<u8>>> + 'static {
        let inner = self.inner.clone();
        async move {
            if n == 0 {
                return Ok(Vec::new());
            }
            if inner.buffered() == 0 {
                poll_fn(|cx| inner.poll_fill(cx)).await?;
            }
            Ok(inner.take(n.min(inner.buffered())))
        }
    }

    /// Exactly `n` bytes; `UnexpectedEof` if the stream ends first (the partial data stays
    /// buffered, for [`read_to_end`](Self::read_to_end)).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     a.write_all("12345").await.0?;
    ///     drop(a);
    ///     assert_eq!(reader.read_exact(3).await?, b"123");
    ///     let short = reader.read_exact(3).await.unwrap_err();
    ///     assert_eq!(short.kind(), std::io::ErrorKind::UnexpectedEof);
    ///     assert_eq!(reader.read_to_end().await?, b"45");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_exact(&self, n: usize) -> impl Future<Output = io::Result<Vec<u8>>> + 'static {
        let inner = self.inner.clone();
        async move {
            while inner.buffered() < n {
                if poll_fn(|cx| inner.poll_fill(cx)).await? == 0 {
                    return Err(super::error::early_eof(inner.buffered(), n));
                }
            }
            Ok(inner.take(n))
        }
    }

    /// The bytes up to and including the first `sep`.
    ///
    /// # Errors
    /// `UnexpectedEof` if the stream ends before `sep` (what was read stays buffered);
    /// `InvalidData` if 64 KiB arrive without `sep` (asyncio's `LimitOverrunError`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     a.write_all("key=value;rest").await.0?;
    ///     assert_eq!(reader.read_until(";").await?, b"key=value;");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_until(
        &self,
        sep: impl AsRef<[u8]>,
    ) -> impl Future<Output = io::Result<Vec<u8>>> + 'static {
        let inner = self.inner.clone();
        let sep = sep.as_ref().to_vec();
        async move {
            match read_record(&inner, &sep).await? {
                Some(record) => Ok(record),
                None => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "the stream ended after {} bytes without the separator {:?}; \
                         read_to_end() returns them",
                        inner.buffered(),
                        String::from_utf8_lossy(&sep)
                    ),
                )),
            }
        }
    }

    /// One line, with its `\n`; at end of stream the last unterminated piece, then `""`.
    ///
    /// # Errors
    /// `InvalidData` if the line is not UTF-8 (use [`read_until`](Self::read_until) for
    /// bytes) or longer than 64 KiB.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     a.write_all("one\ntwo").await.0?;
    ///     drop(a);
    ///     assert_eq!(reader.read_line().await?, "one\n");
    ///     assert_eq!(reader.read_line().await?, "two");
    ///     assert_eq!(reader.read_line().await?, "");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_line(&self) -> impl Future<Output = io::Result<String>> + 'static {
        let inner = self.inner.clone();
        async move {
            let line = match read_record(&inner, b"\n").await? {
                Some(line) => line,
                None => inner.take(inner.buffered()),
            };
            String::from_utf8(line).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the line is not UTF-8 ({e}); use read_until(\"\\n\") to get its bytes"
                    ),
                )
            })
        }
    }

    /// Everything until the peer closes its side.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     a.write_all(vec![1u8; 100_000]).await.0?;
    ///     drop(a);
    ///     assert_eq!(reader.read_to_end().await?.len(), 100_000);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn read_to_end(&self) -> impl Future<Output = io::Result<Vec<u8>>> + 'static {
        let inner = self.inner.clone();
        async move {
            while poll_fn(|cx| inner.poll_fill(cx)).await? > 0 {}
            Ok(inner.take(inner.buffered()))
        }
    }

    /// True once the stream has ended and everything buffered was returned.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (reader, _) = b.into_streams();
    ///     drop(a);
    ///     assert!(!reader.at_eof());
    ///     assert_eq!(reader.read(1).await?, b"");
    ///     assert!(reader.at_eof());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn at_eof(&self) -> bool {
        self.inner.eof.get() && self.inner.buffered() == 0
    }
}

/// The bytes up to and including `sep`, or `None` at end of stream without it.
async fn read_record(inner: &ReaderInner, sep: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let mut searched = 0;
    loop {
        if let Some(i) = inner.find(sep, searched) {
            return Ok(Some(inner.take(i + sep.len())));
        }
        let buffered = inner.buffered();
        if buffered > LIMIT {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{buffered} bytes arrived without the separator (the limit is {LIMIT}); \
                     read them with read(n) or read_exact(n)"
                ),
            ));
        }
        searched = buffered.saturating_sub(sep.len().saturating_sub(1));
        if poll_fn(|cx| inner.poll_fill(cx)).await? == 0 {
            return Ok(None);
        }
    }
}

impl fmt::Debug for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("buffered", &self.inner.buffered())
            .field("eof", &self.inner.eof.get())
            .finish()
    }
}

// ---------------------------------------------------------------------------------------
// Writer

/// The writing half of a connection, like asyncio's `StreamWriter`: [`write`](Self::write)
/// buffers, [`drain`](Self::drain) applies back-pressure, [`close`](Self::close) flushes
/// and half-closes. A cheap handle.
///
/// ```
/// use resumable::net::UnixStream;
///
/// resumable::run(async {
///     let (a, b) = UnixStream::pair()?;
///     let (_, writer) = a.into_streams();
///     let (reader, _) = b.into_streams();
///     for i in 0..3 {
///         writer.write(format!("line {i}\n"));
///         writer.drain().await?; // waits only while the buffer is over the high-water mark
///     }
///     writer.close().await?;
///     assert_eq!(reader.read_to_end().await?, b"line 0\nline 1\nline 2\n");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct Writer {
    inner: Rc<WriterInner>,
}

struct WriterInner {
    stream: Rc<dyn ByteStream>,
    /// Data the socket has not taken yet starts at `pos`.
    buf: RefCell<Vec<u8>>,
    pos: Cell<usize>,
    high: Cell<usize>,
    low: Cell<usize>,
    /// A flusher task is running.
    flushing: Cell<bool>,
    /// The first write error; every later call reports it.
    error: RefCell<Option<(io::ErrorKind, String)>>,
    closing: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
}

impl WriterInner {
    fn buffered(&self) -> usize {
        self.buf.borrow().len() - self.pos.get()
    }

    fn error(&self) -> Option<io::Error> {
        self.error
            .borrow()
            .as_ref()
            .map(|(kind, msg)| io::Error::new(*kind, msg.clone()))
    }

    fn fail(&self, e: &io::Error) {
        self.error.borrow_mut().get_or_insert_with(|| {
            (
                e.kind(),
                format!("writing to the connection failed: {e}; the unsent data was dropped"),
            )
        });
        self.buf.borrow_mut().clear();
        self.pos.set(0);
        self.wake_waiters();
    }

    fn wake_waiters(&self) {
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        for w in waiters {
            w.wake();
        }
    }

    /// Writes buffered data until the socket is full or the buffer empty.
    fn poll_flush(&self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            if self.error.borrow().is_some() {
                return Poll::Ready(());
            }
            let polled = {
                let buf = self.buf.borrow();
                if self.pos.get() == buf.len() {
                    break;
                }
                self.stream.poll_write_from(cx, &buf[self.pos.get()..])
            };
            match polled {
                Poll::Ready(Ok(0)) => {
                    let buffered = self.buffered();
                    self.fail(&super::error::write_zero(0, buffered));
                    return Poll::Ready(());
                }
                Poll::Ready(Ok(n)) => {
                    self.pos.set(self.pos.get() + n);
                    if self.buffered() <= self.low.get() {
                        self.wake_waiters();
                    }
                }
                Poll::Ready(Err(e)) => {
                    self.fail(&e);
                    return Poll::Ready(());
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        self.buf.borrow_mut().clear();
        self.pos.set(0);
        self.wake_waiters();
        Poll::Ready(())
    }
}

thread_local! {
    static NOOP: Waker = Waker::from(Arc::new(Noop));
}

struct Noop;

impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

impl Writer {
    fn new(stream: Rc<dyn ByteStream>) -> Writer {
        Writer {
            inner: Rc::new(WriterInner {
                stream,
                buf: RefCell::new(Vec::new()),
                pos: Cell::new(0),
                high: Cell::new(HIGH_WATER),
                low: Cell::new(LOW_WATER),
                flushing: Cell::new(false),
                error: RefCell::new(None),
                closing: Cell::new(false),
                waiters: RefCell::new(Vec::new()),
            }),
        }
    }

    /// Sends `data` as soon as the socket takes it, without waiting: what it does not take
    /// at once is buffered and sent in the background. Call [`drain`](Self::drain) after
    /// writes to respect flow control. After an error or [`close`](Self::close), the data
    /// is dropped and `drain`/`close` report why.
    ///
    /// # Panics
    /// Outside a running runtime, when data has to be buffered.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     writer.write(b"bytes".to_vec());
    ///     writer.write("or text");
    ///     writer.drain().await?;
    ///     assert_eq!(b.read_exact([0u8; 12]).await.1, *b"bytesor text");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn write(&self, data: impl AsRef<[u8]>) {
        let inner = &self.inner;
        let mut data = data.as_ref();
        if inner.error.borrow().is_some() || inner.closing.get() || data.is_empty() {
            return;
        }
        if inner.buffered() == 0 {
            // Try the socket first: most writes fit and need no buffer nor task.
            let polled = NOOP.with(|w| {
                inner
                    .stream
                    .poll_write_from(&mut Context::from_waker(w), data)
            });
            match polled {
                Poll::Ready(Ok(n)) => data = &data[n..],
                Poll::Ready(Err(e)) => return inner.fail(&e),
                Poll::Pending => {}
            }
            if data.is_empty() {
                return;
            }
        }
        {
            let mut buf = inner.buf.borrow_mut();
            let pos = inner.pos.get();
            if pos > 0 && pos >= buf.len() / 2 {
                // Drop the part already sent, so a buffer that never empties stays small.
                buf.drain(..pos);
                inner.pos.set(0);
            }
            buf.extend_from_slice(data);
        }
        if !inner.flushing.replace(true) {
            let flusher = inner.clone();
            drop(crate::spawn(async move {
                poll_fn(|cx| flusher.poll_flush(cx)).await;
                flusher.flushing.set(false);
            }));
        }
    }

    /// Waits while the buffer is above the high-water mark, until it is back under the
    /// low-water mark (asyncio's `drain`). Fails with the write error, if one happened.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     let reader = resumable::spawn(async move {
    ///         let (r, _) = b.into_streams();
    ///         r.read_to_end().await
    ///     });
    ///     for _ in 0..64 {
    ///         writer.write(vec![0u8; 16 * 1024]); // 1 MiB in all, never more than ~64 KiB buffered
    ///         writer.drain().await?;
    ///         assert!(writer.buffered() <= 64 * 1024 + 16 * 1024);
    ///     }
    ///     writer.close().await?;
    ///     assert_eq!(reader.await.unwrap()?.len(), 1 << 20);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn drain(&self) -> impl Future<Output = io::Result<()>> + 'static {
        let inner = self.inner.clone();
        let mut waiting = false;
        poll_fn(move |cx| {
            if let Some(e) = inner.error() {
                return Poll::Ready(Err(e));
            }
            let buffered = inner.buffered();
            let limit = if waiting {
                inner.low.get()
            } else {
                inner.high.get()
            };
            if buffered <= limit {
                return Poll::Ready(Ok(()));
            }
            waiting = true;
            inner.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
    }

    /// Sends everything buffered, then shuts the write side down (the peer reads end of
    /// stream). Later writes are dropped. Dropping every handle instead closes the socket
    /// once the background send is done.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     writer.write("bye");
    ///     writer.close().await?;
    ///     let (reader, _) = b.into_streams();
    ///     assert_eq!(reader.read_to_end().await?, b"bye");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn close(&self) -> impl Future<Output = io::Result<()>> + 'static {
        let inner = self.inner.clone();
        async move {
            let was_closing = inner.closing.replace(true);
            poll_fn(|cx| {
                if inner.error.borrow().is_some() || inner.buffered() == 0 {
                    return Poll::Ready(());
                }
                inner.waiters.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            })
            .await;
            if let Some(e) = inner.error() {
                return Err(e);
            }
            if !was_closing {
                inner.stream.shutdown_write()?;
            }
            Ok(())
        }
    }

    /// Bytes written but not yet taken by the socket (asyncio's
    /// `transport.get_write_buffer_size()`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, _b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     writer.write("small");
    ///     assert_eq!(writer.buffered(), 0); // the socket took it at once
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn buffered(&self) -> usize {
        self.inner.buffered()
    }

    /// The address of the other end of a TCP connection (asyncio's
    /// `get_extra_info('peername')`); `None` for a Unix socket or a closed connection.
    ///
    /// ```
    /// use resumable::net::{open_connection, TcpListener};
    ///
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let (_reader, writer) = open_connection(listener.local_addr()?).await?;
    ///     assert_eq!(writer.peer_addr(), Some(listener.local_addr()?));
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.inner.stream.peer_ip_addr()
    }

    /// Sets the high- and low-water marks of [`drain`](Self::drain) (asyncio's
    /// `set_write_buffer_limits`); `low` is capped at `high`.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, _b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     writer.set_write_buffer_limits(1024, 256);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn set_write_buffer_limits(&self, high: usize, low: usize) {
        self.inner.high.set(high);
        self.inner.low.set(low.min(high));
    }
}

impl fmt::Debug for Writer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Writer")
            .field("buffered", &self.inner.buffered())
            .field("closing", &self.inner.closing.get())
            .finish()
    }
}

fn split(stream: Rc<dyn ByteStream>) -> (Reader, Writer) {
    (Reader::new(stream.clone()), Writer::new(stream))
}

impl TcpStream {
    /// Wraps the connection in asyncio-style [`Reader`] and [`Writer`] halves.
    ///
    /// ```
    /// # use resumable::net::{TcpListener, TcpStream};
    /// resumable::run(async {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (_reader, writer) = client.into_streams();
    ///     writer.write("hello\n");
    ///     let (server, _) = listener.accept().await?;
    ///     let (reader, _) = server.into_streams();
    ///     assert_eq!(reader.read_line().await?, "hello\n");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn into_streams(self) -> (Reader, Writer) {
        split(Rc::new(self))
    }
}

impl UnixStream {
    /// Wraps the connection in asyncio-style [`Reader`] and [`Writer`] halves.
    ///
    /// ```
    /// resumable::run(async {
    ///     let (a, b) = resumable::net::UnixStream::pair()?;
    ///     let (_, writer) = a.into_streams();
    ///     let (reader, _) = b.into_streams();
    ///     writer.write("hi\n");
    ///     assert_eq!(reader.read_line().await?, "hi\n");
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn into_streams(self) -> (Reader, Writer) {
        split(Rc::new(self))
    }
}

/// Connects to `addr` and returns the connection's [`Reader`] and [`Writer`]
/// (asyncio's `open_connection`).
///
/// ```
/// use resumable::net::{open_connection, TcpListener};
///
/// resumable::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let (reader, writer) = open_connection(listener.local_addr()?).await?;
///     # drop((reader, writer));
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
pub fn open_connection<A: ToSocketAddrs>(
    addr: A,
) -> impl Future<Output = io::Result<(Reader, Writer)>> + 'static {
    let connecting = TcpStream::connect(addr);
    async move { Ok(connecting.await?.into_streams()) }
}

/// A running server started by [`start_server`]: its accept loop is a task.
///
/// ```
/// use resumable::net::start_server;
///
/// resumable::run(async {
///     let server = start_server(|_reader, _writer| async {}, "127.0.0.1:0").await?;
///     assert!(server.local_addr().ip().is_loopback());
///     server.close();
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
pub struct Server {
    local_addr: SocketAddr,
    accept_loop: Task<()>,
}

impl Server {
    /// The address the server listens on.
    ///
    /// ```
    /// resumable::run(async {
    ///     let server = resumable::net::start_server(|_r, _w| async {}, "127.0.0.1:0").await?;
    ///     assert_ne!(server.local_addr().port(), 0);
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting (the listening socket is closed); connections already accepted
    /// go on.
    ///
    /// ```
    /// resumable::run(async {
    ///     let server = resumable::net::start_server(|_r, _w| async {}, "127.0.0.1:0").await?;
    ///     let addr = server.local_addr();
    ///     server.close();
    ///     resumable::yield_now().await; // the accept loop ends at its next step
    ///     assert!(resumable::net::TcpStream::connect(addr).await.is_err());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub fn close(&self) {
        self.accept_loop.cancel();
    }

    /// Serves until the server is closed from elsewhere (asyncio's `serve_forever`).
    ///
    /// ```
    /// resumable::run(async {
    ///     let server = resumable::net::start_server(|_r, _w| async {}, "127.0.0.1:0").await?;
    ///     let forever = resumable::spawn(server.serve_forever());
    ///     forever.cancel();
    ///     assert!(forever.await.unwrap_err().is_cancelled());
    ///     Ok::<(), std::io::Error>(())
    /// })
    /// .unwrap();
    /// ```
    pub async fn serve_forever(self) {
        let _ = self.accept_loop.await;
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

/// Listens on `addr` and runs `handler(reader, writer)` as a new task for every
/// connection (asyncio's `start_server`). Accept errors (such as running out of file
/// descriptors) are reported on stderr and the server keeps serving.
///
/// # Panics
/// Outside a running runtime (the socket is bound when this is called).
///
/// ```
/// use resumable::net::{open_connection, start_server};
///
/// resumable::run(async {
///     let server = start_server(
///         |reader, writer| async move {
///             let line = reader.read_line().await.unwrap();
///             writer.write(line.to_uppercase());
///             writer.close().await.unwrap();
///         },
///         "127.0.0.1:0",
///     )
///     .await?;
///     let (reader, writer) = open_connection(server.local_addr()).await?;
///     writer.write("hello\n");
///     assert_eq!(reader.read_line().await?, "HELLO\n");
///     server.close();
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// ```
pub fn start_server<H, F, A>(
    handler: H,
    addr: A,
) -> impl Future<Output = io::Result<Server>> + 'static
where
    H: Fn(Reader, Writer) -> F + 'static,
    F: Future<Output = ()> + 'static,
    A: ToSocketAddrs,
{
    let bound = TcpListener::bind(addr);
    async move {
        let listener = bound?;
        let local_addr = listener.local_addr()?;
        let accept_loop = crate::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let (reader, writer) = stream.into_streams();
                        drop(crate::spawn(handler(reader, writer)));
                    }
                    Err(e) => eprintln!("resumable::net::start_server on {local_addr}: {e}"),
                }
            }
        });
        Ok(Server {
            local_addr,
            accept_loop,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_whose_buffer_never_empties_drops_the_part_already_sent() {
        crate::run(async {
            let (a, b) = UnixStream::pair().unwrap();
            let (_, writer) = a.into_streams();
            writer.write(vec![1u8; 1 << 20]); // most of it waits in the buffer
            let mut received = 0;
            while received < 800 * 1024 {
                received += b.read(vec![0u8; 64 * 1024]).await.0.unwrap();
            }
            writer.write([2u8]); // the buffer is not empty yet: appended
            let stored = writer.inner.buf.borrow().len();
            assert!(writer.buffered() > 1, "still sending");
            assert_eq!(stored, writer.buffered(), "the sent prefix was dropped");
        });
    }
}
