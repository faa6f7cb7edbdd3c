//! UDP: `UdpSocket` datagrams on loopback, with owned buffers.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::Duration;

use resumable::net::UdpSocket;
use resumable::time::timeout;

type Result<T = ()> = io::Result<T>;

#[test]
fn a_datagram_arrives_whole_with_its_senders_address() {
    resumable::run(async {
        let a = UdpSocket::bind("127.0.0.1:0")?;
        let b = UdpSocket::bind("127.0.0.1:0")?;
        let (sent, _) = a.send_to(b"datagram".to_vec(), b.local_addr()?).await;
        assert_eq!(sent?, 8);
        let (res, buf) = b.recv_from(vec![0u8; 1500]).await;
        let (n, from) = res?;
        assert_eq!(&buf[..n], b"datagram");
        assert_eq!(from, a.local_addr()?);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn datagrams_keep_their_boundaries_and_a_long_one_is_cut_to_the_buffer() {
    resumable::run(async {
        let a = UdpSocket::bind("127.0.0.1:0")?;
        let b = UdpSocket::bind("127.0.0.1:0")?;
        a.send_to("one", b.local_addr()?).await.0?;
        a.send_to("two!", b.local_addr()?).await.0?;
        a.send_to("a long datagram", b.local_addr()?).await.0?;
        let (res, buf) = b.recv_from([0u8; 16]).await;
        assert_eq!(&buf[..res?.0], b"one");
        let (res, buf) = b.recv_from(buf).await;
        assert_eq!(&buf[..res?.0], b"two!");
        let (res, buf) = b.recv_from([0u8; 6]).await;
        assert_eq!(&buf[..res?.0], b"a long");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn several_tasks_waiting_on_one_socket_each_get_one_datagram() {
    resumable::run(async {
        let server = UdpSocket::bind("127.0.0.1:0")?;
        let receivers: Vec<_> = (0..3)
            .map(|_| {
                let socket = server.clone();
                resumable::spawn(async move {
                    let (res, buf) = socket.recv_from([0u8; 8]).await;
                    buf[..res.unwrap().0].to_vec()
                })
            })
            .collect();
        resumable::yield_now().await; // all three are waiting now
        let client = UdpSocket::bind("127.0.0.1:0")?;
        for msg in ["a", "b", "c"] {
            client.send_to(msg, server.local_addr()?).await.0?;
        }
        let mut got = Vec::new();
        for r in receivers {
            let out = timeout(Duration::from_secs(10), r).await;
            got.push(out.expect("a waiting receiver was never woken").unwrap());
        }
        got.sort();
        assert_eq!(got, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn binding_a_udp_address_in_use_fails_with_addr_in_use() {
    resumable::run(async {
        let first = UdpSocket::bind("127.0.0.1:0")?;
        let err = UdpSocket::bind(first.local_addr()?).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert!(err.to_string().contains("port 0"), "{err}");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_socket_with_many_queued_datagrams_does_not_starve_other_tasks() {
    resumable::run(async {
        let socket = UdpSocket::bind("127.0.0.1:0")?;
        let sender = std::net::UdpSocket::bind("127.0.0.1:0")?;
        let total = 200;
        for _ in 0..total {
            sender.send_to(b"x", socket.local_addr()?)?;
        }
        // Wait for the first one, so readiness is known and the rest are ready at once.
        socket.recv_from([0u8; 4]).await.0?;
        let other_ran = Rc::new(Cell::new(false));
        let flag = other_ran.clone();
        let _other = resumable::spawn(async move { flag.set(true) });
        let mut received = 1;
        while !other_ran.get() {
            socket.recv_from([0u8; 4]).await.0?;
            received += 1;
            assert!(
                received < total,
                "the receiver drained the socket before the other task ran"
            );
        }
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn udp_over_ipv6_loopback_when_the_machine_has_it() {
    resumable::run(async {
        let Ok(a) = UdpSocket::bind("[::1]:0") else {
            println!("skipped: no IPv6 loopback on this machine");
            return Result::Ok(());
        };
        a.send_to("v6", a.local_addr()?).await.0?;
        let (res, buf) = a.recv_from([0u8; 4]).await;
        assert_eq!(&buf[..res?.0], b"v6");
        Result::Ok(())
    })
    .unwrap();
}

fn borrows_nothing<T: 'static>(value: T) -> T {
    value
}

#[test]
fn datagram_futures_borrow_neither_the_socket_nor_the_buffer() {
    resumable::run(async {
        let socket = UdpSocket::bind("127.0.0.1:0")?;
        let addr = socket.local_addr()?;
        let receiving = borrows_nothing(socket.recv_from(vec![0u8; 16]));
        let sending = borrows_nothing(socket.send_to(b"kept".to_vec(), addr));
        drop(socket);
        sending.await.0?;
        let (res, buf) = receiving.await;
        assert_eq!(&buf[..res?.0], b"kept");
        Result::Ok(())
    })
    .unwrap();
}
