"""Rate limits per API client: a fixed one-minute window, 429 with Retry-After beyond it.

With REDIS_URL the count is shared by every worker and process (INCR + EXPIRE on one key
per client and minute). Without it each worker counts alone, so each allows the limit
divided by WEB_CONCURRENCY. If Redis is unreachable the limiter lets requests through
(and logs it): a cache outage must not take the API down with it.
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
    def __init__(self, per_minute: int, *, redis_url: str | None, workers: int) -> None:
        self.per_minute = per_minute
        self.redis = Redis.from_url(redis_url) if redis_url else None
        self.local_limit = max(1, per_minute // max(1, workers))
        self._local: OrderedDict[tuple[str, int], int] = OrderedDict()

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

    async def _count(self, client_id: str, window: int) -> int | None:
        if self.redis is None:
            key = (client_id, window)
            self._local[key] = self._local.get(key, 0) + 1
            while len(self._local) > 100_000:  # old windows and idle clients fall out
                self._local.popitem(last=False)
            return self._local[key]
        key = f"carbon:rl:{client_id}:{window}"
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.incr(key)
                pipe.expire(key, WINDOW + 5)
                count, _ = await pipe.execute()
            return int(count)
        except (RedisError, OSError):
            log.warning("rate limiter: Redis unreachable, letting the request through")
            return None

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
