//! TCP: `TcpListener` and `TcpStream` on loopback, with owned buffers, and the faults a
//! server meets (address in use, refused connections, resets, half-closes, partial
//! writes, running out of file descriptors).

use std::cell::Cell;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use resumable::net::{TcpListener, TcpStream};
use resumable::time::{sleep, timeout, Instant};

type Result<T = ()> = io::Result<T>;

/// A listener on an OS-chosen loopback port, a client connected to it, and the accepted
/// server side.
async fn connected_pair() -> Result<(TcpListener, TcpStream, TcpStream)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?).await?;
    let (server, peer) = listener.accept().await?;
    assert_eq!(peer, client.local_addr()?);
    Ok((listener, client, server))
}

#[test]
fn a_client_and_a_server_exchange_bytes_both_ways() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all(b"ping".to_vec()).await.0?;
        let (res, buf) = server.read_exact([0u8; 4]).await;
        res?;
        assert_eq!(&buf, b"ping");
        server.write_all("pong").await.0?;
        let (n, buf) = client.read(vec![0u8; 64]).await;
        assert_eq!(&buf[..n?], b"pong");
        Result::Ok(())
    })
    .unwrap();
}

/// Compiles only for values that borrow nothing: what lets a coroutine keep a pending
/// I/O future in its state next to the socket.
fn borrows_nothing<T: 'static>(value: T) -> T {
    value
}

