//! One loop per core: each thread runs its own single-threaded `Runtime` with its own
//! listener, and every listener is bound to the same 127.0.0.1 port with `SO_REUSEPORT`,
//! so the kernel spreads the incoming connections over the loops. Nothing is shared
//! between the loops (no locks, no work stealing): this is how asyncio and uvloop
//! servers use several cores (one process per core, `reuse_port=True`), in one process.
//!
//! The program starts the loops (one per core, or the number given as first argument),
//! runs 16 echo clients on yet another loop, stops the servers and reports. stdout is
//! deterministic (`tests/examples/loop_per_core.stdout`); the port and how the kernel
//! split the connections go to stderr.
//!
//! ```sh
//! cargo run --example loop_per_core -- 4
//! ```
//!
//! For work stealing instead (tasks move between cores), run `Send` coroutines on tokio's
//! multi-threaded runtime: see "Beyond one loop" in the crate docs and
//! `examples/on_tokio.rs`.

use std::cell::Cell;
use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::thread;

use resumable::net::{TcpListener, TcpStream};
use resumable::sync::oneshot;
use resumable::{race, spawn, Either};
use socket2::{Domain, Socket, Type};

const CLIENTS: usize = 16;

/// A listening socket on `addr` that other sockets may bind too (`SO_REUSEPORT`).
fn reuse_port_listener(addr: SocketAddr) -> io::Result<StdListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_port(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

/// Echoes what the peer sends until it closes the connection.
async fn echo(stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; 4096];
    loop {
        let (read, mut data) = stream.read(buf).await;
        let n = read?;
        if n == 0 {
            return Ok(());
        }
        data.truncate(n);
        let (written, mut data) = stream.write_all(data).await;
        written?;
        data.resize(4096, 0);
        buf = data;
    }
}

/// Accepts connections for ever, each served by its own task on this loop.
async fn accept_loop(listener: &TcpListener, served: &Cell<usize>) -> io::Result<Infallible> {
    loop {
        let (stream, _peer) = listener.accept().await?;
        served.set(served.get() + 1);
        drop(spawn(async move {
            if let Err(e) = echo(stream).await {
                eprintln!("echo failed: {e}");
            }
        }));
    }
}

/// One loop's server: serves until `stop` fires, then returns how many connections it
/// accepted.
async fn serve(listener: StdListener, stop: oneshot::Receiver<()>) -> io::Result<usize> {
    let listener = TcpListener::from_std(listener)?;
    let served = Cell::new(0);
    match race(stop, accept_loop(&listener, &served)).await {
        Either::Left(_stopped) => Ok(served.get()),
        Either::Right(Err(e)) => Err(e),
        Either::Right(Ok(never)) => match never {},
    }
}

/// One client: sends a line, checks that the same line comes back.
async fn client(addr: SocketAddr, i: usize) -> io::Result<()> {
    let stream = TcpStream::connect(addr).await?;
    let message = format!("hello from client {i}\n").into_bytes();
    let (written, message) = stream.write_all(message).await;
    written?;
    let (read, back) = stream.read_exact(vec![0u8; message.len()]).await;
    read?;
    if back != message {
        return Err(io::Error::other(format!("client {i}: the echo differs")));
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let loops = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .expect("the first argument is the number of loops"),
        None => thread::available_parallelism().map_or(1, |n| n.get()),
    };

    // Bind every listener before any loop starts: the first picks a free port, the
    // others join it. Connections queue in the kernel until their loop accepts them.
    let first = reuse_port_listener("127.0.0.1:0".parse().unwrap())?;
    let addr = first.local_addr()?;
    let mut listeners = vec![first];
    for _ in 1..loops {
        listeners.push(reuse_port_listener(addr)?);
    }
    eprintln!("serving on {addr}");
    println!("{loops} loops share one port (SO_REUSEPORT)");

    let mut stops = Vec::new();
    let mut servers = Vec::new();
    for (i, listener) in listeners.into_iter().enumerate() {
        let (stop, stopped) = oneshot::channel();
        stops.push(stop);
        let server = thread::Builder::new()
            .name(format!("loop-{i}"))
            .spawn(move || resumable::run(serve(listener, stopped)))?;
        servers.push(server);
    }

    // The clients run on a loop of their own, all connections at once.
    resumable::run(async move {
        let clients: Vec<_> = (0..CLIENTS).map(|i| spawn(client(addr, i))).collect();
        for c in clients {
            c.await.expect("a client panicked")?;
        }
        Ok::<(), io::Error>(())
    })?;
    println!("{CLIENTS} clients got their message back");

    for stop in stops {
        let _ = stop.send(());
    }
    let mut total = 0;
    for (i, server) in servers.into_iter().enumerate() {
        let served = server.join().expect("a server loop panicked")?;
        eprintln!("loop {i} served {served} connection(s)");
        total += served;
    }
    println!("the loops served {total} connections between them");
    Ok(())
}
