"""Retries: 429 and 503 are waited out with exponential backoff and jitter, within a budget.

Only a request that cannot take effect twice is retried: GET, PUT and DELETE, reads sent
as POST (`/v1/verify`, financed emissions), and creating POSTs that carry an
Idempotency-Key (the API replays the first answer). The wait honours Retry-After; the
budget bounds both the number of retries and the total time spent waiting.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

__all__ = ["NO_RETRIES", "RETRY_STATUSES", "RetryPolicy", "retry_after"]

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 4
    """Retries after the first attempt."""
    max_total_wait: float = 90.0
    """Seconds spent waiting across all retries of one call; a Retry-After beyond it gives up at once."""
    backoff_base: float = 0.5
    """The first backoff without Retry-After; it doubles each retry."""
    backoff_max: float = 30.0

    def delay(self, retry: int, retry_after: float | None, waited: float) -> float | None:
        """Seconds to wait before retry number `retry` (0 first), or None to give up."""
        if retry >= self.max_retries:
            return None
        backoff = min(self.backoff_max, self.backoff_base * 2**retry)
        # equal jitter: clients that were refused together do not all come back together
        jitter = random.uniform(0, backoff / 2)
        wait = backoff / 2 + jitter if retry_after is None else retry_after + min(jitter, 1.0)
        remaining = self.max_total_wait - waited
        if (retry_after or 0.0) > remaining or remaining <= 0:
            return None
        return min(wait, remaining)


NO_RETRIES = RetryPolicy(max_retries=0)


def retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds, or an HTTP date (RFC 9110, 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
