# create_task schedules the first step for the next iteration, after what is ready.
import asyncio


async def child(name):
    print(f"{name} step 1")
    await asyncio.sleep(0)
    print(f"{name} step 2")


async def main():
    print("main creates a")
    a = asyncio.create_task(child("a"))
    print("main creates b")
    b = asyncio.create_task(child("b"))
    print("main yields")
    await asyncio.sleep(0)
    print("main creates c")
    c = asyncio.create_task(child("c"))
    await a
    print("a awaited")
    await b
    await c
    print("main done")


asyncio.run(main())
