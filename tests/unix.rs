//! Unix sockets: `UnixListener` and `UnixStream` in a temporary directory.

use std::io;
use std::net::Shutdown;
use std::path::PathBuf;

use resumable::net::{UnixListener, UnixStream};

type Result<T = ()> = io::Result<T>;

/// A fresh directory for one test's socket files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("resumable-unix-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_client_connects_to_a_path_and_exchanges_bytes() {
    let dir = TempDir::new("exchange");
    let path = dir.0.join("echo.sock");
    resumable::run(async move {
        let listener = UnixListener::bind(&path)?;
        assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
        let server = resumable::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (res, buf) = stream.read_exact([0u8; 4]).await;
            res.unwrap();
            stream.write_all(buf).await.0.unwrap();
        });
        let client = UnixStream::connect(&path).await?;
        client.write_all("ping").await.0?;
        let (res, buf) = client.read_exact([0u8; 4]).await;
        res?;
        assert_eq!(&buf, b"ping");
        server.await.unwrap();
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn connecting_to_a_missing_path_fails_with_not_found_naming_it() {
    let dir = TempDir::new("missing");
    let path = dir.0.join("nobody.sock");
    resumable::run(async move {
        let err = UnixStream::connect(&path).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("nobody.sock"), "{err}");
    });
}

#[test]
fn connecting_to_a_socket_file_nobody_listens_on_is_refused() {
    let dir = TempDir::new("refused");
    let path = dir.0.join("stale.sock");
    resumable::run(async move {
        drop(UnixListener::bind(&path)?); // leaves the file behind
        let err = UnixStream::connect(&path).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn binding_a_path_that_exists_fails_with_addr_in_use_and_says_to_remove_it() {
    let dir = TempDir::new("inuse");
    let path = dir.0.join("taken.sock");
    resumable::run(async move {
        let _first = UnixListener::bind(&path)?;
        let err = UnixListener::bind(&path).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert!(err.to_string().contains("remove it"), "{err}");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_pair_half_closes_and_the_other_end_reads_end_of_stream() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        a.write_all("last words").await.0?;
        a.shutdown(Shutdown::Write)?;
        let (res, buf) = b.read_exact([0u8; 10]).await;
        res?;
        assert_eq!(&buf, b"last words");
        assert_eq!(b.read([0u8; 4]).await.0?, 0);
        b.write_all("reply").await.0?; // the other direction still works
        assert_eq!(&a.read_exact([0u8; 5]).await.1, b"reply");
        Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_large_write_reaches_a_slow_reader_complete() {
    resumable::run(async {
        let (a, b) = UnixStream::pair()?;
        let data: Vec<u8> = (0..(4 << 20)).map(|i| (i % 253) as u8).collect();
        let reader = resumable::spawn(async move {
            let mut got = Vec::new();
            loop {
                let (n, buf) = b.read(vec![0u8; 1000]).await;
                match n.unwrap() {
                    0 => break got,
                    n => got.extend_from_slice(&buf[..n]),
                }
            }
        });
        let (res, data) = a.write_all(data).await;
        res?;
        drop(a);
        assert!(reader.await.unwrap() == data);
        Result::Ok(())
    })
    .unwrap();
}
