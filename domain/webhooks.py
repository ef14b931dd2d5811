"""Webhooks to banks: the events, the retry schedule, the Standard Webhooks signature and
which addresses a delivery may go to. Pure: the service resolves names and sends.

Signature (standardwebhooks.com): HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`
with the secret's bytes (base64 after `whsec_`), sent base64 as `v1,<signature>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from enum import StrEnum
from urllib.parse import urlsplit

from domain.errors import InvalidField

__all__ = [
    "RETRY_SCHEDULE",
    "EventType",
    "address_allowed",
    "check_url",
    "new_secret",
    "sign",
]


class EventType(StrEnum):
    RATING_ISSUED = "rating.issued"
    RATING_SUPERSEDED = "rating.superseded"
    RATING_REVOKED = "rating.revoked"
    RATING_COLOUR_CHANGED = "rating.colour_changed"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    POLICY_CONSEQUENCE_CHANGED = "policy.consequence_changed"  # an enterprise-year's policy sheet changed
    FINANCING_REQUESTED = "financing.requested"  # an enterprise sent the bank a financing request


FULL_SCOPE_EVENTS = frozenset({EventType.POLICY_CONSEQUENCE_CHANGED})
"""Events only a bank under `full` consent receives: their data (the consequence kinds) is what
the policy sheet shows, which a `grade_only` consent does not open."""


# Seconds to wait before each attempt: the first at once, the last ~27.6 h after the event;
# after the last failure the delivery is `failed` (a manual redelivery starts it again).
RETRY_SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def check_url(url: str, *, allow_insecure: bool) -> tuple[str, int]:
    """The host and port of an acceptable endpoint URL, or InvalidField naming `url`."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_insecure and parts.scheme == "http"):
        raise InvalidField("url", "must be https")
    if not parts.hostname or parts.username or parts.password:
        raise InvalidField("url", "must name a host, without credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InvalidField("url", "has an invalid port") from exc
    return parts.hostname, port


_EMBEDDING_IPV4_NETS = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))


def address_allowed(address: str, *, allow_insecure: bool) -> bool:
    """Only public addresses: never private, loopback, link-local, multicast or reserved ones."""
    if allow_insecure:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.sixtofour is not None or ip.teredo is not None or any(ip in net for net in _EMBEDDING_IPV4_NETS):
            return False  # 6to4, Teredo, NAT64 and IPv4-compatible addresses can reach any IPv4 host
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast)
