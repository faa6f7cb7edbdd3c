//! The TCP echo server of asyncio's streams documentation, ported line by line.
//!
//! Run it, then `cargo run --example echo_client` in another terminal. The address can
//! be given as the first argument (default `127.0.0.1:8888`, as in the Python).
//!
//! The Python it ports:
//!
//! ```python
//! import asyncio
//!
//! async def handle_echo(reader, writer):
//!     data = await reader.read(100)
//!     message = data.decode()
//!     addr = writer.get_extra_info('peername')
//!
//!     print(f"Received {message!r} from {addr!r}")
//!
//!     print(f"Send: {message!r}")
//!     writer.write(data)
//!     await writer.drain()
//!
//!     print("Close the connection")
//!     writer.close()
//!     await writer.wait_closed()
//!
//! async def main():
//!     server = await asyncio.start_server(
//!         handle_echo, '127.0.0.1', 8888)
//!
//!     addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
//!     print(f'Serving on {addrs}')
//!
//!     async with server:
//!         await server.serve_forever()
//!
//! asyncio.run(main())
//! ```

use std::io;

use resumable::net::{start_server, Reader, Writer};

async fn handle_echo(reader: Reader, writer: Writer) {
    let data = match reader.read(100).await {
        Ok(data) => data,
        Err(e) => return eprintln!("read failed: {e}"),
    };
    let message = String::from_utf8_lossy(&data).into_owned();
    let addr = writer.peer_addr();

    println!("Received {message:?} from {addr:?}");

    println!("Send: {message:?}");
    writer.write(data);
    if let Err(e) = writer.drain().await {
        return eprintln!("write failed: {e}");
    }

    println!("Close the connection");
    if let Err(e) = writer.close().await {
        eprintln!("close failed: {e}");
    }
}

async fn main_task(addr: String) -> io::Result<()> {
    let server = start_server(handle_echo, addr).await?;

    println!("Serving on {}", server.local_addr());

    server.serve_forever().await;
    Ok(())
}

fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8888".into());
    resumable::run(main_task(addr))
}
