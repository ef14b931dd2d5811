"""Rating rounds, ratings, verification, revocation and objections."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, PathParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidField
from domain.organisations import OrgKind
from service.api.pagination import OptionalYearQuery
from service.api.ratings.schemas import (
    ObjectionCreate,
    ObjectionDecision,
    ObjectionRead,
    RatingRead,
    RatingSummary,
    Rerating,
    RevokeRating,
    RoundCreate,
    RoundRead,
    VerifyRequest,
    read_of_latest,
)
from service.auth.access import access, limit_by_address, public
from service.db.models import Certificate
from service.db.session import DB
from service.idempotency import idempotent
from service.public_url import verify_base
from service.ratings import latest, objections, reads, rounds
from service.ratings.rerate import rerate
from service.ratings.verify import Verdict, verify_certificate_no, verify_token

__all__ = ["RatingController"]

E, B, REG, RA = OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
FR = OrgKind.FINANCE_REGULATOR
USCC = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]
Id = Annotated[uuid.UUID, PathParameter(description="The resource's id")]


class RatingController(Controller):
    path = "/v1"
    tags = ["ratings"]

    @post("/rating-rounds", status_code=202, **access(RA, errors=(409, 413, 422)))
    async def start_round(
        self, data: JSONBody[RoundCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[RoundRead]:
        """Start a round for a year (202) under a methodology version (default: the latest): a job rates
        every active enterprise with a current filing."""

        async def run() -> RoundRead:
            return RoundRead.of(await rounds.start_round(db, request.user, data.year, data.methodology))

        response = await idempotent(request, db, run, status_code=202)
        request.app.state.jobs_wakeup.set()
        return response

    @get("/rating-rounds", **access(REG, RA, FR, errors=(422,)))
    async def list_rounds(self, db: DB, year: OptionalYearQuery = None) -> list[RoundRead]:
        """The latest rounds (100), newest first."""
        return [RoundRead.of(r) for r in await rounds.list_rounds(db, year)]

    @get("/rating-rounds/{round_id:uuid}", **access(REG, RA, FR, errors=(404,)))
    async def get_round(self, round_id: Id, db: DB) -> RoundRead:
        """A round's state: running (with progress), completed or failed (with the error)."""
        return RoundRead.of(await rounds.get_round(db, round_id))

    @get("/ratings/{rating_id:uuid}", **access(E, B, REG, RA, FR, errors=(404,)))
    async def get_rating(self, rating_id: Id, request: Request[Any, Any, Any], db: DB) -> RatingRead:
        """The rating, its signed tokens and its status now. A bank: only under an active consent, in
        its scope (grade_only: no figures, no full token); every bank or regulator read is logged."""
        view = await reads.get_rating(db, request.user, rating_id)
        status = await reads.StatusReader(db).status(view.rating)
        certificate = await _certificate(db, request, view.rating.id)
        return RatingRead.full(view.rating, view.enterprise.uscc, status, view.scope.value, certificate)

    @get("/enterprises/{uscc:str}/ratings", **access(E, REG, RA, FR, errors=(404,)))
    async def history(self, uscc: USCC, request: Request[Any, Any, Any], db: DB) -> list[RatingSummary]:
        """Every rating of the enterprise, newest year first, with its status now."""
        ent, history = await reads.ratings_of(db, request.user, uscc)
        status = reads.StatusReader(db)
        return [RatingSummary.of(rec, ent.uscc, await status.status(rec)) for rec in history]

    @get("/enterprises/{uscc:str}/ratings/latest", **access(E, B, REG, RA, FR, errors=(404,)))
    async def latest(self, uscc: USCC, request: Request[Any, Any, Any]) -> RatingRead:
        """The newest rating of the latest year rated (its status says if it was revoked or superseded).
        A bank: only under an active consent (else 404, whether or not the enterprise exists)."""
        found = await latest.latest_rating(request.app.state.pg, request.user, uscc)
        return read_of_latest(found, verify_base(request.app.state.settings))

    @post("/ratings/{rating_id:uuid}/revoke", status_code=200, **access(RA, errors=(404, 409, 413, 422)))
    async def revoke(
        self, rating_id: Id, data: JSONBody[RevokeRating], request: Request[Any, Any, Any], db: DB
    ) -> RatingRead:
        """Revoke a rating with a reason; verification and history show it."""
        rec, ent = await reads.revoke(db, request.user, rating_id, data.reason)
        return RatingRead.full(rec, ent.uscc, "revoked")

    @post("/ratings/{rating_id:uuid}/rerating", status_code=201, **access(RA, errors=(404, 409, 413, 422)))
    async def rerate(
        self, rating_id: Id, data: JSONBody[Rerating], request: Request[Any, Any, Any], db: DB
    ) -> RatingRead:
        """Re-rate one enterprise (after an upheld objection, or a verified correction): its current
        filing of the year against its round's pinned peer groups, factors and methodology. Only this
        rating is superseded; the new one has its own certificate; consenting banks are notified."""
        settings = request.app.state.settings
        rec, uscc = await rerate(
            db,
            request.user,
            rating_id,
            reason=data.reason,
            objection_id=data.objection_id,
            secret_key=settings.secret_key,
            issuer=settings.issuer,
        )
        request.app.state.jobs_wakeup.set()  # the certificate worker
        return RatingRead.full(rec, uscc, "active")

    @post("/verify", status_code=200, **public(errors=(413, 422, 429)))
    async def verify(self, data: JSONBody[VerifyRequest], request: Request[Any, Any, Any], db: DB) -> Verdict:
        """Anyone: does a rating token's signature hold (or does a certificate number exist), and what is
        the rating's status now."""
        await limit_by_address(request)
        if (data.token is None) == (data.certificate_no is None):
            raise InvalidField("token", "give exactly one of token, certificate_no")
        if data.token is not None:
            return await verify_token(db, data.token)
        return await verify_certificate_no(db, data.certificate_no or "")

    @post("/ratings/{rating_id:uuid}/objections", **access(E, errors=(404, 409, 413, 422)))
    async def object_to(
        self, rating_id: Id, data: JSONBody[ObjectionCreate], request: Request[Any, Any, Any], db: DB
    ) -> ObjectionRead:
        """The enterprise objects to its rating (异议) with a statement."""
        return ObjectionRead.of(*await objections.object_to(db, request.user, rating_id, data.statement))

    @get("/objections", **access(E, REG, RA, errors=(422,)))
    async def list_objections(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        status: FromQuery[Literal["open", "upheld", "dismissed"] | None] = None,
    ) -> list[ObjectionRead]:
        """An enterprise's own objections; regulators and the rating authority see all."""
        return [ObjectionRead.of(o, uscc) for o, uscc in await objections.list_objections(db, request.user, status)]

    @post("/objections/{objection_id:uuid}/decision", status_code=200, **access(RA, errors=(404, 409, 413, 422)))
    async def decide(
        self, objection_id: Id, data: JSONBody[ObjectionDecision], request: Request[Any, Any, Any], db: DB
    ) -> ObjectionRead:
        """The rating authority upholds or dismisses an objection, with a reply."""
        objection, uscc = await objections.decide_objection(
            db, request.user, objection_id, uphold=data.decision == "uphold", reply=data.reply
        )
        return ObjectionRead.of(objection, uscc)


async def _certificate(
    db: AsyncSession, request: Request[Any, Any, Any], rating_id: uuid.UUID
) -> tuple[str, str] | None:
    """The rating's certificate number and verification link, once the certificate is rendered."""
    no = await db.scalar(select(Certificate.certificate_no).where(Certificate.rating_id == rating_id))
    return (no, f"{verify_base(request.app.state.settings)}/verify/{no}") if no else None
