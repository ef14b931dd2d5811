"""Delivering the outbox: any number of workers, each attempt made once.

A worker claims due deliveries with FOR UPDATE SKIP LOCKED and leases them (their next
attempt moved LEASE_SECONDS ahead) in a short transaction, so no row lock is held while
it sends; a second worker skips leased rows, and a worker that dies mid-send leaves a
lease that expires, after which the delivery is attempted again (receivers dedupe on
the webhook-id, which is the same on every copy). The sends of a batch go out together;
each result is then recorded in a transaction of its own. Every attempt is logged; a
failure waits for the next step of the retry schedule.
Redirects are not followed and the address is checked again before each attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.webhooks import RETRY_SCHEDULE, check_url, sign
from service.auth.keystore import unseal
from service.db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.settings import Settings
from service.webhooks.addresses import vetted_address
from service.webhooks.endpoints import PURPOSE

__all__ = ["DeliveryWorker"]

BATCH = 20
ATTEMPT_SECONDS = 15
SENDS_AT_ONCE = 8
LEASE_SECONDS = 60
"""A claimed delivery is not claimed again for this long (longer than any attempt may take)."""
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class DeliveryWorker:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessionmaker, self.settings = sessionmaker, settings
        self.client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)

    async def close(self) -> None:
        await self.client.aclose()

    async def run_once(self) -> int:
        """Attempt every due delivery this worker can claim; the number attempted."""
        async with self.sessionmaker() as db, db.begin():
            stmt = (
                select(WebhookDelivery, WebhookEndpoint)
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(
                    WebhookDelivery.status == "pending",
                    WebhookDelivery.next_attempt_at <= dt.datetime.now(dt.UTC),
                    WebhookEndpoint.deleted_at.is_(None),
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(BATCH)
                .with_for_update(of=WebhookDelivery, skip_locked=True)
            )
            rows = (await db.execute(stmt)).all()
            lease = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=LEASE_SECONDS)
            for row in rows:
                row.WebhookDelivery.next_attempt_at = lease
        # committed: the rows are leased, no lock is held while sending
        claimed = [(row.WebhookDelivery, row.WebhookEndpoint) for row in rows]
        gate = asyncio.Semaphore(SENDS_AT_ONCE)

        async def attempt(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
            async with gate:
                await self._attempt(delivery, endpoint)

        await asyncio.gather(*(attempt(delivery, endpoint) for delivery, endpoint in claimed))
        return len(claimed)

    async def _send(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> tuple[int | None, str | None]:
        """One attempt; any failure (a bad URL, a stalled or huge answer, a key that no longer opens)
        is the attempt's error, never the batch's."""
        try:
            async with asyncio.timeout(ATTEMPT_SECONDS):
                return await self._post(delivery, endpoint)
        except TimeoutError:
            return None, f"no answer within {ATTEMPT_SECONDS} s"
        except Exception as exc:
            return None, f"{type(exc).__name__}: {exc}"[:500]

    async def _post(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> tuple[int | None, str | None]:
        allow = self.settings.webhook_allow_insecure
        host, port = check_url(endpoint.url, allow_insecure=allow)
        address, problem = await vetted_address(host, port, allow_insecure=allow)
        if address is None:
            return None, (problem or "no address")[:500]
        secret = unseal(self.settings.secret_key, PURPOSE, endpoint.secret_encrypted).decode()
        body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, delivery.message_id, timestamp, body),
            "user-agent": "carbon-account-webhooks/1",
        }
        # Connect to the address just vetted, not to whatever the name resolves to next;
        # the Host header and the TLS server name (certificate check) stay the URL's host.
        url = httpx.URL(endpoint.url)
        headers["host"] = url.netloc.decode("ascii")
        pinned = url.copy_with(host=address)
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request = self.client.build_request("POST", pinned, content=body, headers=headers, extensions=extensions)
        # the answer's body is never read: a receiver cannot make the worker hold gigabytes
        async with contextlib.aclosing(await self.client.send(request, stream=True)) as response:
            status = response.status_code
        return status, None if 200 <= status < 300 else f"HTTP {status}"

    async def _attempt(self, claimed: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
        started = time.perf_counter()
        status_code, error = await self._send(claimed, endpoint)
        duration_ms = int((time.perf_counter() - started) * 1000)
        async with self.sessionmaker() as db, db.begin():
            delivery = await db.get(WebhookDelivery, claimed.id, with_for_update=True)
            if delivery is None:
                return
            now = dt.datetime.now(dt.UTC)
            restarted = delivery.attempts != claimed.attempts  # a redelivery began meanwhile: log only
            attempt = delivery.attempts + (0 if restarted else 1)
            db.add(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    attempt=max(attempt, 1),
                    status_code=status_code,
                    error=error,
                    duration_ms=duration_ms,
                )
            )
            if restarted:
                return
            delivery.attempts = attempt
            delivery.last_status_code, delivery.last_error = status_code, error
            if error is None:
                delivery.status, delivery.delivered_at = "delivered", now
            elif delivery.attempts >= len(RETRY_SCHEDULE):
                delivery.status = "failed"
            else:
                wait = RETRY_SCHEDULE[delivery.attempts] * self.settings.webhook_retry_scale
                delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
