# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | w0 waits
# | w1 waits
# | w2 waits
# | setting
# | cleared
# | w0 woke, is_set=False
# | w1 woke, is_set=False
# | w2 woke, is_set=False
# | late waits
# | late done=False
# | late woke, is_set=True
# | set-already waits
# | set-already woke, is_set=True

import asyncio


async def waiter(event, name):
    print(f"{name} waits")
    await event.wait()
    print(f"{name} woke, is_set={event.is_set()}")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(event, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    print("setting")
    event.set()
    event.clear()  # waiters already woken still complete
    print("cleared")
    await asyncio.gather(*tasks)

    late = asyncio.create_task(waiter(event, "late"))
    await asyncio.sleep(0)
    print(f"late done={late.done()}")
    event.set()
    await late
    await waiter(event, "set-already")


asyncio.run(main())
