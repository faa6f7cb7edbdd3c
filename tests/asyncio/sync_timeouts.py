# The primitives under wait_for and cancel on the real loop: a wait that times out or is
# cancelled takes nothing (no lock, no item, no place, no permit, no barrier slot) and
# leaves the primitive as it was; the next waiter is served as if it had never come, also
# when it was cancelled after being woken but before it ran.
import asyncio


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    try:
        await asyncio.wait_for(lock.acquire(), 0.01)
    except TimeoutError:
        print(f"lock: timed out, locked={lock.locked()}")

    async def holder(name):
        async with lock:
            print(f"{name} holds the lock")

    late = asyncio.create_task(holder("late"))
    await asyncio.sleep(0)
    lock.release()
    await late
    print(f"lock: locked={lock.locked()}")

    queue = asyncio.Queue()
    try:
        await asyncio.wait_for(queue.get(), 0.01)
    except TimeoutError:
        print(f"get: timed out, qsize={queue.qsize()}")
    queue.put_nowait("a")
    print(f"get_nowait: {queue.get_nowait()}")

    full = asyncio.Queue(1)
    full.put_nowait(1)
    try:
        await asyncio.wait_for(full.put(2), 0.01)
    except TimeoutError:
        print(f"put: timed out, qsize={full.qsize()}")
    print(f"get_nowait: {full.get_nowait()} empty={full.empty()}")

    semaphore = asyncio.Semaphore(1)
    await semaphore.acquire()
    try:
        await asyncio.wait_for(semaphore.acquire(), 0.01)
    except TimeoutError:
        print(f"semaphore: timed out, locked={semaphore.locked()}")
    semaphore.release()
    print(f"semaphore: locked={semaphore.locked()}")

    event = asyncio.Event()
    try:
        await asyncio.wait_for(event.wait(), 0.01)
    except TimeoutError:
        print(f"event: timed out, is_set={event.is_set()}")

    barrier = asyncio.Barrier(2)
    try:
        await asyncio.wait_for(barrier.wait(), 0.01)
    except TimeoutError:
        print(f"barrier: timed out, n_waiting={barrier.n_waiting} broken={barrier.broken}")

    async def party(name):
        index = await barrier.wait()
        print(f"{name} passes with index {index}")

    await asyncio.gather(party("p0"), party("p1"))

    # A getter that timed out is out of the line: the next one gets the item.
    queue = asyncio.Queue()

    async def getter(name, limit):
        try:
            item = await asyncio.wait_for(queue.get(), limit)
            print(f"{name} got {item}")
        except TimeoutError:
            print(f"{name} timed out")

    first = asyncio.create_task(getter("first", 0.02))
    second = asyncio.create_task(getter("second", 1.0))
    await asyncio.sleep(0.05)
    queue.put_nowait("x")
    await asyncio.gather(first, second)

    # Woken, then cancelled before it ran: the item, or the lock, goes to the next waiter.
    # (A plain get: Python 3.11's wait_for runs its awaitable in an inner task, which would
    # take the item and swallow the cancellation; 3.12's wait_for no longer does.)
    async def plain_getter(name):
        print(f"{name} got {await queue.get()}")

    woken = asyncio.create_task(plain_getter("woken"))
    next_in_line = asyncio.create_task(plain_getter("next in line"))
    await asyncio.sleep(0)
    queue.put_nowait("y")
    woken.cancel()
    await asyncio.gather(woken, next_in_line, return_exceptions=True)

    await lock.acquire()
    woken = asyncio.create_task(holder("woken"))
    next_in_line = asyncio.create_task(holder("next in line"))
    await asyncio.sleep(0)
    lock.release()
    woken.cancel()
    await asyncio.gather(woken, next_in_line, return_exceptions=True)
    print(f"lock: locked={lock.locked()}")

    await semaphore.acquire()

    async def permit_holder(name):
        async with semaphore:
            print(f"{name} holds a permit")

    woken = asyncio.create_task(permit_holder("woken"))
    next_in_line = asyncio.create_task(permit_holder("next in line"))
    await asyncio.sleep(0)
    semaphore.release()
    woken.cancel()
    await asyncio.gather(woken, next_in_line, return_exceptions=True)
    print(f"semaphore: locked={semaphore.locked()}")


asyncio.run(main())
