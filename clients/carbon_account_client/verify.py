"""Offline verification of rating tokens against the published key set (JWKS).

A bank checks a rating without asking the API: the token is a compact JWS (EdDSA, `typ`
rating+jwt, a `kid`), and `GET /.well-known/jwks.json` publishes every key that ever
signed. The key set is cached for 5 minutes (the API publishes a new key 10 minutes
before it signs). A `kid` missing from the cache triggers one refetch for that token, and
none if the last fetch is more recent than `min_refetch` seconds, so tokens with made-up
kids cannot make a verifier hammer the API. Only EdDSA over an Ed25519 key is accepted:
alg none, HS256 (a public key used as an HMAC secret) and the rest fail before any key
is looked up. Revocation cannot be seen offline: `verify_online` gives the status now.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from carbon_account_client.errors import TokenInvalid
from carbon_account_client.models import Jwks, VerifiedRating

__all__ = ["JWKS_MAX_AGE", "MIN_REFETCH", "RATING_TYP", "AsyncOfflineVerifier", "KeySet", "OfflineVerifier", "check"]

RATING_TYP = "rating+jwt"
ALGORITHM = "EdDSA"
JWKS_MAX_AGE = 300.0
MIN_REFETCH = 30.0
_REQUIRED = ["iss", "sub", "iat", "exp"]


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class KeySet:
    """The cached JWKS: Ed25519 public keys by kid, and when they were fetched."""

    def __init__(
        self,
        *,
        max_age: float = JWKS_MAX_AGE,
        min_refetch: float = MIN_REFETCH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age, self.min_refetch, self.clock = max_age, min_refetch, clock
        self.keys: dict[str, Ed25519PublicKey] = {}
        self.fetched_at: float | None = None
        self.fetches = 0
        """Key sets fetched so far."""

    def stale(self) -> bool:
        return self.fetched_at is None or self.clock() - self.fetched_at > self.max_age

    def may_refetch(self) -> bool:
        return self.fetched_at is None or self.clock() - self.fetched_at >= self.min_refetch

    def update(self, jwks: Jwks) -> None:
        """Keep the Ed25519 keys (others cannot sign ratings)."""
        keys: dict[str, Ed25519PublicKey] = {}
        for jwk in jwks.keys:
            if jwk.kty != "OKP" or jwk.crv != "Ed25519" or not jwk.x or jwk.alg not in (None, ALGORITHM):
                continue
            try:
                keys[jwk.kid] = Ed25519PublicKey.from_public_bytes(_b64url(jwk.x))
            except (ValueError, binascii.Error):
                continue
        self.keys, self.fetched_at = keys, self.clock()
        self.fetches += 1


def header_kid(token: str) -> str:
    """The kid of a token that claims to be a rating token (EdDSA, typ rating+jwt); else TokenInvalid."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenInvalid(f"not a compact JWS: {exc}") from exc
    if header.get("alg") != ALGORITHM:
        raise TokenInvalid(f"algorithm {header.get('alg')!r} refused: rating tokens are signed EdDSA")
    if header.get("typ") != RATING_TYP:
        raise TokenInvalid(f"type {header.get('typ')!r} refused: not a rating token ({RATING_TYP})")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenInvalid("no key id (kid) in the header")
    return kid


def _moment(value: Any) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(value), dt.UTC)


def check(
    token: str,
    key: Ed25519PublicKey,
    kid: str,
    *,
    uscc: str | None = None,
    issuer: str | None = None,
    allow_expired: bool = False,
) -> VerifiedRating:
    """The rating a token holds, if its signature holds under `key` and its claims are a rating's."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            options={"verify_exp": False, "verify_aud": False, "require": _REQUIRED},
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalid(f"the signature or claims do not hold: {exc}") from exc
    if uscc is not None and claims.get("sub") != uscc:
        raise TokenInvalid(f"the token is for {claims.get('sub')!r}, not {uscc!r}")
    try:
        expires = _moment(claims["exp"])
    except (TypeError, ValueError, OverflowError) as exc:
        raise TokenInvalid(f"signed, but exp is not a time: {claims['exp']!r}") from exc
    expired = expires <= dt.datetime.now(dt.UTC)
    if expired and not allow_expired:
        raise TokenInvalid(f"the rating expired at {expires.isoformat()}")
    try:
        return msgspec.convert(
            {
                **{k: claims.get(k) for k in ("rating_id", "year", "colour", "grade", "band", "finance_tier")},
                "methodology_version": claims.get("methodology_version"),
                "kid": kid,
                "scope": claims.get("scope"),
                "uscc": claims["sub"],
                "issuer": claims["iss"],
                "issued_at": _moment(claims["iat"]),
                "expires_at": expires,
                "expired": expired,
                "claims": claims,
            },
            VerifiedRating,
        )
    except (msgspec.ValidationError, TypeError, ValueError, OverflowError) as exc:
        raise TokenInvalid(f"signed, but not a rating's claims: {exc}") from exc


class OfflineVerifier:
    """Verifies tokens against a key set that `fetch` downloads when needed (thread-safe)."""

    def __init__(self, fetch: Callable[[], Jwks], keys: KeySet | None = None) -> None:
        self.fetch, self.keys = fetch, keys or KeySet()
        self._lock = threading.Lock()

    def verify(
        self, token: str, *, uscc: str | None = None, issuer: str | None = None, allow_expired: bool = False
    ) -> VerifiedRating:
        """The rating in `token`; TokenInvalid if forged, altered, of an unknown key, for another `uscc`,
        from another `issuer`, or expired (unless `allow_expired`)."""
        kid = header_kid(token)
        key = self.key(kid)
        return check(token, key, kid, uscc=uscc, issuer=issuer, allow_expired=allow_expired)

    def key(self, kid: str) -> Ed25519PublicKey:
        with self._lock:
            fetched = self.keys.stale()
            if fetched:
                self.keys.update(self.fetch())
            if kid not in self.keys.keys and not fetched and self.keys.may_refetch():
                self.keys.update(self.fetch())
            found = self.keys.keys.get(kid)
        if found is None:
            raise TokenInvalid(f"unknown key id {kid!r}: not in the published key set")
        return found


class AsyncOfflineVerifier:
    """The async twin of `OfflineVerifier`."""

    def __init__(self, fetch: Callable[[], Awaitable[Jwks]], keys: KeySet | None = None) -> None:
        self.fetch, self.keys = fetch, keys or KeySet()
        self._lock = asyncio.Lock()

    async def verify(
        self, token: str, *, uscc: str | None = None, issuer: str | None = None, allow_expired: bool = False
    ) -> VerifiedRating:
        """The rating in `token`; TokenInvalid if forged, altered, of an unknown key, for another `uscc`,
        from another `issuer`, or expired (unless `allow_expired`)."""
        kid = header_kid(token)
        key = await self.key(kid)
        return check(token, key, kid, uscc=uscc, issuer=issuer, allow_expired=allow_expired)

    async def key(self, kid: str) -> Ed25519PublicKey:
        async with self._lock:
            fetched = self.keys.stale()
            if fetched:
                self.keys.update(await self.fetch())
            if kid not in self.keys.keys and not fetched and self.keys.may_refetch():
                self.keys.update(await self.fetch())
            found = self.keys.keys.get(kid)
        if found is None:
            raise TokenInvalid(f"unknown key id {kid!r}: not in the published key set")
        return found
