// A local borrowed by the awaited future gets a fixed slot; the body has a twin.
#[resumable::coroutine]
fn read_into(stream: Stream) -> Vec<u8> {
    let mut buf = vec![0; 4];
    let n = yield_await!(stream.read(&mut buf));
    buf.truncate(n);
    println!("{buf:?} {}", buf.len());
    buf
}
