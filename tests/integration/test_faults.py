"""Faults: the database cut from under a serving API, a webhook receiver down for a day.

- Every database connection of the running service is terminated (what a PostgreSQL
  restart or failover does to it) while 24 filings are being created, twice. The service
  answers 201 or 503 (never 500), recovers without a restart of its own, every 201's
  filing exists, and no filing is half written: each row's content matches its hash and
  has its audit event. `bench/faults.py` restarts the real server instead.
- A bank's receiver is down for a day of simulated time (the clock is moved forward to
  each delivery's next attempt): the real retry schedule gets every event through, once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Iterator

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from domain.organisations import OrgKind
from domain.webhooks import RETRY_SCHEDULE
from service.app import create_app
from service.settings import Settings
from tests import db as testdb
from tests.e2e.test_webhooks import Receiver, register
from tests.helpers import CEMENT_CONTENT, Api, Caller
from tests.integration.test_webhook_delivery import _queue, _rows, _work
from tests.live import live_service

DAY = 24 * 3600


async def _cut_connections(owner_url: str) -> int:
    """pg_terminate_backend for every session of the application role on the test database."""
    conn = await asyncpg.connect(testdb.dsn(owner_url))
    try:
        database = await conn.fetchval("SELECT current_database()")
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = $1 AND usename = 'carbon_app' AND pid <> pg_backend_pid()",
                database,
            )
        )
    finally:
        await conn.close()


async def _create_all(url: str, ents: list[Caller], period: int, owner_url: str) -> tuple[list[httpx.Response], int]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:

        async def create(ent: Caller, delay: float) -> httpx.Response:
            await asyncio.sleep(delay)
            body = {"period": period, **CEMENT_CONTENT}
            return await client.post(f"/v1/enterprises/{ent.uscc}/filings", json=body, headers=ent.headers)

        async def cutter() -> int:
            await asyncio.sleep(0.03)
            return await _cut_connections(owner_url)

        results = await asyncio.gather(*(create(e, i * 0.005) for i, e in enumerate(ents)), cutter())
    return list(results[:-1]), int(results[-1])  # type: ignore[arg-type]


async def _integrity(owner_url: str) -> dict[str, object]:
    conn = await asyncpg.connect(testdb.dsn(owner_url))
    try:
        rows = await conn.fetch("SELECT id, content::text AS content, content_sha256 FROM filings")
        audited = {
            r["target"] for r in await conn.fetch("SELECT target FROM audit_events WHERE action = 'filing.create'")
        }
    finally:
        await conn.close()
    bad_hash = [
        r["id"]
        for r in rows
        if hashlib.sha256(msgspec.json.encode(msgspec.json.decode(r["content"]), order="sorted")).hexdigest()
        != r["content_sha256"]
    ]
    unaudited = [r["id"] for r in rows if f"filing:{r['id']}" not in audited]
    return {"ids": {str(r["id"]) for r in rows}, "bad_hash": bad_hash, "unaudited": unaudited}


def test_database_connections_cut_while_serving(api: Api, settings: Settings) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ents = []
    for _ in range(24):
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        ents.append(ent)
    with live_service(settings) as url:
        answers: list[httpx.Response] = []
        terminated = 0
        for period in (2023, 2024):
            done, n = asyncio.run(_create_all(url, ents, period, settings.database_url))
            answers += done
            terminated += n
        assert terminated > 0
        statuses = Counter(r.status_code for r in answers)
        assert set(statuses) <= {201, 503}, statuses
        assert all(
            r.headers["content-type"].startswith("application/problem+json") for r in answers if r.status_code == 503
        )
        assert all(r.headers.get("retry-after") for r in answers if r.status_code == 503)

        # Recovered without a restart: the next requests all succeed.
        deadline = time.monotonic() + 10
        while httpx.get(f"{url}/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        later = [
            httpx.post(
                f"{url}/v1/enterprises/{e.uscc}/filings", json={"period": 2022, **CEMENT_CONTENT}, headers=e.headers
            )
            for e in ents[:10]
        ]
        assert [r.status_code for r in later] == [201] * 10

    found = asyncio.run(_integrity(settings.database_url))
    created = {r.json()["id"] for r in answers + later if r.status_code == 201}
    assert created <= found["ids"]  # every 201 was committed
    assert found["bad_hash"] == [] and found["unaudited"] == []  # nothing half written


@pytest.fixture
def real_schedule_api(settings: Settings) -> Iterator[Api]:
    """The app without its own worker, http to localhost allowed, the real retry schedule."""
    quiet = msgspec.structs.replace(settings, run_jobs=False, webhook_allow_insecure=True, webhook_retry_scale=1.0)
    with TestClient(app=create_app(quiet)) as client:
        yield Api(client, quiet)


async def _advance_to_next_attempt(owner_url: str) -> float | None:
    """Move the clock: bring the earliest pending attempt to now; the seconds skipped."""
    conn = await asyncpg.connect(testdb.dsn(owner_url))
    try:
        gap = await conn.fetchval(
            "SELECT extract(epoch FROM min(next_attempt_at) - now()) FROM webhook_deliveries WHERE status = 'pending'"
        )
        if gap is None:
            return None
        await conn.execute(
            "UPDATE webhook_deliveries SET next_attempt_at = next_attempt_at - make_interval(secs => $1) "
            "WHERE status = 'pending'",
            float(gap),
        )
        return max(float(gap), 0.0)
    finally:
        await conn.close()


def test_a_receiver_down_for_a_day_loses_nothing(real_schedule_api: Api) -> None:
    api, receiver = real_schedule_api, Receiver()  # not started: the port refuses connections
    bank = api.admin_created(api.bootstrap(OrgKind.ADMIN), "bank")
    register(api, bank, receiver.url, ["rating.issued"])
    asyncio.run(_queue(api.settings, bank, 5))
    simulated, passes = 0.0, 0
    while True:
        if simulated >= DAY and receiver.server is None:
            receiver.start()  # back up after a day
        asyncio.run(_work(api.settings, 1, passes=1))
        passes += 1
        gap = asyncio.run(_advance_to_next_attempt(api.settings.database_url))
        if gap is None:
            break
        simulated += gap
        # a guard against a loop that never ends: one pass per scheduled attempt, with room for a
        # loaded machine where a pass leaves some of the five due attempts to the next one
        assert passes <= 3 * (len(RETRY_SCHEDULE) + 1)
    deliveries, attempts = asyncio.run(_rows(api.settings))
    assert [d.status for d in deliveries] == ["delivered"] * 5
    ids = [h["webhook-id"] for h, _ in receiver.received]
    assert len(ids) == 5 and len(set(ids)) == 5  # every event, each once
    # Down for the first 86,400 s: attempts 1-7 (at 0 s … 17.6 h) failed, the 8th (27.6 h) delivered.
    assert sum(RETRY_SCHEDULE[:7]) < DAY <= sum(RETRY_SCHEDULE)
    assert {d.attempts for d in deliveries} == {8} and attempts == 40
    assert simulated >= DAY
    assert all(isinstance(d.delivered_at, dt.datetime) for d in deliveries)
