"""Rate limits per API client: a fixed one-minute window, 429 with Retry-After beyond it.

With REDIS_URL the count is shared by every worker and process (INCRBY + EXPIRE on one key
per client and minute). Each worker sends its count in batches of up to 1 % of the limit
(at most 50, exact for small limits): a Redis round trip on every request was measured to
cost a quarter of the bank read's throughput; the price is a slack of one batch per worker. Without it each worker counts alone, so each allows the limit
divided by WEB_CONCURRENCY. If Redis is unreachable the request limiter lets requests through
(and logs it): a cache outage must not take the API down with it. A limiter made with
`fail_open=False` (failed token requests) counts in the worker instead: guessing must not get
unlimited because a cache is down.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = ["RateLimiter"]

log = logging.getLogger("service.ratelimit")
WINDOW = 60


class RateLimiter:
    def __init__(self, per_minute: int, *, redis_url: str | None, workers: int, fail_open: bool = True) -> None:
        self.per_minute = per_minute
        self.fail_open = fail_open
        self.redis = Redis.from_url(redis_url) if redis_url else None
        self.local_limit = max(1, per_minute // max(1, workers))
        self._local: OrderedDict[tuple[str, int], int] = OrderedDict()
        self._shared: OrderedDict[tuple[str, int], int] = OrderedDict()  # the last count Redis gave
        self.batch = min(50, max(1, per_minute // 100))

    @property
    def limit(self) -> int:
        return self.per_minute if self.redis is not None else self.local_limit

    async def hit(self, client_id: str) -> int | None:
        """Count one request; the seconds to wait when over the limit, else None."""
        if self.per_minute <= 0:
            return None
        now = time.time()
        window = int(now // WINDOW)
        count = await self._count(client_id, window)
        if count is None or count <= self.limit:
            return None
        return max(1, math.ceil((window + 1) * WINDOW - now))

    def exceeded(self, key: str) -> int | None:
        """The seconds to wait if `key` has used up this window's limit (as far as this worker has
        counted, or last heard from Redis), else None; counts nothing."""
        if self.per_minute <= 0:
            return None
        now = time.time()
        window = int(now // WINDOW)
        if self._local.get((key, window), 0) + self._shared.get((key, window), 0) < self.limit:
            return None
        return max(1, math.ceil((window + 1) * WINDOW - now))

    def _bump(self, table: OrderedDict[tuple[str, int], int], key: tuple[str, int], by: int) -> int:
        table[key] = table.get(key, 0) + by
        while len(table) > 100_000:  # old windows and idle clients fall out
            table.popitem(last=False)
        return table[key]

    async def _count(self, client_id: str, window: int) -> int | None:
        key = (client_id, window)
        pending = self._bump(self._local, key, 1)
        if self.redis is None:
            return pending
        if pending < self.batch:
            return self._shared.get(key, 0) + pending
        redis_key = f"carbon:rl:{client_id}:{window}"
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.incrby(redis_key, pending)
                pipe.expire(redis_key, WINDOW + 5)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            if self.fail_open:
                log.warning("rate limiter: Redis unreachable, letting the request through")
                return None
            log.warning("rate limiter: Redis unreachable, counting in this worker alone")
            return self._shared.get(key, 0) + pending
        self._local[key] = 0
        self._shared[key] = int(count)
        return int(count)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
