"""An AsyncCarbonClient driven from synchronous test code, so one test body exercises both clients.

Its coroutines run on an event loop in a thread of its own (the async client's real code
path over a real socket); async iterators are drained into lists.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from carbon_account_client import AsyncCarbonClient, CarbonClient

__all__ = ["Blocking", "Connect", "LoopThread"]

T = TypeVar("T")
Connect = Callable[..., CarbonClient]
"""Makes a client of the test's kind (a Blocking one stands in for CarbonClient)."""


class LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sdk-async-tests", daemon=True)
        self.thread.start()

    def run(self, awaitable: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


async def _drain(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]


class Blocking:
    def __init__(self, client: AsyncCarbonClient, loop: LoopThread) -> None:
        self.client, self.loop = client, loop

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if inspect.isawaitable(result):
                return self.loop.run(result)
            if hasattr(result, "__aiter__"):
                return iter(self.loop.run(_drain(result)))
            return result

        return call

    def close(self) -> None:
        self.loop.run(self.client.aclose())

    def __enter__(self) -> Blocking:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
