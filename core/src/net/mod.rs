//! Networking on the runtime's reactor: [`TcpListener`], [`TcpStream`], [`UdpSocket`],
//! [`UnixListener`], [`UnixStream`], and asyncio's streams ([`open_connection`],
//! [`start_server`], [`Reader`], [`Writer`]).
//!
//! The one idea: **ownership first**. A socket is a cheap handle (an `Rc` inside, so
//! `clone()` gives another handle to the same socket), and no future returned here borrows
//! the socket or its arguments. Reads take a buffer by value and hand it back with the
//! result; writes take the data by value and hand it back too:
//!
//! ```
//! use resumable::net::{TcpListener, TcpStream};
//!
//! resumable::run(async {
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let client = TcpStream::connect(listener.local_addr()?).await?;
//!     let (server, _peer) = listener.accept().await?;
//!
//!     let (res, _data) = client.write_all(b"ping".to_vec()).await;
//!     res?;
//!     let (res, buf) = server.read_exact(vec![0; 4]).await; // the buffer comes back
//!     res?;
//!     assert_eq!(buf, b"ping");
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap();
//! ```
//!
//! So a coroutine can keep a socket and a pending read in its state, and a task can read
//! from a socket while another writes to a clone of it (the read and write sides have
//! separate wakers). Readiness is edge-triggered: every operation runs until the socket
//! says `WouldBlock`, and a socket that stays ready yields to the loop every 64
//! operations, so it cannot starve the other tasks or the timers.
//!
//! Errors are `io::Error`s with the kind the OS gave; those a program should react to
//! (address in use, connection refused, out of file descriptors, early end of stream)
//! say what happened and what to do.

mod error;
mod io;
mod stream;
mod streams;
mod tcp_listener;
mod tcp_stream;
mod udp;
mod unix;

pub use streams::{open_connection, start_server, Reader, Server, Writer};
pub use tcp_listener::{Incoming, TcpListener};
pub use tcp_stream::{Connect, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixListener, UnixStream};
