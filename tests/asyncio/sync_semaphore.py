# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | w0 in (free=1)
# | w1 in (free=0)
# | w0 out
# | w1 out
# | w2 in (free=0)
# | w3 in (free=0)
# | w2 out
# | w3 out
# | w4 in (free=1)
# | w4 out
# | locked=False free=2
# | after extra release: free=3
# | bounded: released too many times
# | after cancel: locked=False

import asyncio


async def worker(sem, name):
    async with sem:
        print(f"{name} in (free={sem._value})")
        await asyncio.sleep(0)
        print(f"{name} out")


async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(worker(sem, f"w{i}") for i in range(5)))
    print(f"locked={sem.locked()} free={sem._value}")

    # release() can raise a plain semaphore above its initial value.
    sem.release()
    print(f"after extra release: free={sem._value}")

    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    bounded.release()
    try:
        bounded.release()
    except ValueError:
        print("bounded: released too many times")

    # A waiter cancelled while waiting takes no permit.
    await bounded.acquire()
    waiter = asyncio.create_task(bounded.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.sleep(0)
    bounded.release()
    print(f"after cancel: locked={bounded.locked()}")


asyncio.run(main())
