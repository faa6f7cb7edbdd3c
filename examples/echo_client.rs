//! The TCP echo client of asyncio's streams documentation, ported line by line. Start
//! `cargo run --example echo_server` first. Arguments: the address (default
//! `127.0.0.1:8888`) and the message (default `Hello World!`).
//!
//! The Python it ports:
//!
//! ```python
//! import asyncio
//!
//! async def tcp_echo_client(message):
//!     reader, writer = await asyncio.open_connection(
//!         '127.0.0.1', 8888)
//!
//!     print(f'Send: {message!r}')
//!     writer.write(message.encode())
//!     await writer.drain()
//!
//!     data = await reader.read(100)
//!     print(f'Received: {data.decode()!r}')
//!
//!     print('Close the connection')
//!     writer.close()
//!     await writer.wait_closed()
//!
//! asyncio.run(tcp_echo_client('Hello World!'))
//! ```

use std::io;

use resumable::net::open_connection;

async fn tcp_echo_client(addr: String, message: String) -> io::Result<()> {
    let (reader, writer) = open_connection(addr).await?;

    println!("Send: {message:?}");
    writer.write(message.into_bytes());
    writer.drain().await?;

    let data = reader.read(100).await?;
    println!("Received: {:?}", String::from_utf8_lossy(&data));

    println!("Close the connection");
    writer.close().await?;
    Ok(())
}

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8888".into());
    let message = args.next().unwrap_or_else(|| "Hello World!".into());
    resumable::run(tcp_echo_client(addr, message))
}
