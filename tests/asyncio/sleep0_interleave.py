# sleep(0) hands the loop to every other ready task: strict round robin.
import asyncio


async def worker(name, steps):
    for i in range(steps):
        print(f"{name} step {i}")
        await asyncio.sleep(0)
    print(f"{name} done")


async def main():
    tasks = [asyncio.create_task(worker(n, s)) for n, s in [("x", 3), ("y", 1), ("z", 2)]]
    print("main spawned")
    await asyncio.sleep(0)
    print("main after one yield")
    for t in tasks:
        await t
    print("main done")


asyncio.run(main())
