"""The in-process job worker: rating rounds and webhook deliveries, from their tables.

Any number of API processes run it side by side; the tables' locks keep each job to one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

__all__ = ["run_jobs_forever"]

log = logging.getLogger("service.jobs")
Pass = Callable[[], Awaitable[int]]


async def run_jobs_forever(passes: list[Pass], wakeup: asyncio.Event, poll_seconds: float) -> None:
    """Run every pass, then sleep until woken or the poll interval passes."""
    while True:
        for run in passes:
            try:
                await run()
            except Exception:  # a database blip must not end the worker
                log.exception("job pass %s failed", getattr(run, "__qualname__", run))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), timeout=poll_seconds)
        wakeup.clear()
