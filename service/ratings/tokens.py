"""Rating tokens: compact JWS (EdDSA, `typ` rating+jwt) over the rating's canonical JSON.

Claims iss, sub (the USCC), iat and exp = iat + 18 months sit beside the rating's own
fields; `kid` names the key, which GET /.well-known/jwks.json publishes. Verification
needs nothing but a JOSE library and that key set.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.canonical import canonical_json
from service.auth.keystore import KeyPair

__all__ = ["RATING_TYP", "VALIDITY_MONTHS", "expiry", "jwk", "sign", "verify_signature"]

RATING_TYP = "rating+jwt"
ALGORITHM = "EdDSA"
VALIDITY_MONTHS = 18


def expiry(issued: dt.datetime, months: int = VALIDITY_MONTHS) -> dt.datetime:
    """`months` calendar months later, the day clamped to the month's end (31 Aug + 18 → 28/29 Feb)."""
    index = issued.month - 1 + months
    year, month = issued.year + index // 12, index % 12 + 1
    return issued.replace(year=year, month=month, day=min(issued.day, calendar.monthrange(year, month)[1]))


def sign(key: KeyPair, claims: dict[str, Any]) -> str:
    """Compact JWS over the canonical JSON of `claims` (which carry iss, sub, iat, exp)."""
    headers = {"kid": key.kid, "typ": RATING_TYP}
    return jwt.api_jws.encode(canonical_json(claims), key.private, algorithm=ALGORITHM, headers=headers)


def verify_signature(token: str, public_pem: str) -> dict[str, Any]:
    """The claims if the signature holds (expiry is judged by the caller, who reports it as a status)."""
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    return jwt.decode(
        token,
        key,
        algorithms=[ALGORITHM],
        options={"verify_exp": False, "verify_aud": False, "require": ["iss", "sub", "iat", "exp"]},
    )


def jwk(kid: str, public_pem: str) -> dict[str, str]:
    """The public key as an RFC 8037 OKP JWK."""
    key = serialization.load_pem_public_key(public_pem.encode())
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": ALGORITHM, "use": "sig"}
