"""Rating bodies: rounds, ratings (full and summary), verification, revocation, objections."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec

from domain.factors import Year
from service.db.models import Objection, RatingRecord, RatingRound
from service.ratings.latest import LatestRating

__all__ = [
    "ObjectionCreate",
    "ObjectionDecision",
    "ObjectionRead",
    "RatingRead",
    "RatingSummary",
    "Rerating",
    "RevokeRating",
    "RoundCreate",
    "RoundRead",
    "VerifyRequest",
    "read_of_latest",
]

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]


class RoundCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    year: Year
    methodology: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    """The methodology version to rate under (GET /v1/methodologies); default: the latest."""


class RoundRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    year: int
    methodology_version: str
    status: str
    """running | completed | failed"""
    requested_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    progress_done: int
    progress_total: int | None
    rated: int | None
    error: str | None

    @classmethod
    def of(cls, r: RatingRound) -> RoundRead:
        return cls(
            id=r.id,
            year=r.year,
            methodology_version=r.methodology_version,
            status=r.status,
            requested_at=r.requested_at,
            started_at=r.started_at,
            finished_at=r.finished_at,
            attempts=r.attempts,
            progress_done=r.progress_done,
            progress_total=r.progress_total,
            rated=r.rated,
            error=r.error,
        )


class RatingSummary(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    round_id: uuid.UUID
    uscc: str
    year: int
    status: str
    """active | superseded | revoked | expired, as it reads now"""
    colour: str
    grade: int | None
    band: str | None
    finance_tier: str
    methodology_version: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    revoked_reason: str | None = None
    supersedes_rating_id: uuid.UUID | None = None
    """A targeted re-rating: the rating of the same round it replaced."""
    rerating_reason: str | None = None
    objection_id: uuid.UUID | None = None
    """The upheld objection the re-rating answers, if any."""

    @classmethod
    def of(cls, rec: RatingRecord, uscc: str, status: str) -> RatingSummary:
        return cls(
            id=rec.id,
            round_id=rec.round_id,
            uscc=uscc,
            year=rec.year,
            status=status,
            colour=rec.colour,
            grade=rec.grade,
            band=rec.payload.get("band"),
            finance_tier=rec.payload["finance_tier"],
            methodology_version=rec.methodology_version,
            issued_at=rec.issued_at,
            expires_at=rec.expires_at,
            revoked_reason=rec.revoked_reason,
            supersedes_rating_id=rec.supersedes_rating_id,
            rerating_reason=rec.rerating_reason,
            objection_id=rec.objection_id,
        )


class RatingRead(RatingSummary, kw_only=True):
    scope: str
    """full, or grade_only for a bank whose consent is grade-only (then no figures, no full token)."""
    kid: str
    grade_token: str
    """The grade-only summary (colour, grade, band, tier, validity), compact JWS."""
    token: str | None = None
    """The full rating, compact JWS (EdDSA, typ rating+jwt); verify with GET /.well-known/jwks.json."""
    rating: dict[str, Any] | None = None
    """The full rating's claims: what it pins and every number behind its grade."""
    certificate_no: str | None = None
    """The certificate's number, as printed on it (null while it is being rendered)."""
    verify_url: str | None = None
    """Where anyone checks the certificate: {public base URL}/verify/{certificate_no}."""
    policy_set_id: uuid.UUID | None = None
    """The policy set in force when the rating was issued (政策集成; `full` scope)."""
    policy_consequences: list[dict[str, Any]] | None = None
    """The consequences that set gave at issue, pinned: never recomputed (the current ones:
    GET /v1/enterprises/{uscc}/policy)."""

    @classmethod
    def full(
        cls, rec: RatingRecord, uscc: str, status: str, scope: str = "full", certificate: tuple[str, str] | None = None
    ) -> RatingRead:
        """`certificate`: (number, verification URL) once rendered."""
        summary = msgspec.structs.asdict(RatingSummary.of(rec, uscc, status))
        no, url = certificate if certificate else (None, None)
        if scope != "full":
            return cls(
                **summary, scope=scope, kid=rec.kid, grade_token=rec.grade_token, certificate_no=no, verify_url=url
            )
        return cls(
            **summary,
            scope=scope,
            kid=rec.kid,
            grade_token=rec.grade_token,
            token=rec.token,
            rating=rec.payload,
            certificate_no=no,
            verify_url=url,
            policy_set_id=rec.policy_set_id,
            policy_consequences=rec.policy_consequences,
        )


def read_of_latest(latest: LatestRating, base_url: str) -> RatingRead:
    return RatingRead(
        id=latest.rating_id,
        round_id=latest.round_id,
        uscc=latest.uscc,
        year=latest.year,
        status=latest.status,
        colour=latest.colour,
        grade=latest.grade,
        band=latest.band,
        finance_tier=latest.finance_tier,
        methodology_version=latest.methodology_version,
        issued_at=latest.issued_at,
        expires_at=latest.expires_at,
        revoked_reason=latest.revoked_reason,
        scope=latest.scope,
        kid=latest.kid,
        grade_token=latest.grade_token,
        token=latest.token,
        rating=latest.payload,
        supersedes_rating_id=latest.supersedes_rating_id,
        rerating_reason=latest.rerating_reason,
        objection_id=latest.objection_id,
        certificate_no=latest.certificate_no,
        verify_url=f"{base_url}/verify/{latest.certificate_no}" if latest.certificate_no else None,
        policy_set_id=latest.policy_set_id,
        policy_consequences=latest.policy_consequences,
    )


class VerifyRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=100_000)] | None = None
    """A rating token (full or grade-only)."""
    certificate_no: Annotated[str, msgspec.Meta(min_length=1, max_length=32)] | None = None
    """Or a certificate's number, as printed on it."""


class RevokeRating(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class Rerating(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    """Why: the objection upheld, or the verified correction (filing version) now rated."""
    objection_id: uuid.UUID | None = None
    """The upheld objection to this rating that the re-rating answers; none for a correction."""


class ObjectionCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    statement: Text


class ObjectionDecision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["uphold", "dismiss"]
    reply: Text


class ObjectionRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    rating_id: uuid.UUID
    uscc: str
    statement: str
    status: str
    """open | upheld | dismissed"""
    reply: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @classmethod
    def of(cls, o: Objection, uscc: str) -> ObjectionRead:
        return cls(
            id=o.id,
            rating_id=o.rating_id,
            uscc=uscc,
            statement=o.statement,
            status=o.status,
            reply=o.reply,
            created_at=o.created_at,
            decided_at=o.decided_at,
        )
