# asyncio.wait(FIRST_COMPLETED), then cancel what is pending.
import asyncio


async def job(name, delay):
    try:
        await asyncio.sleep(delay)
        print(f"{name} done")
        return name
    finally:
        print(f"{name} exits")


async def main():
    tasks = [asyncio.create_task(job(n, d)) for n, d in [("slow", 0.05), ("fast", 0.01), ("mid", 0.03)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"done {[t.result() for t in done]}, pending {len(pending)}")
    for t in tasks:  # in creation order (`pending` is a set)
        if t in pending:
            t.cancel()
    await asyncio.wait(pending)
    print("all settled")


asyncio.run(main())
