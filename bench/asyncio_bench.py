"""The workloads of bench/runtime.rs on asyncio (and uvloop, if installed).

    python3 bench/asyncio_bench.py            # full size (about half a minute)
    python3 bench/asyncio_bench.py --scale 10 # a tenth of the operations

Prints ns per operation, to put next to `cargo bench --bench runtime`.
"""
import asyncio
import sys
import time

SCALE = int(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1
SPAWN_TASKS = 1_000_000 // SCALE
SPAWN_BATCH = 10_000
YIELDS = 1_000_000 // SCALE
SLEEPERS = 100_000 // SCALE


async def empty():
    pass


async def spawn_workload():
    for _ in range(max(1, SPAWN_TASKS // SPAWN_BATCH)):
        tasks = [asyncio.create_task(empty()) for _ in range(SPAWN_BATCH)]
        for t in tasks:
            await t


async def yielder(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def yield_workload():
    a = asyncio.create_task(yielder(YIELDS // 2))
    b = asyncio.create_task(yielder(YIELDS // 2))
    await a
    await b


async def sleep_workload():
    tasks = [asyncio.create_task(asyncio.sleep(0.01)) for _ in range(SLEEPERS)]
    for t in tasks:
        await t


def measure(name, workload, ops, runner):
    t0 = time.perf_counter()
    runner(workload())
    ns = (time.perf_counter() - t0) * 1e9 / ops
    print(f"{name:<32} {ns:>10.1f} ns/op")


def main():
    runners = [("asyncio", asyncio.run)]
    try:
        import uvloop  # noqa: F401

        runners.append(("uvloop", uvloop.run))
    except ImportError:
        print("(uvloop not installed: asyncio only)")
    for label, runner in runners:
        print(f"== {label}")
        measure("spawn+await empty tasks", spawn_workload, max(SPAWN_BATCH, SPAWN_TASKS), runner)
        measure("sleep(0) between 2 tasks", yield_workload, YIELDS, runner)
        measure("concurrent 10 ms sleeps", sleep_workload, SLEEPERS, runner)


if __name__ == "__main__":
    main()
