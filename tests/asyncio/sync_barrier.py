# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | p0 arrives
# | p1 arrives
# | p2 arrives
# | p2 passes with index 2
# | p0 passes with index 0
# | p1 passes with index 1
# | n_waiting=0 broken=False
# | q0 arrives
# | q0: broken
# | wait on a broken barrier fails: broken=True
# | after reset: broken=False

import asyncio


async def party(barrier, name):
    print(f"{name} arrives")
    index = await barrier.wait()
    print(f"{name} passes with index {index}")


async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(*(party(barrier, f"p{i}") for i in range(3)))
    print(f"n_waiting={barrier.n_waiting} broken={barrier.broken}")

    # Second round, aborted with one party waiting.
    waiting = asyncio.create_task(party(barrier, "q0"))
    await asyncio.sleep(0)
    await barrier.abort()
    try:
        await waiting
    except asyncio.BrokenBarrierError:
        print("q0: broken")
    try:
        await barrier.wait()
    except asyncio.BrokenBarrierError:
        print(f"wait on a broken barrier fails: broken={barrier.broken}")
    await barrier.reset()
    print(f"after reset: broken={barrier.broken}")


asyncio.run(main())
