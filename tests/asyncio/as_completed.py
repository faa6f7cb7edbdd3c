# as_completed yields results in the order the tasks finish.
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    tasks = [asyncio.create_task(job(n, d)) for n, d in [("c", 0.03), ("a", 0.01), ("b", 0.02)]]
    for fut in asyncio.as_completed(tasks):
        print(f"completed {await fut}")
    print("done")


asyncio.run(main())
