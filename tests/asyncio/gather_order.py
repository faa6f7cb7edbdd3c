# gather: children start in argument order, finish by deadline, results in argument order.
import asyncio


async def work(name, delay):
    print(f"{name} start")
    await asyncio.sleep(delay)
    print(f"{name} end")
    return name.upper()


async def main():
    results = await asyncio.gather(work("a", 0.03), work("b", 0.01), work("c", 0.02))
    print(f"results {results}")


asyncio.run(main())
