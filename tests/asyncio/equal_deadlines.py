# Timers with the same duration fire in the order they were armed.
import asyncio


async def sleeper(name, delay):
    await asyncio.sleep(delay)
    print(f"{name} woke")


async def main():
    tasks = []
    for name in ["first", "second", "third", "fourth"]:
        tasks.append(asyncio.create_task(sleeper(name, 0.02)))
    tasks.append(asyncio.create_task(sleeper("early", 0.01)))
    await asyncio.gather(*tasks)
    print("all woke")


asyncio.run(main())
