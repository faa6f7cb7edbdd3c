"""Prelude that tests/examples.rs puts before each example's Python: asyncio on virtual
time. The loop's clock only moves when nothing is ready, and then jumps to the next timer
(as `resumable`'s virtual time does), so `asyncio.run` prints the same lines as on real
time, at once. Waiting for I/O or another thread (no timer due) blocks as usual.
"""
import asyncio


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self._virtual_now = 0.0
        select = self._selector.select

        def select_virtually(timeout=None):
            if timeout is None:
                return select(None)
            events = select(0)
            if not events:
                self._virtual_now += timeout
            return events

        self._selector.select = select_virtually

    def time(self):
        return self._virtual_now


class VirtualTimePolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return VirtualTimeLoop()


asyncio.set_event_loop_policy(VirtualTimePolicy())
