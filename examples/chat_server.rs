//! A line-based chat server: every line a client sends goes to every other client,
//! prefixed with the sender's address. Try it with a few `nc 127.0.0.1 8889`.
//!
//! It shows asyncio-style flow control with many writers: broadcasting never waits for a
//! slow client (`Writer::write` only buffers), and a client that lets more than 1 MiB
//! pile up is disconnected instead of making the server's memory grow.
//!
//! The address can be given as the first argument (default `127.0.0.1:8889`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::rc::Rc;

use resumable::net::{start_server, Reader, Writer};

/// The most output one client may leave unread before it is disconnected.
const MAX_BACKLOG: usize = 1 << 20;

/// The connected clients, by connection number.
#[derive(Default)]
struct Room {
    next_id: u64,
    members: BTreeMap<u64, Writer>,
}

impl Room {
    /// Sends `line` to everyone but `from`; drops members that stopped reading.
    fn broadcast(&mut self, from: u64, line: &str) {
        self.members.retain(|&id, writer| {
            if id == from {
                return true;
            }
            writer.write(line);
            writer.buffered() <= MAX_BACKLOG
        });
    }
}

async fn handle_client(room: Rc<RefCell<Room>>, reader: Reader, writer: Writer) {
    let name = writer
        .peer_addr()
        .map_or_else(|| "someone".to_string(), |a| a.to_string());
    let id = {
        let mut room = room.borrow_mut();
        let id = room.next_id;
        room.next_id += 1;
        room.members.insert(id, writer.clone());
        room.broadcast(id, &format!("* {name} joined\n"));
        id
    };
    writer.write(format!("* welcome, {name}\n"));
    loop {
        match reader.read_line().await {
            Ok(line) if line.is_empty() => break, // the client hung up
            Ok(line) => {
                let text = line.trim_end();
                room.borrow_mut()
                    .broadcast(id, &format!("{name}: {text}\n"));
            }
            Err(e) => {
                writer.write(format!("* error: {e}\n"));
                break;
            }
        }
        if !room.borrow().members.contains_key(&id) {
            break; // disconnected for not reading
        }
    }
    {
        let mut room = room.borrow_mut();
        room.members.remove(&id);
        room.broadcast(id, &format!("* {name} left\n"));
    }
    let _ = writer.close().await;
}

async fn main_task(addr: String) -> io::Result<()> {
    let room = Rc::new(RefCell::new(Room::default()));
    let server = start_server(
        move |reader, writer| handle_client(room.clone(), reader, writer),
        addr,
    )
    .await?;
    println!("Chat server on {}", server.local_addr());
    server.serve_forever().await;
    Ok(())
}

fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8889".into());
    resumable::run(main_task(addr))
}
