"""The delivery worker against a real HTTP receiver on localhost: two workers side by side
send each attempt once, an address that is private at attempt time is not sent to, and the
last scheduled failure leaves a delivery `failed`."""

from __future__ import annotations

import asyncio
import base64
import collections
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from domain.organisations import OrgKind
from domain.webhooks import RETRY_SCHEDULE, EventType
from service.app import create_app
from service.auth.keystore import seal
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.settings import Settings
from service.webhooks.delivery import DeliveryWorker
from service.webhooks.endpoints import PURPOSE
from service.webhooks.outbox import emit
from tests.e2e.test_webhooks import Receiver, register, signature_valid
from tests.helpers import Api, Caller


@pytest.fixture
def quiet_api(settings: Settings) -> Iterator[Api]:
    """The app without its in-process worker (http to localhost allowed, retries at once): the test delivers."""
    quiet = msgspec.structs.replace(settings, run_jobs=False, webhook_allow_insecure=True, webhook_retry_scale=0.0)
    with TestClient(app=create_app(quiet)) as client:
        yield Api(client, quiet)


def _bank(api: Api) -> Caller:
    return api.admin_created(api.bootstrap(OrgKind.ADMIN), "bank")


async def _queue(settings: Settings, bank: Caller, n: int) -> None:
    """`n` rating.issued events for the bank, through the outbox, in one transaction."""
    engine = make_engine(settings.app_database_url, pool_size=2)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            events = [
                (uuid.uuid4(), EventType.RATING_ISSUED, {"rating_id": str(uuid.uuid4()), "year": 2023, "n": i})
                for i in range(n)
            ]
            assert await emit(db, events, only_bank=uuid.UUID(bank.org_id)) == n
    finally:
        await engine.dispose()


async def _work(settings: Settings, workers: int, passes: int | None = None) -> list[list[int]]:
    """Run `workers` DeliveryWorkers side by side (one engine, a session each) pass after pass, until
    nothing is due (or `passes` times); the number each attempted in each pass."""
    engine = make_engine(settings.app_database_url, pool_size=workers + 1)
    pool = [DeliveryWorker(make_sessionmaker(engine), settings) for _ in range(workers)]
    done: list[list[int]] = []
    try:
        while passes is None or len(done) < passes:
            done.append(list(await asyncio.gather(*(w.run_once() for w in pool))))
            if passes is None and not any(done[-1]):
                break
    finally:
        for w in pool:
            await w.close()
        await engine.dispose()
    return done


async def _rows(settings: Settings) -> tuple[list[WebhookDelivery], int]:
    engine = make_engine(settings.app_database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db:
            deliveries = list(await db.scalars(select(WebhookDelivery)))
            return deliveries, int(await db.scalar(select(func.count()).select_from(WebhookAttempt)) or 0)
    finally:
        await engine.dispose()


def test_two_workers_side_by_side_send_each_attempt_once(quiet_api: Api) -> None:
    api, receiver = quiet_api, Receiver(delay=0.02)
    receiver.start()
    try:
        bank = _bank(api)
        hook = register(api, bank, receiver.url, ["rating.issued"])
        asyncio.run(_queue(api.settings, bank, 40))
        passes = asyncio.run(_work(api.settings, 2))
    finally:
        receiver.stop()
    assert sum(map(sum, passes)) == 40, passes
    assert all(passes[0]), passes  # both workers took a share of the first batch, side by side
    deliveries, attempts = asyncio.run(_rows(api.settings))
    assert len(deliveries) == 40 and attempts == 40 == sum(d.attempts for d in deliveries)
    assert {d.status for d in deliveries} == {"delivered"}
    received = collections.Counter(headers["webhook-id"] for headers, _ in receiver.received)
    assert received == collections.Counter(d.message_id for d in deliveries)  # every one, exactly once
    assert all(signature_valid(hook["secret"], headers, body) for headers, body in receiver.received)


def test_an_address_private_at_attempt_time_is_not_sent_to(quiet_api: Api) -> None:
    strict = msgspec.structs.replace(quiet_api.settings, webhook_allow_insecure=False)
    receiver = Receiver()
    receiver.start()
    try:
        bank = _bank(quiet_api)
        asyncio.run(_insert_endpoint(strict, bank, f"https://localhost:{receiver.port}/hook"))
        asyncio.run(_queue(strict, bank, 1))
        assert asyncio.run(_work(strict, 1, passes=1)) == [[1]]
    finally:
        receiver.stop()
    (delivery,), attempts = asyncio.run(_rows(strict))
    assert (delivery.status, delivery.attempts, delivery.last_status_code, attempts) == ("pending", 1, None, 1)
    assert "private, loopback or link-local" in (delivery.last_error or ""), delivery.last_error
    assert (receiver.connections, receiver.received) == (0, [])


async def _insert_endpoint(settings: Settings, bank: Caller, url: str) -> None:
    """An endpoint row written directly, as if registered when the name resolved elsewhere."""
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    engine = make_engine(settings.app_database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            db.add(
                WebhookEndpoint(
                    bank_org_id=uuid.UUID(bank.org_id),
                    url=url,
                    events=[EventType.RATING_ISSUED.value],
                    secret_encrypted=seal(settings.secret_key, PURPOSE, secret.encode()),
                    created_by_client_id=bank.client_id,
                )
            )
    finally:
        await engine.dispose()


def test_after_the_last_scheduled_attempt_the_delivery_is_failed(quiet_api: Api) -> None:
    api, receiver = quiet_api, Receiver()  # never started: the port refuses connections
    bank = _bank(api)
    hook = register(api, bank, receiver.url, ["rating.issued"])
    asyncio.run(_queue(api.settings, bank, 1))
    assert asyncio.run(_work(api.settings, 1, passes=len(RETRY_SCHEDULE))) == [[1]] * len(RETRY_SCHEDULE)
    assert asyncio.run(_work(api.settings, 1, passes=1)) == [[0]]  # nothing due any more
    (delivery,), attempts = asyncio.run(_rows(api.settings))
    assert (delivery.status, delivery.attempts, attempts) == ("failed", len(RETRY_SCHEDULE), len(RETRY_SCHEDULE))
    listed: list[dict[str, Any]] = api.client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=bank.headers).json()
    assert [(d["status"], d["next_attempt_at"], len(d["log"])) for d in listed] == [
        ("failed", None, len(RETRY_SCHEDULE))
    ]
    assert [a["attempt"] for a in listed[0]["log"]] == list(range(1, len(RETRY_SCHEDULE) + 1))
    assert all(a["status_code"] is None and "ConnectError" in a["error"] for a in listed[0]["log"])
