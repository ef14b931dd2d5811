"""SDK fixtures: the real service in a subprocess, a rated city, and clients of either kind.

`connect(org)` gives a `CarbonClient`, or an `AsyncCarbonClient` behind a blocking adapter:
tests that take it run once per kind, so every operation is exercised by both clients.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from carbon_account_client import AsyncCarbonClient, CarbonClient

from tests import db as testdb
from tests.sdk.blocking import Blocking, Connect, LoopThread
from tests.sdk.city import City, Org, build_city, register
from tests.sdk.limited import LIMIT, RetryRuns
from tests.sdk.service import Service, start_service
from tests.sdk.traffic import Traffic


@pytest.fixture(scope="session")
def service(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[Service]:
    """One service for the read-mostly SDK tests (tests that rotate keys or limit rates start their own)."""
    svc = start_service(pg_url, template_db)
    yield svc
    svc.stop()
    dropper.drop_later(svc.database)


@pytest.fixture(scope="session")
def city(service: Service) -> City:
    return build_city(service)


@pytest.fixture(scope="session")
def loop_thread() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def connect(service: Service, kind: str, loop_thread: LoopThread) -> Iterator[Connect]:
    """Clients of this test's kind for an organisation (None: anonymous), closed after the test."""
    opened: list[Any] = []

    def make(org: Org | None = None, *, url: str | None = None, **options: Any) -> CarbonClient:
        creds = (org.client_id, org.client_secret) if org is not None else (None, None)
        base = url or service.url
        client: Any = (
            CarbonClient(base, *creds, **options)
            if kind == "sync"
            else Blocking(AsyncCarbonClient(base, *creds, **options), loop_thread)
        )
        opened.append(client)
        return cast(CarbonClient, client)

    yield make
    for client in opened:
        client.close()


@pytest.fixture
def traffic(kind: str) -> Traffic:
    return Traffic(kind)


@pytest.fixture
def new_enterprise(city: City) -> Org:
    """An approved enterprise of its own, with nothing filed."""
    with CarbonClient(city.service.url, city.regulator.client_id, city.regulator.client_secret) as regulator:
        return register(city.service, regulator, name="淄博独立测试有限公司")


@pytest.fixture(scope="session")
def limited_service(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[Service]:
    """A service allowing each client LIMIT requests a minute."""
    svc = start_service(pg_url, template_db, RATE_LIMIT_PER_MINUTE=str(LIMIT))
    yield svc
    svc.stop()
    dropper.drop_later(svc.database)


@pytest.fixture(scope="session", autouse=True)
def retry_runs(limited_service: Service) -> RetryRuns:
    """Started with the first SDK test, so the wait for the rate-limit window (up to a minute)
    overlaps the other tests; test_rate_limits collects the outcome."""
    return RetryRuns(limited_service)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test that collects the background 429 runs goes last: the longer the other tests
    take, the less of the rate-limit window is left to wait for."""
    last = [item for item in items if item.name == "test_a_429_is_waited_out_and_retried"]
    items[:] = [item for item in items if item not in last] + last
