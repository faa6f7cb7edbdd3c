# Where awaiting a task and a gather resume, relative to a task ticking with sleep(0).
import asyncio


async def ticker(n):
    for i in range(n):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def quick(name):
    print(f"{name} runs")
    return name


async def main():
    t = asyncio.create_task(ticker(12))
    print(f"awaited {await asyncio.create_task(quick('single'))}")
    print(f"gathered {await asyncio.gather(quick('g1'), quick('g2'))}")
    await t
    print("main done")


asyncio.run(main())
