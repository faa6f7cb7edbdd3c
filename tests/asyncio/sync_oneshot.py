# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | waiting
# | computing
# | sent
# | received 42
# | received from a thread

# asyncio has no oneshot channel; its analogue is a bare Future set by another task
# (or, across threads, by loop.call_soon_threadsafe).
import asyncio


async def compute(fut):
    print("computing")
    await asyncio.sleep(0)
    fut.set_result(42)
    print("sent")


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    task = asyncio.create_task(compute(fut))
    print("waiting")
    print(f"received {await fut}")
    await task

    def in_thread(fut):
        loop.call_soon_threadsafe(fut.set_result, "from a thread")

    fut = loop.create_future()
    await loop.run_in_executor(None, in_thread, fut)
    print(f"received {await fut}")


asyncio.run(main())
