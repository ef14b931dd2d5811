"""Use cases for rating rounds: the rating authority starts one; anyone allowed reads its state.

A round is a row in `rating_rounds`, run by a job (service/ratings/job.py), never inside
the request. Two rounds for one year cannot run at once (a unique index).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, InvalidField, NotFound
from scoring import METHODOLOGIES
from service import reference
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import RatingRound

__all__ = ["current_methodology", "get_round", "list_rounds", "start_round"]


def current_methodology() -> str:
    """The latest published version: what a round uses unless the rating authority names one."""
    return max(METHODOLOGIES, key=int)


def _chosen(methodology: int | None) -> str:
    if methodology is None:
        return current_methodology()
    if str(methodology) not in METHODOLOGIES:
        published = ", ".join(sorted(METHODOLOGIES, key=int))
        raise InvalidField("methodology", f"no methodology version {methodology}; published: {published}")
    return str(methodology)


async def start_round(
    db: AsyncSession, actor: Principal | None, year: int, methodology: int | None = None
) -> RatingRound:
    """Start a round for `year` under `methodology` (default: the latest published version)."""
    version = _chosen(methodology)
    try:
        await reference.factor_set_for_year(db, year)
    except NotFound as exc:
        raise InvalidField("year", f"no factor set holds {year}") from exc
    running = await db.scalar(select(RatingRound.id).where(RatingRound.year == year, RatingRound.status == "running"))
    if running is not None:
        raise Conflict(f"round {running} for {year} is still running; two rounds for one year cannot run at once")
    rnd = RatingRound(
        id=uuid.uuid4(),
        year=year,
        methodology_version=version,
        status="running",
        started_at=dt.datetime.now(dt.UTC),  # running from now; the job sets it again when it (re)takes the round
        requested_by_client_id=actor.client_id if actor else None,
    )
    db.add(rnd)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent start for the same year won
        raise Conflict(f"a round for {year} is already running") from exc
    await db.refresh(rnd)
    await record_event(db, actor, "rating_round.start", f"rating_round:{rnd.id}", year=year, methodology=version)
    return rnd


async def get_round(db: AsyncSession, round_id: uuid.UUID) -> RatingRound:
    rnd = await db.get(RatingRound, round_id)
    if rnd is None:
        raise NotFound("No such rating round.")
    return rnd


async def list_rounds(db: AsyncSession, year: int | None) -> list[RatingRound]:
    stmt = select(RatingRound).order_by(RatingRound.requested_at.desc())
    if year is not None:
        stmt = stmt.where(RatingRound.year == year)
    return list(await db.scalars(stmt.limit(100)))
