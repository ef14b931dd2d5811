"""Checking a webhook delivery in the bank's receiver (Standard Webhooks, standardwebhooks.com).

Each delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the
bytes of the endpoint's secret (`whsec_<base64>`, shown once when the endpoint is created).
Verify the raw body as received, before parsing it; refuse timestamps more than five
minutes off, so a captured delivery cannot be replayed later; deduplicate on `webhook-id`
(a retry or a redelivery sends the same id).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Mapping

import msgspec

from carbon_account_client.errors import WebhookVerificationError
from carbon_account_client.models import WebhookEvent

__all__ = ["TOLERANCE_SECONDS", "sign", "verify_webhook"]

TOLERANCE_SECONDS = 300


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WebhookVerificationError("the secret is not whsec_<base64>") from exc


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value the API sends for this delivery."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), content, hashlib.sha256).digest()).decode()


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"the {name} header is missing")


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> WebhookEvent:
    """The event, if one of the signatures holds and the timestamp is within `tolerance` seconds."""
    raw = body.encode() if isinstance(body, str) else body
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    try:
        timestamp = int(stamp)
    except ValueError as exc:
        raise WebhookVerificationError(f"webhook-timestamp {stamp!r} is not Unix seconds") from exc
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is more than {tolerance} s from now: refused as a replay")
    expected = sign(secret, msg_id, timestamp, raw).encode()
    offered = [s for s in _header(headers, "webhook-signature").split() if s.startswith("v1,")]
    if not any(hmac.compare_digest(expected, s.encode()) for s in offered):
        raise WebhookVerificationError("no v1 signature matches: wrong secret, or the body was altered")
    try:
        payload = msgspec.json.decode(raw, type=dict[str, object])
        return msgspec.convert(
            {
                "id": msg_id,
                "type": payload.get("type"),
                "timestamp": payload.get("timestamp") or dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(),
                "data": payload.get("data") or {},
            },
            WebhookEvent,
        )
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise WebhookVerificationError(f"signed, but not an event: {exc}") from exc
