# TaskGroup: a failing child cancels its siblings; the parent gets the error.
import asyncio


async def ok(name, delay):
    try:
        await asyncio.sleep(delay)
        print(f"{name} finished")
        return name
    finally:
        print(f"{name} exits")


async def bad(delay):
    await asyncio.sleep(delay)
    print("bad raises")
    raise ValueError("bad input")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            t1 = tg.create_task(ok("quick", 0.01))
            tg.create_task(ok("slow", 1.0))
            tg.create_task(bad(0.03))
            print("body done")
    except* ValueError as eg:
        print(f"errors: {[str(e) for e in eg.exceptions]}")
    print(f"quick result: {t1.result()}")


asyncio.run(main())
