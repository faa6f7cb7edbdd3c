# Cancelling a task unwinds it at its await point; awaiting it then raises CancelledError.
import asyncio


async def sleeper():
    print("sleeper: going to sleep")
    try:
        await asyncio.sleep(3600)
        print("sleeper: never")
    finally:
        print("sleeper: cleanup")


async def main():
    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0.01)
    print("main: cancelling")
    task.cancel()
    print("main: cancel requested")
    try:
        await task
    except asyncio.CancelledError:
        print("main: task was cancelled")
    print(f"main: done={task.done()} cancelled={task.cancelled()}")


asyncio.run(main())
