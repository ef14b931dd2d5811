"""Rating rounds in the console: each round's state and progress (service.ratings.rounds), a
completed round's ratings with each certificate, and all its certificates as one zip streamed as
the API streams it (service.certificates.reads.round_certificates, each certificate logged)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromQuery, PathParameter
from litestar.response import Stream
from sqlalchemy import select

from domain.districts import DISTRICTS
from domain.organisations import OrgKind
from service.access_log import log_read
from service.api.certificates.zipstream import zip_stream
from service.certificates import reads as certificates
from service.certificates.issue import BEIJING
from service.console.access import page
from service.console.render import render
from service.db.models import Certificate, Enterprise, RatingRecord
from service.db.session import DB
from service.errors import ProblemError
from service.pdf.fonts import FONT_HINT, find_cjk_font
from service.ratings.rounds import get_round, list_rounds

__all__ = ["beijing", "round_page", "round_zip", "rounds_page"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
RoundId = Annotated[uuid.UUID, PathParameter()]


def beijing(at: dt.datetime | None) -> str:
    """A moment as Beijing's clock shows it (the console's readers are in Zibo)."""
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if at else ""


def _round(r: Any) -> dict[str, Any]:
    total = r.progress_total
    return {"id": str(r.id), "year": r.year, "methodology": r.methodology_version, "status": r.status,
            "requested": beijing(r.requested_at), "finished": beijing(r.finished_at),
            "done": r.progress_done, "total": total, "percent": round(100 * r.progress_done / total) if total else None,
            "rated": r.rated, "error": r.error, "completed": r.status == "completed"}  # fmt: skip


@get("/rounds", **page(REG, RA, FR))
async def rounds_page(request: Request[Any, Any, Any], db: DB, year: FromQuery[int | None] = None) -> Any:
    """The newest rounds first, as GET /v1/rating-rounds lists them."""
    rows = [_round(r) for r in await list_rounds(db, year)]
    return render(request, "rounds.html", "rounds", rounds=rows, year=year)


@get("/rounds/{round_id:uuid}", **page(REG, RA, FR))
async def round_page(
    request: Request[Any, Any, Any], db: DB, round_id: RoundId, district: FromQuery[str | None] = None
) -> Any:
    """A round, its ratings (each read logged, as a regulator's read of a rating is) and a link to
    each one's certificate and to the round's zip."""
    rnd = _round(await get_round(db, round_id))
    stmt = (
        select(RatingRecord, Enterprise, Certificate.certificate_no)
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .outerjoin(Certificate, Certificate.rating_id == RatingRecord.id)
        .where(RatingRecord.round_id == round_id)
        .order_by(Enterprise.uscc, RatingRecord.issued_at)
    )
    if district:
        stmt = stmt.where(Enterprise.district == district)
    ratings = []
    for rec, ent, number in (await db.execute(stmt)).all():
        await log_read(db, request.user, ent.enterprise_id, "rating", rec.id, None, "full")
        ratings.append({"id": str(rec.id), "uscc": ent.uscc, "name": ent.name,
                        "district": DISTRICTS.get(ent.district, ent.district), "colour": rec.colour,
                        "grade": rec.grade, "status": rec.status, "certificate_no": number})  # fmt: skip
    return render(request, "round.html", "round", round=rnd, ratings=ratings, district=district or "",
                  districts=sorted(DISTRICTS.items()))  # fmt: skip


@get("/rounds/{round_id:uuid}/certificates.zip", **{**page(REG, RA, FR), "media_type": "application/zip"})
async def round_zip(
    request: Request[Any, Any, Any], db: DB, round_id: RoundId, district: FromQuery[str | None] = None
) -> Stream:
    """The round's certificates (optionally one district's) as GET /v1/rating-rounds/{id}/certificates.zip
    serves them: the same callers, 503 while any is still rendering, each certificate logged."""
    if find_cjk_font(request.app.state.settings.cjk_font) is None:
        raise ProblemError(503, "certificates-unavailable", f"Certificates cannot be rendered: {FONT_HINT}")
    rows = await certificates.round_certificates(db, request.user, round_id, district or None)
    body: AsyncIterator[bytes] = zip_stream(request.app.state.pg, rows)
    return Stream(body, media_type="application/zip",
                  headers={"Content-Disposition": f'attachment; filename="certificates-{round_id}.zip"'})  # fmt: skip
