// The asyncio primer's two coroutines.
#[resumable::coroutine]
fn fetch_data() -> Data {
    println!("Fetching data...");
    yield_await!(sleep(Duration::from_secs(2)));
    println!("Data Fetched");
    Data {
        data: "sample data",
    }
}

#[resumable::coroutine]
fn main_task() {
    println!("Start");
    let data = yield_await!(fetch_data());
    println!("Received {data}");
    println!("End");
}
