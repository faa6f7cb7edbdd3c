"""The workloads of bench/sync_queue.rs on asyncio (and uvloop, if installed).

    python3 bench/asyncio_sync_bench.py            # full size (about a minute)
    python3 bench/asyncio_sync_bench.py --scale 10 # a tenth of the operations

Prints ns per round trip / per item, best of 3 runs, to put next to
`cargo bench --bench sync_queue`.
"""
import asyncio
import sys
import time

SCALE = int(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1
ROUND_TRIPS = 1_000_000 // SCALE
ITEMS = 1_000_000 // SCALE
CONSUMERS = 8
CAPACITY = 128
RUNS = 3


def ping_pong(maxsize):
    async def workload():
        ping, pong = asyncio.Queue(maxsize), asyncio.Queue(maxsize)

        async def echo():
            for _ in range(ROUND_TRIPS):
                n = await ping.get()
                await pong.put(n + 1)

        task = asyncio.create_task(echo())
        n = 0
        for _ in range(ROUND_TRIPS):
            await ping.put(n)
            n = await pong.get()
        await task
        assert n == ROUND_TRIPS

    return workload


async def pipeline():
    # Python 3.11 has no Queue.shutdown: one sentinel per consumer ends the run.
    queue = asyncio.Queue(CAPACITY)

    async def consumer():
        total = 0
        while (item := await queue.get()) is not None:
            total += item
        return total

    consumers = [asyncio.create_task(consumer()) for _ in range(CONSUMERS)]
    for item in range(ITEMS):
        await queue.put(item)
    for _ in range(CONSUMERS):
        await queue.put(None)
    total = sum(await asyncio.gather(*consumers))
    assert total == ITEMS * (ITEMS - 1) // 2


def measure(name, unit, workload, ops, runner):
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        runner(workload())
        best = min(best, (time.perf_counter() - t0) * 1e9 / ops)
    print(f"{name:<44} {best:>8.1f} ns/{unit}")


def main():
    runners = [("asyncio", asyncio.run)]
    try:
        import uvloop  # noqa: F401

        runners.append(("uvloop", uvloop.run))
    except ImportError:
        print("(uvloop not installed: asyncio only)")
    print(f"best of {RUNS} runs")
    for label, runner in runners:
        print(f"== {label}")
        measure("ping-pong, unbounded", "trip", ping_pong(0), ROUND_TRIPS, runner)
        measure("ping-pong, capacity 1", "trip", ping_pong(1), ROUND_TRIPS, runner)
        measure(f"pipeline 1->{CONSUMERS}, capacity {CAPACITY}", "item", pipeline, ITEMS, runner)


if __name__ == "__main__":
    main()
