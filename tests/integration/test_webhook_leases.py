"""The delivery worker holds no row lock while it sends; a lease stands in for it.

While a send to a slow receiver is in flight, the delivery row can be locked at once by
anyone else (a redelivery, another worker) and is not claimed a second time; a worker
that dies after claiming leaves a lease that expires, and the next worker delivers.
"""

from __future__ import annotations

import asyncio

import asyncpg

from service.webhooks.delivery import LEASE_SECONDS
from tests import db as testdb
from tests.e2e.test_webhooks import Receiver, register
from tests.helpers import Api
from tests.integration.test_webhook_delivery import _bank, _queue, _rows, _work, quiet_api  # noqa: F401


def test_no_lock_is_held_while_sending(quiet_api: Api) -> None:  # noqa: F811
    receiver = Receiver(delay=1.0)
    receiver.start()
    try:
        bank = _bank(quiet_api)
        register(quiet_api, bank, receiver.url, ["rating.issued"])
        asyncio.run(_queue(quiet_api.settings, bank, 1))

        async def scenario() -> tuple[int, list[list[int]]]:
            sending = asyncio.create_task(_work(quiet_api.settings, 1, passes=1))
            await asyncio.sleep(0.5)  # the send is in flight
            conn = await asyncpg.connect(testdb.dsn(quiet_api.settings.app_database_url))
            try:
                async with conn.transaction():
                    locked = len(await conn.fetch("SELECT id FROM webhook_deliveries FOR UPDATE NOWAIT"))
            finally:
                await conn.close()
            second = await _work(quiet_api.settings, 1, passes=1)  # leased: not claimed again
            await sending
            return locked, second

        locked, second = asyncio.run(scenario())
    finally:
        receiver.stop()
    assert locked == 1 and second == [[0]]
    (delivery,), attempts = asyncio.run(_rows(quiet_api.settings))
    assert (delivery.status, attempts, len(receiver.received)) == ("delivered", 1, 1)


def test_a_lease_left_by_a_dead_worker_expires_and_the_next_delivers(quiet_api: Api) -> None:  # noqa: F811
    receiver = Receiver()
    receiver.start()
    try:
        bank = _bank(quiet_api)
        register(quiet_api, bank, receiver.url, ["rating.issued"])
        asyncio.run(_queue(quiet_api.settings, bank, 1))

        async def claim_and_die() -> float:
            conn = await asyncpg.connect(testdb.dsn(quiet_api.settings.database_url))
            try:  # what a claim does, then nothing: the worker died
                await conn.execute(
                    "UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $1)",
                    float(LEASE_SECONDS),
                )
                assert await _work(quiet_api.settings, 1, passes=1) == [[0]]  # leased
                await conn.execute(  # the lease runs out
                    "UPDATE webhook_deliveries SET next_attempt_at = next_attempt_at - make_interval(secs => $1)",
                    float(LEASE_SECONDS + 1),
                )
                return 0.0
            finally:
                await conn.close()

        asyncio.run(claim_and_die())
        assert asyncio.run(_work(quiet_api.settings, 1, passes=1)) == [[1]]
    finally:
        receiver.stop()
    (delivery,), _ = asyncio.run(_rows(quiet_api.settings))
    assert delivery.status == "delivered" and len(receiver.received) == 1
