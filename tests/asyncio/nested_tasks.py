# Tasks that spawn and await tasks.
import asyncio


async def leaf(name):
    print(f"leaf {name} runs")
    await asyncio.sleep(0)
    print(f"leaf {name} returns")
    return len(name)


async def branch(name):
    print(f"branch {name} spawns")
    t1 = asyncio.create_task(leaf(name + ".1"))
    t2 = asyncio.create_task(leaf(name + ".22"))
    total = await t1 + await t2
    print(f"branch {name} total {total}")
    return total


async def main():
    a = asyncio.create_task(branch("a"))
    b = asyncio.create_task(branch("bb"))
    print("main waits")
    print(f"sum {await a + await b}")


asyncio.run(main())
