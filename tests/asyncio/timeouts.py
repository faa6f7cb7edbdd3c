# asyncio.timeout: a slow operation is cancelled at the deadline; a fast one returns.
import asyncio


async def op(name, delay):
    try:
        await asyncio.sleep(delay)
        print(f"{name} completed")
        return name
    finally:
        print(f"{name} exits")


async def main():
    try:
        async with asyncio.timeout(0.05):
            print(f"got {await op('fast', 0.01)}")
    except TimeoutError:
        print("fast timed out")
    try:
        async with asyncio.timeout(0.02):
            print(f"got {await op('slow', 1.0)}")
    except TimeoutError:
        print("slow timed out")
    print("done")


asyncio.run(main())
