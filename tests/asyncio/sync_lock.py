# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | w0 waits
# | w0 holds the lock
# | w1 waits
# | w2 waits
# | w0 releases
# | w1 holds the lock
# | w1 releases
# | w2 holds the lock
# | w2 releases
# | locked=False
# | after cancel: locked=False
# | v0 waits
# | v1 waits
# | v2 waits
# | released to v0: locked=False
# | v0 holds the lock
# | v0 releases
# | v2 holds the lock
# | v2 releases
# | done: locked=False

import asyncio


async def worker(lock, name, log):
    print(f"{name} waits")
    async with lock:
        print(f"{name} holds the lock")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        print(f"{name} releases")


async def main():
    lock = asyncio.Lock()
    log = []
    await asyncio.gather(*(worker(lock, f"w{i}", log) for i in range(3)))
    print(f"locked={lock.locked()}")

    # A waiter cancelled while waiting never holds the lock.
    await lock.acquire()
    waiter = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.sleep(0)
    lock.release()
    print(f"after cancel: locked={lock.locked()}")

    # The lock goes to waiters in arrival order, even past a cancelled one.
    await lock.acquire()
    tasks = [asyncio.create_task(worker(lock, f"v{i}", log)) for i in range(3)]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.sleep(0)
    lock.release()
    print(f"released to v0: locked={lock.locked()}")
    await asyncio.gather(tasks[0], tasks[2])
    print(f"done: locked={lock.locked()}")


asyncio.run(main())
