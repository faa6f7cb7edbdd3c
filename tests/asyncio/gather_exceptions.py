# gather(return_exceptions=True) keeps every outcome in argument order.
import asyncio


async def job(i):
    await asyncio.sleep(0.01 * (3 - i))
    if i == 1:
        print(f"job {i} fails")
        raise RuntimeError(f"job {i} failed")
    print(f"job {i} ok")
    return i * 10


async def main():
    outcomes = await asyncio.gather(*(job(i) for i in range(3)), return_exceptions=True)
    for o in outcomes:
        print(f"error: {o}" if isinstance(o, Exception) else f"value: {o}")


asyncio.run(main())
