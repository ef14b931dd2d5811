"""Rate limits per API client: 429 with Retry-After beyond the limit, per client; with Redis
the count holds across app instances (workers), without it each counts its share."""

from __future__ import annotations

import time
from collections.abc import Iterator

import msgspec
import pytest
import redis
from litestar.testing import TestClient

from domain.organisations import OrgKind
from service.app import create_app
from service.settings import Settings
from tests.helpers import Api

REDIS_URL = "redis://127.0.0.1:6379/15"


def _not_at_a_minute_edge() -> None:
    """A fixed window resets on the minute: keep a test's requests inside one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.fixture
def limited(settings: Settings) -> Iterator[Api]:
    with TestClient(app=create_app(msgspec.structs.replace(settings, rate_limit_per_minute=5))) as client:
        yield Api(client, client.app.state.settings)


def test_beyond_the_limit_a_client_gets_429_with_retry_after(limited: Api) -> None:
    regulator = limited.bootstrap(OrgKind.REGULATOR)
    other = limited.bootstrap(OrgKind.RATING_AUTHORITY)
    _not_at_a_minute_edge()
    codes = [limited.client.get("/v1/enterprises", headers=regulator.headers).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    r = limited.client.get("/v1/enterprises", headers=regulator.headers)
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert limited.client.get("/v1/enterprises", headers=other.headers).status_code == 200  # per client


def test_with_redis_the_limit_holds_across_workers(settings: Settings) -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()
    shared = msgspec.structs.replace(settings, rate_limit_per_minute=6, redis_url=REDIS_URL, web_concurrency=2)
    with TestClient(app=create_app(shared)) as one, TestClient(app=create_app(shared)) as two:
        regulator = Api(one, shared).bootstrap(OrgKind.REGULATOR)
        _not_at_a_minute_edge()
        codes = [
            (one if i % 2 else two).get("/v1/enterprises", headers=regulator.headers).status_code for i in range(8)
        ]
    assert codes == [200] * 6 + [429, 429]


def test_without_redis_each_worker_allows_its_share(settings: Settings) -> None:
    alone = msgspec.structs.replace(settings, rate_limit_per_minute=6, web_concurrency=2)
    with TestClient(app=create_app(alone)) as one:
        regulator = Api(one, alone).bootstrap(OrgKind.REGULATOR)
        _not_at_a_minute_edge()
        codes = [one.get("/v1/enterprises", headers=regulator.headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
