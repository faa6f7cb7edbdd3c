//! Loopback echo benchmark: the same echo server on `resumable` and on tokio's
//! `current_thread` runtime (and, if `python3` is found, on asyncio and uvloop through
//! `bench/net_echo_server.py`), driven by one client, in one run.
//!
//! ```sh
//! cargo bench --bench net_echo              # 1, 100 and 1000 connections, ~1 minute
//! cargo bench --bench net_echo -- --no-python 1000   # tokio and resumable, 1000 only
//! cargo bench --bench net_echo -- --only resumable,tokio --rounds 5 1 1000
//! ```
//!
//! For profiling one server on its own (e.g. under `valgrind --tool=callgrind` or
//! `strace -c`), `--serve resumable|tokio` runs only that server in this process and prints
//! its address, and `--drive ADDR CONNECTIONS` runs the client against it for one run.
//!
//! Each connection sends a 64-byte message, waits for the echo, and repeats, for a fixed
//! time, in rounds (two, or `--rounds N`) with the servers interleaved. Reported per
//! server: round trips per second and the mean and 99th-percentile round trip of its
//! fastest round, and the server's own CPU time per round trip (read from
//! `/proc/.../schedstat`, so the client's cost is left out): the median over the rounds,
//! then every round's figure, so the spread shows. (The CPU of the fastest round is not a
//! steady figure: with 1000 connections a round can be fast because the server ran in
//! larger, costlier batches.) The ratio is tokio's CPU per round trip over ours: above
//! 1.0 means resumable is cheaper. The client is one tokio `current_thread` thread, the
//! same for every server; the server runs on its own thread (or process).

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MESSAGE: usize = 64;
const RUN_FOR: Duration = Duration::from_secs(2);
const CONNECTIONS: [usize; 3] = [1, 100, 1000];

/// Where to read a server's CPU time: a thread of this process or another process.
enum CpuClock {
    Thread(i32),
    Process(u32),
    /// A server started elsewhere (`--drive`): its CPU time is not read.
    Elsewhere,
}

impl CpuClock {
    /// Nanoseconds the server has run on a CPU (first field of `schedstat`).
    fn ns(&self) -> u64 {
        let path = match self {
            CpuClock::Thread(tid) => format!("/proc/self/task/{tid}/schedstat"),
            CpuClock::Process(pid) => format!("/proc/{pid}/schedstat"),
            CpuClock::Elsewhere => return 0,
        };
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }
}

fn spawn_named(name: &str, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .unwrap();
}

/// The echo server on `resumable`; calls `ready` with its address once it listens.
fn resumable_serve(ready: impl FnOnce(SocketAddr)) {
    resumable::run(async move {
        let listener = resumable::net::TcpListener::bind("127.0.0.1:0").unwrap();
        ready(listener.local_addr().unwrap());
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            stream.set_nodelay(true).unwrap();
            drop(resumable::spawn(async move {
                let mut buf = vec![0u8; 4096];
                loop {
                    let (n, b) = stream.read(buf).await;
                    buf = b;
                    let n = match n {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    if stream.write_all(&buf[..n]).await.0.is_err() {
                        break;
                    }
                }
            }));
        }
    })
}

/// The same echo server on tokio's `current_thread` runtime.
fn tokio_serve(ready: impl FnOnce(SocketAddr)) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        ready(listener.local_addr().unwrap());
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                continue;
            };
            stream.set_nodelay(true).unwrap();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                loop {
                    let n = match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    if stream.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    })
}

/// Runs `serve` on a thread named `name`; returns the address and the thread's CPU clock.
fn in_thread(name: &str, serve: fn(Box<dyn FnOnce(SocketAddr)>)) -> (SocketAddr, CpuClock) {
    let (tx, rx) = mpsc::channel();
    spawn_named(name, move || {
        serve(Box::new(move |addr| {
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            tx.send((addr, tid)).unwrap();
        }))
    });
    let (addr, tid) = rx.recv().unwrap();
    (addr, CpuClock::Thread(tid))
}

/// Starts `bench/net_echo_server.py` with `flavour` (`asyncio` or `uvloop`); `None` if
/// it cannot run (no python3, or no uvloop).
fn python_server(flavour: &str) -> Option<(SocketAddr, CpuClock, Child)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/net_echo_server.py");
    let mut child = Command::new("python3")
        .args([script, flavour])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut()?),
        &mut line,
    )
    .ok()?;
    match line.trim().parse() {
        Ok(addr) => Some((addr, CpuClock::Process(child.id()), child)),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    }
}

struct Outcome {
    round_trips: u64,
    elapsed: Duration,
    mean: Duration,
    p99: Duration,
    server_cpu_ns: u64,
}

impl Outcome {
    fn per_sec(&self) -> f64 {
        self.round_trips as f64 / self.elapsed.as_secs_f64()
    }

    fn cpu_per_round_trip(&self) -> f64 {
        self.server_cpu_ns as f64 / self.round_trips.max(1) as f64
    }
}