#[test]
fn futures_returned_by_sockets_borrow_neither_the_socket_nor_the_arguments() {
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let connecting = borrows_nothing(TcpStream::connect(addr.to_string().as_str()));
        let accepting = borrows_nothing(listener.accept());
        drop(listener); // the pending accept keeps the socket alive
        let client = connecting.await?;
        let (server, _) = accepting.await?;
        let writing = borrows_nothing(client.write_all(b"owned".to_vec()));
        let reading = borrows_nothing(server.read_exact(vec![0u8; 5]));
        drop((client, server));
        writing.await.0?;
        let (res, buf) = reading.await;
        res?;
        assert_eq!(buf, b"owned");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn reads_and_writes_hand_the_buffer_back_unchanged_past_the_count() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        let data = b"abc".to_vec();
        let (res, data_back) = client.write_all(data).await;
        res?;
        assert_eq!(data_back, b"abc");
        let (n, buf) = server.read(vec![9u8; 8]).await;
        assert_eq!(n?, 3);
        assert_eq!(buf, [b'a', b'b', b'c', 9, 9, 9, 9, 9]);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn an_accept_loop_serves_many_clients_concurrently() {
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let server = resumable::spawn(async move {
            for _ in 0..20 {
                let (stream, _) = listener.accept().await.unwrap();
                drop(resumable::spawn(async move {
                    loop {
                        let (n, buf) = stream.read(vec![0u8; 1024]).await;
                        match n.unwrap() {
                            0 => break,
                            n => stream.write_all(buf[..n].to_vec()).await.0.unwrap(),
                        }
                    }
                }));
            }
        });
        let mut clients = Vec::new();
        for i in 0..20u32 {
            clients.push(resumable::spawn(async move {
                let stream = TcpStream::connect(addr).await?;
                let msg = format!("hello from client {i}");
                stream.write_all(msg.clone()).await.0?;
                let (res, buf) = stream.read_exact(vec![0u8; msg.len()]).await;
                res?;
                assert_eq!(buf, msg.as_bytes());
                Result::Ok(())
            }));
        }
        for c in clients {
            c.await.unwrap()?;
        }
        server.await.unwrap();
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn an_incoming_loop_accepts_connections_one_after_another() {
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let clients = resumable::spawn(async move {
            let mut local = Vec::new();
            for _ in 0..3 {
                let c = TcpStream::connect(addr).await.unwrap();
                local.push(c.local_addr().unwrap());
                c.write_all("x").await.0.unwrap();
            }
            local
        });
        let mut incoming = listener.incoming();
        let mut peers = Vec::new();
        while let Some(conn) = incoming.next().await {
            let (stream, peer) = conn?;
            assert_eq!(&stream.read_exact([0u8; 1]).await.1, b"x");
            peers.push(peer);
            if peers.len() == 3 {
                break;
            }
        }
        assert_eq!(peers, clients.await.unwrap());
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn binding_an_address_in_use_fails_with_addr_in_use_and_says_what_to_do() {
    resumable::run(async {
        let first = TcpListener::bind("127.0.0.1:0")?;
        let err = TcpListener::bind(first.local_addr()?).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        let msg = err.to_string();
        assert!(msg.contains(&first.local_addr()?.to_string()), "{msg}");
        assert!(msg.contains("port 0"), "{msg}");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn connecting_where_nothing_listens_is_refused_with_a_clear_error() {
    resumable::run(async {
        // Bind then drop, so the port is (almost certainly) free and closed.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let err = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        let msg = err.to_string();
        assert!(
            msg.contains(&addr.to_string()) && msg.contains("nothing listens"),
            "{msg}"
        );
        Result::Ok(())
    })
    .unwrap();
}

/// A listening socket whose accept queue holds one connection (`listen(fd, 0)`), so
/// further SYNs are dropped and connects hang: what a host that does not answer looks
/// like, on loopback.
fn listener_with_full_backlog() -> (std::net::TcpListener, Vec<std::net::TcpStream>) {
    use std::os::fd::FromRawFd;
    // SAFETY: plain socket syscalls on a fresh descriptor that we own; the address
    // struct is zeroed and filled for AF_INET before use.
    let listener = unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0);
        let mut sa: libc::sockaddr_in = std::mem::zeroed();
        sa.sin_family = libc::AF_INET as libc::sa_family_t;
        sa.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
        let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        assert_eq!(
            libc::bind(fd, &sa as *const _ as *const libc::sockaddr, len),
            0
        );
        assert_eq!(libc::listen(fd, 0), 0);
        std::net::TcpListener::from_raw_fd(fd)
    };
    let addr = listener.local_addr().unwrap();
    // Fill the queue with connections nobody accepts (non-blocking, so none can hang).
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            fillers.push(s);
        }
    }
    (listener, fillers)
}

#[test]
fn a_connect_that_gets_no_answer_gives_up_after_its_timeout() {
    let (listener, _fillers) = listener_with_full_backlog();
    let addr = listener.local_addr().unwrap();
    resumable::run(async move {
        let mut timed_out = 0;
        for _ in 0..4 {
            if timeout(Duration::from_millis(300), TcpStream::connect(addr))
                .await
                .is_err()
            {
                timed_out += 1;
            }
            match TcpStream::connect_timeout(addr, Duration::from_millis(300)).await {
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    assert!(e.to_string().contains("timed out"), "{e}");
                    timed_out += 1;
                }
                _ => {}
            }
        }
        assert!(
            timed_out > 0,
            "the full backlog should have left some connects unanswered"
        );
    });
}

#[test]
fn a_half_closed_stream_reads_end_of_stream_and_can_still_answer() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all("question").await.0?;
        client.shutdown(Shutdown::Write)?;
        let mut got = Vec::new();
        let mut buf = vec![0u8; 3];
        loop {
            let (n, b) = server.read(buf).await;
            buf = b;
            match n? {
                0 => break,
                n => got.extend_from_slice(&buf[..n]),
            }
        }
        assert_eq!(got, b"question");
        server.write_all("answer").await.0?;
        drop(server);
        let (res, buf) = client.read_exact([0u8; 6]).await;
        res?;
        assert_eq!(&buf, b"answer");
        assert_eq!(client.read(vec![0u8; 8]).await.0?, 0);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_short_read_then_the_end_of_stream_is_seen_without_a_new_event() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all("hi").await.0?;
        drop(client); // data and hang-up arrive together, in one readiness edge
        resumable::yield_now().await;
        let (n, _buf) = server.read([0u8; 8]).await;
        assert_eq!(n?, 2, "a short read: the socket is drained");
        let end = timeout(Duration::from_secs(10), server.read([0u8; 8])).await;
        assert_eq!(end.expect("the hang-up was remembered").0?, 0);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn read_exact_on_a_stream_that_ends_early_fails_with_unexpected_eof_naming_the_counts() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all("abc").await.0?;
        drop(client);
        let (res, buf) = server.read_exact([0u8; 10]).await;
        let err = res.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("3 of the 10 bytes"), "{err}");
        assert_eq!(&buf[..3], b"abc", "the bytes read so far are in the buffer");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_peer_reset_surfaces_as_connection_reset_and_says_the_data_in_flight_is_lost() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all("unread").await.0?;
        resumable::yield_now().await;
        // Closing a socket with unread data makes the kernel send a RST.
        drop(server);
        let (res, _buf) = client.read(vec![0u8; 8]).await;
        let err = res.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        assert!(err.to_string().contains("data in flight is lost"), "{err}");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn writing_to_a_reset_connection_fails_instead_of_hanging() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        client.write_all("unread").await.0?;
        resumable::yield_now().await;
        drop(server);
        let mut failed = None;
        for _ in 0..100 {
            if let Err(e) = client.write_all(vec![0u8; 64 * 1024]).await.0 {
                failed = Some(e);
                break;
            }
        }
        let kind = failed.expect("writes to a reset socket must fail").kind();
        assert!(
            matches!(
                kind,
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ),
            "{kind:?}"
        );
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn write_all_continues_partial_writes_until_a_slow_reader_has_every_byte() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        let total = 8 << 20; // far more than the socket buffers hold
        let data: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
        let reader = resumable::spawn(async move {
            let mut got = Vec::with_capacity(total);
            let mut buf = vec![0u8; 4096];
            loop {
                let (n, b) = server.read(buf).await;
                buf = b;
                match n.unwrap() {
                    0 => break got,
                    n => got.extend_from_slice(&buf[..n]),
                }
                if got.len() % (1 << 20) < 4096 {
                    resumable::yield_now().await; // read slowly now and then
                }
            }
        });
        let (res, data) = client.write_all(data).await;
        res?;
        client.shutdown(Shutdown::Write)?;
        let got = reader.await.unwrap();
        assert_eq!(got.len(), data.len());
        assert!(got == data, "the bytes arrive complete and in order");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_read_and_a_write_on_clones_of_one_stream_proceed_independently() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        // The client's read waits (nothing sent yet) while its clone writes.
        let reading = {
            let client = client.clone();
            resumable::spawn(async move { client.read_exact([0u8; 5]).await })
        };
        resumable::yield_now().await;
        client.write_all("hello").await.0?;
        let (res, buf) = server.read_exact([0u8; 5]).await;
        res?;
        server.write_all(buf).await.0?;
        let (res, buf) = reading.await.unwrap();
        res?;
        assert_eq!(&buf, b"hello");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_read_cancelled_by_a_timeout_loses_no_data() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        let early = timeout(Duration::from_millis(10), server.read(vec![0u8; 8])).await;
        assert!(early.is_err(), "nothing was sent yet");
        client.write_all("late").await.0?;
        let (res, buf) = server.read_exact([0u8; 4]).await;
        res?;
        assert_eq!(&buf, b"late");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn ipv6_loopback_works_when_the_machine_has_it() {
    resumable::run(async {
        let Ok(listener) = TcpListener::bind("[::1]:0") else {
            println!("skipped: no IPv6 loopback on this machine");
            return Result::Ok(());
        };
        let client = TcpStream::connect(listener.local_addr()?).await?;
        let (server, _) = listener.accept().await?;
        client.write_all("v6").await.0?;
        assert_eq!(&server.read_exact([0u8; 2]).await.1, b"v6");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn nodelay_and_addresses_are_reported() {
    resumable::run(async {
        let (listener, client, server) = connected_pair().await?;
        client.set_nodelay(true)?;
        assert!(client.nodelay()?);
        client.set_nodelay(false)?;
        assert!(!client.nodelay()?);
        assert_eq!(client.peer_addr()?, listener.local_addr()?);
        assert_eq!(server.peer_addr()?, client.local_addr()?);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_stream_from_std_works_like_a_connected_one() {
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let std_stream = std::net::TcpStream::connect(listener.local_addr()?)?;
        let client = TcpStream::from_std(std_stream)?;
        let (server, _) = listener.accept().await?;
        client.write_all("std").await.0?;
        assert_eq!(&server.read_exact([0u8; 3]).await.1, b"std");
        Result::Ok(())
    })
    .unwrap();
}

// ---- running out of file descriptors ----------------------------------------------

const EMFILE_CHILD: &str = "RESUMABLE_TEST_EMFILE_CHILD";

/// Runs this test binary again with only `test` selected and `EMFILE_CHILD` set, so the
/// descriptor limit can be lowered without starving the other tests of this process.
fn run_in_child(test: &str) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(EMFILE_CHILD, "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child test failed:\n{text}");
    assert!(text.contains("1 passed"), "the child ran no test:\n{text}");
}

fn set_fd_limit(soft: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid rlimit for getrlimit/setrlimit to read and write.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = soft.min(lim.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

#[test]
fn accept_out_of_file_descriptors_reports_it_backs_off_and_serves_again_once_fds_are_free() {
    if std::env::var_os(EMFILE_CHILD).is_none() {
        return run_in_child(
            "accept_out_of_file_descriptors_reports_it_backs_off_and_serves_again_once_fds_are_free",
        );
    }
    set_fd_limit(256);
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr: SocketAddr = listener.local_addr()?;
        let client = std::net::TcpStream::connect(addr)?; // queued, not yet accepted
                                                          // Use up every descriptor.
        let mut hog = Vec::new();
        while let Ok(f) = std::fs::File::open("/dev/null") {
            hog.push(f);
        }
        let first = listener.accept().await.unwrap_err();
        let msg = first.to_string();
        assert!(
            msg.contains("out of file descriptors") && msg.contains("ulimit"),
            "{msg}"
        );
        let failed_at = Instant::now();
        // An accept cancelled during the back-off does not cut it short...
        let cancelled = timeout(Duration::from_millis(1), listener.accept()).await;
        assert!(cancelled.is_err(), "still backing off");
        // ...and retrying at once does not spin: the next try waits for the back-off.
        let second = listener.accept().await.unwrap_err();
        assert!(second.to_string().contains("out of file descriptors"));
        assert!(
            failed_at.elapsed() >= Duration::from_millis(50),
            "no back-off"
        );
        // Free some descriptors: the queued connection is accepted, nothing was lost.
        hog.truncate(hog.len() - 8);
        let (server, peer) = listener.accept().await?;
        assert_eq!(peer, client.local_addr()?);
        std::io::Write::write_all(&mut &client, b"still here")?;
        let (res, buf) = server.read_exact([0u8; 10]).await;
        res?;
        assert_eq!(&buf, b"still here");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_socket_that_stays_readable_does_not_starve_other_tasks_or_timers() {
    resumable::run(async {
        let (_l, client, server) = connected_pair().await?;
        let total = 32 * 1024; // fits in the socket buffers: every read below is ready at once
        server.write_all(vec![1u8; total]).await.0?;
        let mut read = client.read_exact([0u8; 64]).await.0.map(|()| 64)?; // readiness seen
        let task_ran = Rc::new(Cell::new(false));
        let timer_fired = Rc::new(Cell::new(false));
        let (t, f) = (task_ran.clone(), timer_fired.clone());
        let _task = resumable::spawn(async move { t.set(true) });
        let _timer = resumable::spawn(async move {
            sleep(Duration::ZERO).await;
            f.set(true);
        });
        while !(task_ran.get() && timer_fired.get()) {
            let (n, _buf) = client.read([0u8; 64]).await;
            read += n?;
            assert!(
                read < total,
                "the reader drained the socket before the others ran"
            );
        }
        Result::Ok(())
    })
    .unwrap();
}
