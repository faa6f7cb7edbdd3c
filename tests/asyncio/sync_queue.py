# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | put 0 qsize=1
# | put 1 qsize=2
# | c0 got 0
# | c1 got 1
# | put 2 qsize=1
# | put 3 qsize=2
# | c0 got 2
# | c1 got 3
# | put 4 qsize=1
# | c0 got 4
# | joined
# | get_nowait: empty
# | put_nowait: full=True
# | got x y empty=True
# | after cancel: kept
# | served: ['a', 'b', 'c']
# | task_done: too many
# | lifo: [2, 1, 3]
# | priority: [1, 2, 3]

import asyncio


async def consumer(queue, name):
    while True:
        item = await queue.get()
        print(f"{name} got {item}")
        await asyncio.sleep(0)
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    consumers = [asyncio.create_task(consumer(queue, f"c{i}")) for i in range(2)]
    for i in range(5):
        await queue.put(i)
        print(f"put {i} qsize={queue.qsize()}")
    await queue.join()
    print("joined")
    for task in consumers:
        task.cancel()
    await asyncio.sleep(0)

    try:
        queue.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait: empty")
    queue.put_nowait("x")
    queue.put_nowait("y")
    try:
        queue.put_nowait("z")
    except asyncio.QueueFull:
        print(f"put_nowait: full={queue.full()}")
    print(f"got {queue.get_nowait()} {queue.get_nowait()} empty={queue.empty()}")

    # A getter cancelled while waiting consumes nothing.
    waiting = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    waiting.cancel()
    await asyncio.sleep(0)
    queue.put_nowait("kept")
    print(f"after cancel: {queue.get_nowait()}")

    # Waiting getters are served first come, first served.
    queue = asyncio.Queue()
    getters = [asyncio.create_task(queue.get()) for _ in range(3)]
    await asyncio.sleep(0)
    for item in "abc":
        queue.put_nowait(item)
    print("served:", [await task for task in getters])

    try:
        queue.task_done()
        queue.task_done()
        queue.task_done()
        queue.task_done()
    except ValueError:
        print("task_done: too many")

    lifo = asyncio.LifoQueue()
    prio = asyncio.PriorityQueue()
    for item in [3, 1, 2]:
        lifo.put_nowait(item)
        prio.put_nowait(item)
    print("lifo:", [lifo.get_nowait() for _ in range(3)])
    print("priority:", [prio.get_nowait() for _ in range(3)])


asyncio.run(main())
