"""A service with a tiny rate limit, and clients that wait out its window in the background.

The limiter counts in fixed one-minute windows, so a 429's Retry-After is up to 60 s. The
clients that must retry and succeed start when the session's first SDK test does and run
on threads while the other tests run; `test_rate_limits` collects what they saw.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import httpx
from carbon_account_client import AsyncCarbonClient, CarbonClient, RetryPolicy
from carbon_account_client.retry import retry_after

from domain.organisations import OrgKind
from tests.sdk.city import Org, bootstrap
from tests.sdk.service import Service
from tests.sdk.traffic import Traffic

__all__ = ["LIMIT", "Outcome", "RetryRuns", "clear_of_the_minute_edge"]

LIMIT = 3
"""Requests per client per minute."""
PATH = "/v1/banks"


def clear_of_the_minute_edge() -> None:
    """Keep a burst of requests inside one window: not in a minute's last 5 seconds."""
    if time.time() % 60 > 55:
        time.sleep(60.5 - time.time() % 60)


@dataclass
class Outcome:
    statuses: list[int] = field(default_factory=list)
    retry_after: float | None = None
    elapsed: float = 0.0
    error: BaseException | None = None


class RetryRuns:
    """One blocking and one async client, each calling LIMIT + 1 times with retries allowed."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.outcomes = {"sync": Outcome(), "async": Outcome()}
        self.threads = [
            threading.Thread(target=self._guarded, args=(kind,), name=f"sdk-429-{kind}", daemon=True)
            for kind in self.outcomes
        ]
        self.orgs = {kind: bootstrap(service, OrgKind.REGULATOR) for kind in self.outcomes}
        for thread in self.threads:
            thread.start()

    def _guarded(self, kind: str) -> None:
        outcome = self.outcomes[kind]
        try:
            traffic = Traffic(kind)
            clear_of_the_minute_edge()
            started = time.monotonic()
            if kind == "sync":
                self._sync(self.orgs[kind], traffic)
            else:
                asyncio.run(self._async(self.orgs[kind], traffic))
            outcome.elapsed = time.monotonic() - started
            outcome.statuses = traffic.statuses(PATH)
            refused = [r for r in traffic.responses if r.status_code == 429]
            outcome.retry_after = retry_after(refused[0].headers.get("retry-after")) if refused else None
        except BaseException as exc:  # reported by the test that collects the outcome
            outcome.error = exc

    def _sync(self, org: Org, traffic: Traffic) -> None:
        assert isinstance(traffic.http, httpx.Client)
        with CarbonClient(self.service.url, org.client_id, org.client_secret, http=traffic.http,
                          retry=RetryPolicy(max_total_wait=75)) as client:  # fmt: skip
            for _ in range(LIMIT + 1):
                client.banks()

    async def _async(self, org: Org, traffic: Traffic) -> None:
        assert isinstance(traffic.http, httpx.AsyncClient)
        async with AsyncCarbonClient(self.service.url, org.client_id, org.client_secret, http=traffic.http,
                                     retry=RetryPolicy(max_total_wait=75)) as client:  # fmt: skip
            for _ in range(LIMIT + 1):
                await client.banks()

    def wait(self, timeout: float = 150.0) -> dict[str, Outcome]:
        for thread in self.threads:
            thread.join(timeout)
            assert not thread.is_alive(), f"{thread.name} still running after {timeout} s"
        return self.outcomes
