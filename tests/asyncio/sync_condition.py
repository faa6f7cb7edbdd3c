# Expected output (CPython 3.11; deterministic: no timers, no I/O).
# The Rust port prints the same lines in the same order.
#
# | w0 waits
# | w1 waits
# | w2 waits
# | notify(2)
# | w0 notified
# | w1 notified
# | notify_all
# | w2 notified
# | produced apple
# | c0 took apple
# | produced pear
# | c1 took pear
# | locked=False

import asyncio


async def consumer(cond, items, name):
    async with cond:
        await cond.wait_for(lambda: len(items) > 0)
        print(f"{name} took {items.pop(0)}")


async def waiter(cond, name):
    async with cond:
        print(f"{name} waits")
        await cond.wait()
        print(f"{name} notified")


async def main():
    cond = asyncio.Condition()
    tasks = [asyncio.create_task(waiter(cond, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    async with cond:
        print("notify(2)")
        cond.notify(2)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    async with cond:
        print("notify_all")
        cond.notify_all()
    await asyncio.gather(*tasks)

    items = []
    consumers = [asyncio.create_task(consumer(cond, items, f"c{i}")) for i in range(2)]
    await asyncio.sleep(0)
    for item in ["apple", "pear"]:
        async with cond:
            items.append(item)
            print(f"produced {item}")
            cond.notify()
        await asyncio.sleep(0)
    await asyncio.gather(*consumers)
    print(f"locked={cond.locked()}")


asyncio.run(main())
