"""Public verification of a rating token: does the signature hold, and what is its status now."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from service.certificates.reads import public_summary
from service.db.models import RatingRecord, SigningKey
from service.ratings.reads import StatusReader
from service.ratings.tokens import RATING_TYP, verify_signature

__all__ = ["Verdict", "verify_certificate_no", "verify_token"]


class Verdict(msgspec.Struct, kw_only=True, omit_defaults=True):
    valid: bool
    """Whether the signature holds under a published rating key."""
    status: str | None = None
    """active | superseded | revoked | expired, when valid."""
    reason: str | None = None
    kid: str | None = None
    rating_id: uuid.UUID | None = None
    scope: str | None = None
    claims: dict[str, Any] | None = None
    revoked_reason: str | None = None
    certificate: dict[str, Any] | None = None
    """For a certificate number: the public summary (as GET /verify/{certificate_no} shows it)."""


async def verify_token(db: AsyncSession, token: str) -> Verdict:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return Verdict(valid=False, reason="not a compact JWS")
    kid = header.get("kid")
    if header.get("typ") != RATING_TYP or header.get("alg") != "EdDSA" or not isinstance(kid, str):
        return Verdict(valid=False, reason="not a rating token (typ rating+jwt, alg EdDSA, kid required)")
    key = await db.scalar(select(SigningKey).where(SigningKey.kid == kid, SigningKey.purpose == "rating"))
    if key is None:
        return Verdict(valid=False, kid=kid, reason="unknown key id")
    try:
        claims = verify_signature(token, key.public_pem)
    except jwt.PyJWTError as exc:
        return Verdict(valid=False, kid=kid, reason=f"the signature does not hold: {exc}")
    try:
        rating_id = uuid.UUID(str(claims.get("rating_id")))
    except ValueError:
        return Verdict(valid=False, kid=kid, reason="no rating_id claim")
    rec = await db.get(RatingRecord, rating_id)
    if rec is None:
        return Verdict(valid=False, kid=kid, reason="no such rating was issued")
    return Verdict(
        valid=True,
        status=await StatusReader(db).status(rec),
        kid=kid,
        rating_id=rec.id,
        scope=str(claims.get("scope")),
        claims=claims,
        revoked_reason=rec.revoked_reason,
    )


async def verify_certificate_no(db: AsyncSession, certificate_no: str) -> Verdict:
    try:
        summary = await public_summary(db, certificate_no)
    except NotFound:
        return Verdict(valid=False, reason="no certificate has this number")
    return Verdict(valid=True, status=summary["status"], certificate=summary)
