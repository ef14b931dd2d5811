"""Webhook bodies: an endpoint (its secret shown once), its deliveries and their attempts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec

from domain.webhooks import EventType
from service.db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = ["AttemptRead", "DeliveryRead", "WebhookCreate", "WebhookRead"]


class WebhookCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=2000)]
    """https, on a public address."""
    events: Annotated[list[EventType], msgspec.Meta(min_length=1)]


class WebhookRead(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: uuid.UUID
    url: str
    events: list[str]
    created_at: dt.datetime
    secret: str | None = None
    """Shown once, when created: verify `webhook-signature` with it (Standard Webhooks)."""

    @classmethod
    def of(cls, e: WebhookEndpoint, secret: str | None = None) -> WebhookRead:
        return cls(id=e.id, url=e.url, events=list(e.events), created_at=e.created_at, secret=secret)


class AttemptRead(msgspec.Struct, kw_only=True):
    attempt: int
    at: dt.datetime
    status_code: int | None
    error: str | None
    duration_ms: int

    @classmethod
    def of(cls, a: WebhookAttempt) -> AttemptRead:
        return cls(attempt=a.attempt, at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms)


class DeliveryRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    webhook_id: str
    """The `webhook-id` header: the same on every copy of this event."""
    event_type: str
    payload: dict[str, Any]
    status: str
    """pending | delivered | failed (after the last retry; redeliver to try again)"""
    attempts: int
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    log: list[AttemptRead]

    @classmethod
    def of(cls, d: WebhookDelivery, attempts: list[WebhookAttempt]) -> DeliveryRead:
        return cls(
            id=d.id,
            webhook_id=d.message_id,
            event_type=d.event_type,
            payload=d.payload,
            status=d.status,
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
            log=[AttemptRead.of(a) for a in attempts],
        )
