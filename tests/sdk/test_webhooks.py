"""Webhooks for a bank through the SDK (both clients): an endpoint registered, listed and
deleted; a real delivery (a consent withdrawn) verified with `verify_webhook`, then refused
when altered, stale, signed with another secret or missing a header; the delivery log and a
redelivery with the same webhook-id. The signature is checked against the server's own signer."""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator

import pytest
from carbon_account_client import WebhookVerificationError, verify_webhook
from carbon_account_client.models import Delivery
from carbon_account_client.webhooks import sign

from domain.webhooks import new_secret
from domain.webhooks import sign as server_sign
from tests.e2e.test_webhooks import Receiver
from tests.sdk.blocking import Connect
from tests.sdk.city import City, sdk, wait_for


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    yield r
    r.stop()


def test_the_signature_is_the_servers() -> None:
    secret, body = new_secret(), '{"type":"rating.issued","data":{"uscc":"淄博"}}'.encode()
    assert sign(secret, "msg_1", 1_700_000_000, body) == server_sign(secret, "msg_1", 1_700_000_000, body)
    now = int(time.time())
    headers = {"Webhook-Id": "msg_1", "Webhook-Timestamp": str(now),
               "Webhook-Signature": f"v1,{base64.b64encode(b'x' * 32).decode()} {server_sign(secret, 'msg_1', now, body)}"}  # fmt: skip
    event = verify_webhook(secret, headers, body)  # header names in any case; one of several signatures
    assert (event.id, event.type, event.data) == ("msg_1", "rating.issued", {"uscc": "淄博"})
    with pytest.raises(WebhookVerificationError, match="whsec_"):
        verify_webhook("whsec_not base64!", headers, body)


def test_endpoints_deliveries_and_redelivery(city: City, connect: Connect, receiver: Receiver) -> None:
    bank = connect(city.bank)
    hook = bank.create_webhook(receiver.url, ["consent.withdrawn", "rating.revoked"])
    assert hook.secret and hook.secret.startswith("whsec_") and hook.events == ["consent.withdrawn", "rating.revoked"]
    listed = {w.id: w for w in bank.webhooks()}
    assert hook.id in listed and listed[hook.id].secret is None  # shown once

    org = city.enterprises[4]
    with sdk(city.service, org) as ent:
        consent = ent.grant_consent(org.uscc, city.bank.org_id, purpose="credit", scope="full", expires_at=city.ahead())
        ent.withdraw_consent(org.uscc, consent.id)
    headers, body = wait_for(lambda: next(iter(receiver.deliveries()), None), "the delivery")
    event = verify_webhook(hook.secret, headers, body)
    assert event.type == "consent.withdrawn" and event.id == headers["webhook-id"]
    assert event.data == {"consent_id": str(consent.id), "uscc": org.uscc}

    stamp = int(headers["webhook-timestamp"])
    refusals = [
        (hook.secret, headers, body.replace(org.uscc.encode(), city.enterprises[0].uscc.encode()), "altered"),
        (new_secret(), headers, body, "wrong secret"),
        (hook.secret, {**headers, "webhook-id": "msg_other"}, body, "altered"),
        (hook.secret, {k: v for k, v in headers.items() if k != "webhook-signature"}, body, "missing"),
        (hook.secret, {**headers, "webhook-timestamp": "yesterday"}, body, "Unix seconds"),
    ]
    for secret, sent, raw, reason in refusals:
        with pytest.raises(WebhookVerificationError, match=reason):
            verify_webhook(secret, sent, raw)
    with pytest.raises(WebhookVerificationError, match="replay"):
        verify_webhook(hook.secret, headers, body, now=stamp + 301)  # captured and replayed 5 minutes later
    resigned = {**headers, "webhook-timestamp": str(stamp - 600),
                "webhook-signature": sign(hook.secret, headers["webhook-id"], stamp - 600, body)}  # fmt: skip
    with pytest.raises(WebhookVerificationError, match="replay"):
        verify_webhook(hook.secret, resigned, body)  # signed, but stale

    def delivered() -> Delivery | None:
        log = bank.webhook_deliveries(hook.id, limit=10)
        return log[0] if log and log[0].status == "delivered" else None

    delivery = wait_for(delivered, "the delivery's log entry")
    assert delivery.webhook_id == event.id and delivery.event_type == "consent.withdrawn"
    assert delivery.payload == json.loads(body) and delivery.log[0].status_code == 200
    again = bank.redeliver(hook.id, delivery.id)
    assert again.id == delivery.id
    headers2, body2 = wait_for(lambda: receiver.deliveries()[1] if len(receiver.deliveries()) > 1 else None, "a copy")
    assert verify_webhook(hook.secret, headers2, body2).id == event.id  # the same webhook-id: deduplicate on it

    assert bank.delete_webhook(hook.id).id == hook.id
    assert hook.id not in {w.id for w in bank.webhooks()}
    assert secrets.compare_digest(body, body2)
