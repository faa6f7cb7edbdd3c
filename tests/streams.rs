//! asyncio's streams: `open_connection`, `start_server`, the buffered `Reader` and the
//! `Writer` with its high-water mark.

use std::io;
use std::time::Duration;

use resumable::net::{open_connection, start_server, TcpListener, TcpStream, UnixStream};
use resumable::time::timeout;

type Result<T = ()> = io::Result<T>;

#[test]
fn start_server_and_open_connection_talk_in_lines() {
    resumable::run(async {
        let server = start_server(
            |reader, writer| async move {
                loop {
                    let line = reader.read_line().await.unwrap();
                    if line.is_empty() {
                        break;
                    }
                    writer.write(format!("echo: {line}"));
                    writer.drain().await.unwrap();
                }
                writer.close().await.unwrap();
            },
            "127.0.0.1:0",
        )
        .await?;
        let (reader, writer) = open_connection(server.local_addr()).await?;
        writer.write("one\ntwo\n");
        assert_eq!(reader.read_line().await?, "echo: one\n");
        assert_eq!(reader.read_line().await?, "echo: two\n");
        writer.close().await?;
        assert_eq!(
            reader.read_line().await?,
            "",
            "the server closed after our close"
        );
        assert!(reader.at_eof());
        server.close();
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn read_n_returns_what_is_buffered_before_reading_the_socket_again() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        a.write_all("0123456789").await.0?;
        assert_eq!(reader.read(3).await?, b"012");
        a.write_all("abc").await.0?;
        assert_eq!(
            reader.read(100).await?,
            b"3456789",
            "buffered bytes first, no new read"
        );
        assert_eq!(reader.read(100).await?, b"abc");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn read_exact_at_the_end_of_stream_fails_and_keeps_the_partial_data() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        a.write_all("abcd").await.0?;
        drop(a);
        let err = reader.read_exact(6).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("4 of the 6 bytes"), "{err}");
        assert_eq!(reader.read_to_end().await?, b"abcd");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn read_until_finds_a_separator_split_across_two_reads() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        let writer = resumable::spawn(async move {
            a.write_all("header\r").await.0.unwrap();
            for _ in 0..3 {
                resumable::yield_now().await;
            }
            a.write_all("\nbody").await.0.unwrap();
            a
        });
        assert_eq!(reader.read_until("\r\n").await?, b"header\r\n");
        drop(writer.await.unwrap());
        assert_eq!(reader.read_to_end().await?, b"body");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn read_until_without_the_separator_before_the_end_fails_and_keeps_the_data() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        a.write_all("no separator").await.0?;
        drop(a);
        let err = reader.read_until(";").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(reader.read_to_end().await?, b"no separator");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_line_longer_than_the_limit_fails_with_invalid_data() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        let writer = resumable::spawn(async move { a.write_all(vec![b'x'; 200_000]).await.0 });
        let err = reader.read_line().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("limit"), "{err}");
        drop(reader);
        writer.cancel();
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_line_that_is_not_utf8_fails_with_invalid_data_and_points_to_read_until() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (reader, _) = b.into_streams();
        a.write_all(b"\xff\xfe\n".to_vec()).await.0?;
        let err = reader.read_line().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("read_until"), "{err}");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn drain_waits_while_the_peer_does_not_read_and_resumes_when_it_does() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (_, writer) = a.into_streams();
        writer.set_write_buffer_limits(4096, 1024);
        let chunk = vec![7u8; 1 << 20]; // more than the socket buffers take
        writer.write(&chunk);
        assert!(writer.buffered() > 4096, "the rest waits in the buffer");
        let draining = resumable::spawn(writer.drain());
        for _ in 0..10 {
            resumable::yield_now().await;
        }
        assert!(
            !draining.is_finished(),
            "drain waits above the high-water mark"
        );
        let (reader, _) = b.into_streams();
        let mut got = 0;
        while got < chunk.len() {
            got += reader.read(64 * 1024).await?.len();
        }
        draining.await.unwrap()?;
        assert!(writer.buffered() <= 1024);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn data_written_before_the_writer_is_dropped_is_still_delivered() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (_, writer) = a.into_streams();
        let data: Vec<u8> = (0..(2 << 20)).map(|i| (i % 249) as u8).collect();
        writer.write(&data);
        drop(writer); // the background send goes on, then the socket closes
        let (reader, _) = b.into_streams();
        assert!(reader.read_to_end().await? == data);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn close_flushes_everything_then_the_peer_reads_end_of_stream() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (_, writer) = a.into_streams();
        writer.write(vec![1u8; 500_000]);
        let (reader, _) = b.into_streams();
        let reading = resumable::spawn(async move { reader.read_to_end().await });
        writer.close().await?;
        assert_eq!(writer.buffered(), 0);
        assert_eq!(reading.await.unwrap()?.len(), 500_000);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_write_error_is_reported_by_drain_and_close() {
    resumable::run(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let client = TcpStream::connect(listener.local_addr()?).await?;
        let (server, _) = listener.accept().await?;
        client.write_all("unread").await.0?;
        resumable::yield_now().await;
        drop(server); // unread data: the kernel resets the connection
        let (_, writer) = client.into_streams();
        let mut error = None;
        for _ in 0..100 {
            writer.write(vec![0u8; 64 * 1024]);
            if let Err(e) = writer.drain().await {
                error = Some(e);
                break;
            }
        }
        let error = error.expect("writes to a reset connection must fail");
        assert!(
            error
                .to_string()
                .contains("writing to the connection failed"),
            "{error}"
        );
        assert!(writer.close().await.is_err(), "close reports it too");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_closed_server_accepts_no_more_connections_but_finishes_the_ones_it_has() {
    resumable::run(async {
        let server = start_server(
            |reader, writer| async move {
                let line = reader.read_line().await.unwrap();
                writer.write(line);
                writer.close().await.unwrap();
            },
            "127.0.0.1:0",
        )
        .await?;
        let addr = server.local_addr();
        let (reader, writer) = open_connection(addr).await?;
        resumable::yield_now().await;
        resumable::yield_now().await; // accepted
        server.close();
        resumable::yield_now().await;
        writer.write("still served\n");
        assert_eq!(reader.read_line().await?, "still served\n");
        let refused = timeout(Duration::from_secs(10), TcpStream::connect(addr)).await;
        assert!(refused.expect("a refused connect returns at once").is_err());
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn many_lines_of_every_length_come_back_intact_across_buffer_refills() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let lines: Vec<String> = (0..20_000)
            .map(|i| format!("{i}:{}\n", "x".repeat(i * 7 % 3000)))
            .collect();
        let sent = lines.clone();
        let writer = resumable::spawn(async move {
            let (_, writer) = a.into_streams();
            for line in sent {
                writer.write(line);
                writer.drain().await.unwrap();
            }
            writer.close().await.unwrap();
        });
        let (reader, _) = b.into_streams();
        for expected in &lines {
            assert_eq!(&reader.read_line().await?, expected);
        }
        assert_eq!(reader.read_line().await?, "");
        writer.await.unwrap();
        Result::Ok(())
    })
    .unwrap();
}

fn borrows_nothing<T: 'static>(value: T) -> T {
    value
}

#[test]
fn reader_and_writer_futures_borrow_nothing() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let (_, writer) = a.into_streams();
        let (reader, _) = b.into_streams();
        let separator = String::from("|");
        let record = borrows_nothing(reader.read_until(separator.as_str()));
        let line = borrows_nothing(reader.read_line());
        drop((reader, separator));
        writer.write("a|b\n");
        let closing = borrows_nothing(writer.close());
        drop(writer);
        closing.await?;
        assert_eq!(record.await?, b"a|");
        assert_eq!(line.await?, "b\n");
        Result::Ok(())
    })
    .unwrap();
}
