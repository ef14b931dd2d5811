"""Access tokens: short-lived JWTs (RFC 9068 `at+jwt`), EdDSA, with a key never published.

The algorithm is fixed here, never taken from the token; issuer, audience, expiry and
issued-at are required on every decode.
"""

from __future__ import annotations

import secrets
import time
import uuid

import jwt
import msgspec

from service.auth.keystore import KeyPair

__all__ = ["ACCESS_TYP", "ALGORITHM", "AccessClaims", "TokenRejected", "decode_access_token", "issue_access_token"]

ACCESS_TYP = "at+jwt"
ALGORITHM = "EdDSA"
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "org", "ver"]


class TokenRejected(Exception):
    """The bearer token is missing, malformed, forged, expired or for someone else."""


class AccessClaims(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    org_id: uuid.UUID
    secret_version: int


def issue_access_token(
    key: KeyPair, *, client_id: str, org_id: uuid.UUID, secret_version: int, issuer: str, audience: str, ttl: int
) -> tuple[str, int]:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": client_id,
        "org": str(org_id),
        "ver": secret_version,
        "iat": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(8),
    }
    token = jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"typ": ACCESS_TYP, "kid": key.kid})
    return token, ttl


def decode_access_token(token: str, key: KeyPair, *, issuer: str, audience: str) -> AccessClaims:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("typ") != ACCESS_TYP or header.get("kid") != key.kid or header.get("alg") != ALGORITHM:
            raise TokenRejected("not an access token of this service")
        claims = jwt.decode(
            token,
            key.public,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={"require": _REQUIRED, "verify_signature": True},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("the token has expired") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError, KeyError) as exc:
        raise TokenRejected("the token is invalid") from exc
    try:  # even a correctly signed token gets its claims' types checked, not trusted
        return msgspec.convert(
            {"client_id": claims["sub"], "org_id": claims["org"], "secret_version": claims["ver"]},
            AccessClaims,
            strict=True,
        )
    except msgspec.ValidationError as exc:
        raise TokenRejected("the token's claims are malformed") from exc
