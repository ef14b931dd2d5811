"""Access tokens: short-lived JWTs (RFC 9068 `at+jwt`), EdDSA, with a key never published.

The algorithm is fixed here, never taken from the token; issuer, audience, expiry and
issued-at are required on every decode.
"""

from __future__ import annotations

import math
import secrets
import time
import uuid
from collections import OrderedDict

import jwt
import msgspec

from service.auth.keystore import KeyPair

__all__ = [
    "ACCESS_TYP",
    "ALGORITHM",
    "AccessClaims",
    "TokenRejected",
    "VerifiedTokens",
    "decode_access_token",
    "issue_access_token",
]

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
    clock = time.time()
    now = int(clock)
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": client_id,
        "org": str(org_id),
        "ver": secret_version,
        "iat": now,
        "exp": math.ceil(clock) + ttl,  # at least `ttl` seconds from now, as expires_in says
        "jti": secrets.token_hex(8),
    }
    token = jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"typ": ACCESS_TYP, "kid": key.kid})
    return token, ttl


class VerifiedTokens:
    """Tokens whose signature and claims already checked out, until they expire.

    A token is immutable, so its verification (an Ed25519 check, ~0.2 ms) need not be
    repeated on every request; the client's live state is still read every time.
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._seen: OrderedDict[str, tuple[AccessClaims, int]] = OrderedDict()

    def get(self, token: str) -> AccessClaims | None:
        hit = self._seen.get(token)
        if hit is None:
            return None
        if hit[1] <= time.time():
            del self._seen[token]
            return None
        return hit[0]

    def put(self, token: str, claims: AccessClaims, exp: int) -> None:
        self._seen[token] = (claims, exp)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)


def decode_access_token(
    token: str, key: KeyPair, *, issuer: str, audience: str, cache: VerifiedTokens | None = None
) -> AccessClaims:
    if cache is not None and (hit := cache.get(f"{key.kid}:{token}")) is not None:
        return hit
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
        checked = msgspec.convert(
            {"client_id": claims["sub"], "org_id": claims["org"], "secret_version": claims["ver"]},
            AccessClaims,
            strict=True,
        )
    except msgspec.ValidationError as exc:
        raise TokenRejected("the token's claims are malformed") from exc
    if cache is not None:
        cache.put(f"{key.kid}:{token}", checked, int(claims["exp"]))
    return checked