/// Runs `connections` ping-pong clients against `addr` for [`RUN_FOR`].
fn drive(addr: SocketAddr, connections: usize, cpu: &CpuClock) -> Outcome {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut streams = Vec::with_capacity(connections);
        for _ in 0..connections {
            let s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.set_nodelay(true).unwrap();
            streams.push(s);
        }
        // Warm up every connection once.
        for s in &mut streams {
            s.write_all(&[1u8; MESSAGE]).await.unwrap();
            s.read_exact(&mut [0u8; MESSAGE]).await.unwrap();
        }
        let cpu_before = cpu.ns();
        let start = Instant::now();
        let deadline = start + RUN_FOR;
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|mut s| {
                tokio::spawn(async move {
                    let msg = [7u8; MESSAGE];
                    let mut back = [0u8; MESSAGE];
                    let mut samples = Vec::new();
                    loop {
                        let t0 = Instant::now();
                        if t0 >= deadline {
                            break samples;
                        }
                        s.write_all(&msg).await.unwrap();
                        s.read_exact(&mut back).await.unwrap();
                        samples.push(t0.elapsed());
                    }
                })
            })
            .collect();
        let mut samples = Vec::new();
        for t in tasks {
            samples.extend(t.await.unwrap());
        }
        let elapsed = start.elapsed();
        let server_cpu_ns = cpu.ns() - cpu_before;
        samples.sort_unstable();
        let n = samples.len().max(1);
        Outcome {
            round_trips: samples.len() as u64,
            elapsed,
            mean: samples.iter().sum::<Duration>() / n as u32,
            p99: samples.get(n * 99 / 100).copied().unwrap_or_default(),
            server_cpu_ns,
        }
    })
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// The value after `flag` on the command line, if given.
fn option<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let at = args.iter().position(|a| a == flag)?;
    Some(
        args.get(at + 1)
            .unwrap_or_else(|| panic!("{flag} needs a value")),
    )
}

/// `--serve NAME`: that server alone, in this process, until killed.
fn serve_alone(name: &str) {
    let ready = |addr: SocketAddr| println!("{addr}");
    match name {
        "resumable" => resumable_serve(ready),
        "tokio" => tokio_serve(ready),
        other => panic!("--serve resumable|tokio, not {other:?}"),
    }
}

/// `--drive ADDR CONNECTIONS`: one run of the client against a server started elsewhere.
fn drive_alone(addr: &str, connections: usize) {
    let addr = addr.parse().expect("--drive HOST:PORT");
    let o = drive(addr, connections, &CpuClock::Elsewhere);
    println!(
        "{connections} connection(s): {:.0} round trips/s, {} round trips, mean {:.1} us",
        o.per_sec(),
        o.round_trips,
        o.mean.as_secs_f64() * 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(name) = option(&args, "--serve") {
        return serve_alone(name);
    }
    let valued = ["--only", "--rounds", "--drive"];
    let counts: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|&(i, _)| i == 0 || !valued.contains(&args[i - 1].as_str()))
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    if let Some(addr) = option(&args, "--drive") {
        return drive_alone(addr, counts.first().copied().unwrap_or(1));
    }
    let only: Option<Vec<&str>> = option(&args, "--only").map(|o| o.split(',').collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.contains(&name));
    let python = !args.iter().any(|a| a == "--no-python");
    let rounds: usize = option(&args, "--rounds").map_or(2, |r| r.parse().expect("--rounds N"));
    let counts = if counts.is_empty() {
        CONNECTIONS.to_vec()
    } else {
        counts
    };
    // Raise the soft descriptor limit for 1000 connections on both ends.
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid rlimit for getrlimit/setrlimit to read and write.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
    }

    let mut servers: Vec<(&str, SocketAddr, CpuClock, Option<Child>)> = Vec::new();
    if wanted("resumable") {
        let (a, c) = in_thread("resumable-srv", resumable_serve);
        servers.push(("resumable", a, c, None));
    }
    if wanted("tokio") {
        let (a, c) = in_thread("tokio-srv", tokio_serve);
        servers.push(("tokio current_thread", a, c, None));
    }
    if python {
        for flavour in ["asyncio", "uvloop"] {
            if !wanted(flavour) {
                continue;
            }
            match python_server(flavour) {
                Some((a, c, child)) => servers.push((flavour, a, c, Some(child))),
                None => println!("({flavour} server not available: skipped)"),
            }
        }
    }

    println!(
        "loopback echo, {MESSAGE}-byte messages, {RUN_FOR:?} per run, client: one tokio thread"
    );
    for connections in counts {
        println!("\n{connections} connection(s):");
        // Rounds with the servers interleaved: the machine is shared and noisy, and
        // interleaving spreads a busy moment over all of them.
        let mut best: Vec<Option<Outcome>> = servers.iter().map(|_| None).collect();
        let mut all_cpu: Vec<Vec<f64>> = servers.iter().map(|_| Vec::new()).collect();
        for _round in 0..rounds.max(1) {
            for (i, (_, addr, cpu, _)) in servers.iter().enumerate() {
                let o = drive(*addr, connections, cpu);
                all_cpu[i].push(o.cpu_per_round_trip());
                if best[i].as_ref().is_none_or(|b| o.per_sec() > b.per_sec()) {
                    best[i] = Some(o);
                }
            }
        }
        let mut cpu_per_rt = Vec::new();
        for (((name, ..), o), rounds) in servers.iter().zip(best).zip(&all_cpu) {
            let o = o.expect("at least one round ran");
            let cpu_ns = median(rounds);
            cpu_per_rt.push(cpu_ns);
            let rounds: Vec<String> = rounds.iter().map(|c| format!("{c:.0}")).collect();
            println!(
                "  {name:<22} {:>10.0} round trips/s   mean {:>8.1} us   p99 {:>8.1} us   server CPU {cpu_ns:>7.0} ns/round trip   (rounds: {})",
                o.per_sec(),
                o.mean.as_secs_f64() * 1e6,
                o.p99.as_secs_f64() * 1e6,
                rounds.join(", "),
            );
        }
        let position = |name: &str| servers.iter().position(|s| s.0.starts_with(name));
        if let (Some(ours), Some(tokio)) = (position("resumable"), position("tokio")) {
            println!(
                "  ratio tokio/resumable (server CPU per round trip): {:.2}x",
                cpu_per_rt[tokio] / cpu_per_rt[ours]
            );
        }
    }
    for (_, _, _, child) in &mut servers {
        if let Some(child) = child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
