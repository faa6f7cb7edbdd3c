# The asyncio primer from DESIGN.md: a coroutine awaiting another.
import asyncio


async def fetch_data():
    print("Fetching data...")
    await asyncio.sleep(0.02)
    print("Data Fetched")
    return {"data": "sample data"}


async def main_task():
    print("Start")
    data = await fetch_data()
    print(f"Received {data['data']}")
    print("End")


asyncio.run(main_task())
