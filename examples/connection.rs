//! A mini-redis-style connection: `&mut self` methods whose awaits borrow the connection
//! and its buffer, as real async code does (`self.connection.read_frame().await`).
//!
//! A server and a client talk over loopback with line frames (`PING`, `ECHO text`,
//! `QUIT`); the client prints what it gets back. Run it with
//! `cargo run --example connection`.

use resumable::net::{TcpListener, TcpStream};
use resumable::{spawn, yield_await};
use std::io;

/// A stream with a read buffer: frames are lines.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    fn new(stream: TcpStream) -> Connection {
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    /// The next line, or `None` at the end of the stream. Borrows `self` across its
    /// yields: the buffer it fills is `self.buffer`.
    #[resumable::coroutine]
    fn read_frame(&mut self) -> io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line[..end]).into_owned();
                return Ok(Some(text));
            }
            let (read, chunk) = yield_await!(self.stream.read([0u8; 64]));
            let n = read?;
            if n == 0 {
                return Ok(None);
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }

    /// Writes one frame; `frame` is borrowed across the yield.
    #[resumable::coroutine]
    fn write_frame(&mut self, frame: &str) -> io::Result<()> {
        let mut line = Vec::with_capacity(frame.len() + 1);
        line.extend_from_slice(frame.as_bytes());
        line.push(b'\n');
        yield_await!(self.stream.write_all(line)).0
    }
}

/// Answers frames until `QUIT` or the end of the stream.
#[resumable::coroutine]
fn serve(stream: TcpStream) -> io::Result<()> {
    let mut connection = Connection::new(stream);
    while let Some(frame) = yield_await!(connection.read_frame())? {
        let reply = match frame.split_once(' ') {
            _ if frame == "PING" => "PONG".to_string(),
            Some(("ECHO", text)) => text.to_string(),
            _ if frame == "QUIT" => break,
            _ => format!("ERR unknown command '{frame}'"),
        };
        yield_await!(connection.write_frame(&reply))?;
    }
    Ok(())
}

#[resumable::coroutine]
fn main_task() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = spawn(resumable::coroutine_block!(move {
        let (stream, _) = yield_await!(listener.accept())?;
        yield_await!(serve(stream))
    }));
    let mut client = Connection::new(yield_await!(TcpStream::connect(addr))?);
    for request in ["PING", "ECHO hello, borrowed world", "GET key"] {
        yield_await!(client.write_frame(request))?;
        let reply = yield_await!(client.read_frame())?;
        println!("{request} -> {}", reply.unwrap_or_default());
    }
    yield_await!(client.write_frame("QUIT"))?;
    yield_await!(server).expect("the server task runs to its end")?;
    println!("server done");
    Ok(())
}

fn main() -> io::Result<()> {
    resumable::run(main_task())
}
