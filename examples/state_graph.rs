//! The asyncio primer's coroutines, with their state graphs: what the attribute turned
//! each fn into, as DOT (Graphviz) and as a Mermaid state diagram.
//!
//! `cargo run --example state_graph` prints both; pipe the DOT part into `dot -Tsvg`, or
//! paste the Mermaid part into a ```` ```mermaid ```` block of a markdown file.

use resumable::time::sleep;
use resumable::yield_await;
use std::time::Duration;

#[resumable::coroutine(graph)]
fn fetch_data() -> &'static str {
    println!("Fetching data...");
    yield_await!(sleep(Duration::from_secs(2)));
    println!("Data Fetched");
    "sample data"
}

#[resumable::coroutine(graph)]
fn main_task() {
    println!("Start");
    let data = yield_await!(fetch_data());
    println!("Received {data}");
    println!("End");
}

fn main() {
    // (`resumable::run(main_task())` would run it, as in `examples/primer.rs`.)
    for graph in [fetch_data_graph(), main_task_graph()] {
        println!("{}", graph.to_dot());
        println!("{}", graph.to_mermaid());
    }
}
