//! Awaiting tokio's futures inside a resumable loop. tokio's timers and sockets belong to
//! a tokio runtime's driver: they must be *created* inside a tokio runtime context (or
//! they panic), and something must *drive* that runtime while they wait. A
//! `multi_thread` runtime drives itself on its worker threads, so entering it
//! (`Runtime::enter`, or `Handle::enter`) around our loop is enough; its wakers reach our
//! loop from those threads. Alternatively, spawn the tokio future on tokio and await its
//! `JoinHandle`, which needs no context at all.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn tokio_multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_tokio_sleep_outside_any_tokio_context_panics_with_tokios_message() {
    let panic = std::panic::catch_unwind(|| {
        resumable::run(async { tokio::time::sleep(Duration::from_millis(1)).await })
    })
    .unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(message.contains("no reactor running"), "{message}");
}

#[test]
fn a_tokio_sleep_completes_on_our_loop_while_a_multi_thread_tokio_runtime_is_entered() {
    let tokio = tokio_multi_thread();
    let _context = tokio.enter();
    let slept = resumable::run(async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        "slept"
    });
    assert_eq!(slept, "slept");
}

#[test]
fn tokio_sockets_work_on_our_loop_with_a_handle_of_a_multi_thread_runtime_entered() {
    let tokio = tokio_multi_thread();
    let handle = tokio.handle().clone();
    let echoed = std::thread::spawn(move || {
        let _context = handle.enter();
        resumable::run(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = resumable::spawn(async move {
                let (mut conn, _) = listener.accept().await.unwrap();
                let mut buf = [0u8; 4];
                conn.read_exact(&mut buf).await.unwrap();
                conn.write_all(&buf).await.unwrap();
            });
            let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
            client.write_all(b"ping").await.unwrap();
            let mut back = [0u8; 4];
            client.read_exact(&mut back).await.unwrap();
            server.await.unwrap();
            back
        })
    })
    .join()
    .unwrap();
    assert_eq!(&echoed, b"ping");
}

#[test]
fn a_tokio_future_spawned_on_tokio_is_awaited_through_its_join_handle_without_a_context() {
    let tokio = tokio_multi_thread();
    let task = tokio.spawn(async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        42
    });
    assert_eq!(resumable::run(task).unwrap(), 42);
}
