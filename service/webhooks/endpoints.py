"""Use cases for a bank's webhook endpoints and their delivery log."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidField, NotFound, StateConflict
from domain.webhooks import EventType, check_url, new_secret
from service.audit import record_event
from service.auth.keystore import seal
from service.auth.principal import Principal
from service.db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.settings import Settings
from service.webhooks.addresses import resolve_allowed

__all__ = [
    "attempts_of",
    "create_endpoint",
    "delete_endpoint",
    "deliveries_of",
    "endpoint_of",
    "endpoints_of",
    "redeliver",
]

PURPOSE = "webhook"


async def create_endpoint(
    db: AsyncSession, actor: Principal, settings: Settings, url: str, events: list[EventType]
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint; its signing secret is returned once (kept sealed, since signing needs it)."""
    host, port = check_url(url, allow_insecure=settings.webhook_allow_insecure)
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidField("url", f"is not a URL a request can be sent to ({exc})") from exc
    problem = await resolve_allowed(host, port, allow_insecure=settings.webhook_allow_insecure)
    if problem:
        raise InvalidField("url", problem)
    if not events:
        raise InvalidField("events", "name at least one event")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        bank_org_id=actor.org_id,
        url=url,
        events=sorted({e.value for e in events}),
        secret_encrypted=seal(settings.secret_key, PURPOSE, secret.encode()),
        created_by_client_id=actor.client_id,
    )
    db.add(endpoint)
    await db.flush()
    await db.refresh(endpoint)
    await record_event(db, actor, "webhook.create", f"webhook:{endpoint.id}", url=url)
    return endpoint, secret


async def endpoints_of(db: AsyncSession, actor: Principal) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.bank_org_id == actor.org_id, WebhookEndpoint.deleted_at.is_(None)
    )
    return list(await db.scalars(stmt.order_by(WebhookEndpoint.created_at)))


async def endpoint_of(db: AsyncSession, actor: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await db.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.bank_org_id != actor.org_id or endpoint.deleted_at is not None:
        raise NotFound("No such webhook.")
    return endpoint


async def delete_endpoint(db: AsyncSession, actor: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await endpoint_of(db, actor, endpoint_id)
    endpoint.deleted_at = dt.datetime.now(dt.UTC)
    await db.flush()
    await record_event(db, actor, "webhook.delete", f"webhook:{endpoint.id}")
    return endpoint


async def deliveries_of(
    db: AsyncSession, actor: Principal, endpoint_id: uuid.UUID, limit: int
) -> list[WebhookDelivery]:
    await endpoint_of(db, actor, endpoint_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    return list(await db.scalars(stmt.order_by(WebhookDelivery.created_at.desc()).limit(limit)))


async def attempts_of(db: AsyncSession, delivery_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[WebhookAttempt]]:
    if not delivery_ids:
        return {}
    stmt = select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(delivery_ids)).order_by(WebhookAttempt.id)
    out: dict[uuid.UUID, list[WebhookAttempt]] = {}
    for attempt in await db.scalars(stmt):
        out.setdefault(attempt.delivery_id, []).append(attempt)
    return out


async def redeliver(
    db: AsyncSession, actor: Principal, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """Send a delivery again (same webhook-id), now; a pending one is already on its way."""
    await endpoint_of(db, actor, endpoint_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id)
    delivery = await db.scalar(stmt.with_for_update())
    if delivery is None:
        raise NotFound("No such delivery.")
    if delivery.status == "pending":
        raise StateConflict("the delivery is pending: it will be attempted at next_attempt_at")
    # a new schedule from now: the attempts log keeps every earlier attempt
    delivery.status, delivery.next_attempt_at, delivery.attempts = "pending", dt.datetime.now(dt.UTC), 0
    await db.flush()
    await record_event(db, actor, "webhook.redeliver", f"webhook_delivery:{delivery.id}")
    return delivery
