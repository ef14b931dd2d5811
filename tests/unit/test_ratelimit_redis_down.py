"""With Redis unreachable, the request limiter lets traffic through, and the failed-token
limiter (fail_open=False) keeps counting in the worker: guessing stays limited."""

from __future__ import annotations

import asyncio

from service.ratelimit import RateLimiter

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


async def _hits(limiter: RateLimiter, n: int) -> list[int | None]:
    try:
        return [await limiter.hit("ip:token-failed:192.0.2.7") for _ in range(n)]
    finally:
        await limiter.close()


def test_a_fail_closed_limiter_counts_locally_when_redis_is_down() -> None:
    waits = asyncio.run(_hits(RateLimiter(3, redis_url=UNREACHABLE, workers=1, fail_open=False), 5))
    assert waits[:3] == [None, None, None]
    assert all(w is not None and 1 <= w <= 60 for w in waits[3:]), waits


def test_the_request_limiter_lets_traffic_through_when_redis_is_down() -> None:
    assert asyncio.run(_hits(RateLimiter(3, redis_url=UNREACHABLE, workers=1), 5)) == [None] * 5
