//! Load: one server task per connection, 10,000 loopback connections open at once, each
//! echoing a message whose every byte is checked.
//!
//! The clients run in a child process (this test binary again, with `LOAD_CHILD_ADDR`
//! set), so each process needs ~10,000 descriptors rather than 20,000. Both raise
//! `RLIMIT_NOFILE` to the hard limit; the test is skipped, saying so, if that is too low.
//! It is bounded: a fixed number of connections and a two-minute limit.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::Duration;

use resumable::net::{TcpListener, TcpStream};
use resumable::time::timeout;

const CONNECTIONS: usize = 10_000;
const CHILD_ENV: &str = "RESUMABLE_LOAD_CHILD_ADDR";
const LIMIT: Duration = Duration::from_secs(120);
/// Connects in flight at once: stays under the listen backlog, so no SYN is dropped.
const CONNECT_BATCH: usize = 500;

/// Raises the soft descriptor limit to the hard one; returns the new limit.
fn raise_fd_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid rlimit for getrlimit/setrlimit to read and write.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
    lim.rlim_cur
}

/// The message client `i` sends: its number, then bytes that depend on it.
fn message(i: usize) -> Vec<u8> {
    let mut m = format!("{i:05}:").into_bytes();
    m.extend((0..59).map(|k| ((i * 31 + k * 7) % 251) as u8));
    m
}

#[test]
fn ten_thousand_concurrent_connections_each_echo_every_byte() {
    if let Ok(addr) = std::env::var(CHILD_ENV) {
        return clients(addr);
    }
    let limit = raise_fd_limit();
    if limit < CONNECTIONS as u64 + 100 {
        println!(
            "skipped: RLIMIT_NOFILE hard limit is {limit}, below the {} this test needs",
            CONNECTIONS + 100
        );
        return;
    }
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "ten_thousand_concurrent_connections_each_echo_every_byte",
                "--exact",
                "--nocapture",
            ])
            .env(CHILD_ENV, addr.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let live = Rc::new(Cell::new(0usize));
        let most_live = Rc::new(Cell::new(0usize));
        let echoed = Rc::new(Cell::new(0usize));
        let (l, m, e) = (live.clone(), most_live.clone(), echoed.clone());
        let server = resumable::spawn(async move {
            let mut handlers = Vec::with_capacity(CONNECTIONS);
            for _ in 0..CONNECTIONS {
                let (stream, _) = listener.accept().await.unwrap();
                l.set(l.get() + 1);
                m.set(m.get().max(l.get()));
                let (l, e) = (l.clone(), e.clone());
                handlers.push(resumable::spawn(async move {
                    let mut buf = vec![0u8; 256];
                    loop {
                        let (n, b) = stream.read(buf).await;
                        buf = b;
                        match n.unwrap() {
                            0 => break,
                            n => {
                                stream.write_all(buf[..n].to_vec()).await.0.unwrap();
                                e.set(e.get() + n);
                            }
                        }
                    }
                    l.set(l.get() - 1);
                }));
            }
            for h in handlers {
                h.await.unwrap();
            }
        });
        let waited = resumable::spawn_blocking(move || child.wait_with_output());
        let output = timeout(LIMIT, waited)
            .await
            .expect("the load test took more than two minutes")
            .unwrap()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "the client process failed:\n{text}"
        );
        if text.contains("skipped:") {
            return println!("{text}");
        }
        assert!(
            text.contains("1 passed"),
            "the client process ran no test:\n{text}"
        );
        timeout(LIMIT, server).await.unwrap().unwrap();
        assert_eq!(
            most_live.get(),
            CONNECTIONS,
            "every connection was open at once"
        );
        assert_eq!(echoed.get(), CONNECTIONS * message(0).len());
        assert_eq!(live.get(), 0);
    });
}

/// The child: opens every connection, then echoes on all of them at once.
fn clients(addr: String) {
    let limit = raise_fd_limit();
    if limit < CONNECTIONS as u64 + 100 {
        return println!("skipped: the client process's descriptor limit is {limit}");
    }
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    resumable::run(async move {
        let mut streams = Vec::with_capacity(CONNECTIONS);
        while streams.len() < CONNECTIONS {
            let batch = CONNECT_BATCH.min(CONNECTIONS - streams.len());
            let connecting: Vec<_> = (0..batch)
                .map(|_| resumable::spawn(TcpStream::connect(addr)))
                .collect();
            for c in connecting {
                streams.push(c.await.unwrap()?);
            }
        }
        let echoes: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, stream)| {
                resumable::spawn(async move {
                    let msg = message(i);
                    let (res, msg) = stream.write_all(msg).await;
                    res?;
                    let (res, back) = stream.read_exact(vec![0u8; msg.len()]).await;
                    res?;
                    assert_eq!(back, msg, "connection {i} got other bytes back");
                    io::Result::Ok(stream)
                })
            })
            .collect();
        // Keep every stream open until all have echoed, then close them all.
        let mut done = Vec::with_capacity(CONNECTIONS);
        for e in echoes {
            done.push(e.await.unwrap()?);
        }
        drop(done);
        io::Result::Ok(())
    })
    .unwrap();
}
