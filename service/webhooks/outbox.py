"""The outbox: an event becomes one delivery row per subscribed endpoint of every bank that
holds an active consent from the enterprise, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Scope
from domain.webhooks import FULL_SCOPE_EVENTS, EventType
from service.db.models import Consent, WebhookDelivery, WebhookEndpoint

__all__ = ["Event", "emit"]

Event = tuple[uuid.UUID, EventType, dict[str, Any]]  # (enterprise, type, data)


async def emit(db: AsyncSession, events: Iterable[Event], *, only_bank: uuid.UUID | None = None) -> int:
    """Queue `events`; thin payloads (type, ids, time): banks read the data through the logged API.
    `only_bank` sends to that bank whatever its consent's state (a withdrawal tells the bank it lost it)."""
    events = list(events)
    if not events:
        return 0
    now = dt.datetime.now(dt.UTC)
    enterprises = {e for e, _, _ in events}
    endpoints = select(WebhookEndpoint.id, WebhookEndpoint.bank_org_id, WebhookEndpoint.events).where(
        WebhookEndpoint.deleted_at.is_(None)
    )
    if only_bank is not None:
        endpoints = endpoints.where(WebhookEndpoint.bank_org_id == only_bank)
        audience = full = {(e, only_bank) for e in enterprises}
    else:
        consents = select(Consent.enterprise_id, Consent.bank_org_id, Consent.scope).where(
            Consent.enterprise_id.in_(enterprises), Consent.withdrawn_at.is_(None), Consent.expires_at > now
        )
        found = (await db.execute(consents)).all()
        audience = {(r.enterprise_id, r.bank_org_id) for r in found}
        full = {(r.enterprise_id, r.bank_org_id) for r in found if r.scope == Scope.FULL.value}
    by_bank: dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]] = {}
    for r in (await db.execute(endpoints)).all():
        by_bank.setdefault(r.bank_org_id, []).append((r.id, r.events))
    rows = []
    for enterprise_id, event_type, data in events:
        message_id = f"msg_{uuid.uuid4().hex}"
        payload = {"type": event_type.value, "timestamp": now.isoformat(), "data": data}
        reach = full if event_type in FULL_SCOPE_EVENTS else audience
        for bank in {b for e, b in reach if e == enterprise_id}:
            for endpoint_id, subscribed in by_bank.get(bank, []):
                if event_type.value in subscribed:
                    rows.append(
                        {"id": uuid.uuid4(), "endpoint_id": endpoint_id, "message_id": message_id,
                         "event_type": event_type.value, "payload": payload, "status": "pending", "next_attempt_at": now}
                    )  # fmt: skip
    if rows:
        await db.execute(insert(WebhookDelivery), rows)
    return len(rows)
