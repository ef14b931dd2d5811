"""The regulators' pages: the city's rating colours by district (chart, table, CSV) and the
registrations awaiting approval (approved through the same use case as the API)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, PathParameter
from litestar.response import Redirect
from sqlalchemy import func, select

from domain.districts import DISTRICTS
from domain.organisations import Decision, OrgKind, OrgStatus
from service.console.access import page
from service.console.charts import stacked_bars
from service.console.i18n import COLOURS, words
from service.console.render import lang_of, render
from service.db.models import Enterprise, Organisation, RatingRecord, RatingRound
from service.db.session import DB
from service.enterprises import decide

__all__ = ["approve", "city", "city_csv", "registrations"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
ORDER = list(COLOURS)


async def _years(db: DB) -> list[int]:
    stmt = select(RatingRound.year).where(RatingRound.status == "completed").distinct().order_by(RatingRound.year)
    return list(await db.scalars(stmt))


async def _by_district(db: DB, year: int) -> list[dict[str, Any]]:
    """Each district's active ratings of `year` by colour (aggregates: nothing is logged)."""
    stmt = (
        select(Enterprise.district, RatingRecord.colour, func.count())
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .where(RatingRecord.year == year, RatingRecord.status == "active")
        .group_by(Enterprise.district, RatingRecord.colour)
    )
    counts: dict[str, dict[str, int]] = {}
    for district, colour, n in (await db.execute(stmt)).all():
        counts.setdefault(district, {})[colour] = n
    return [{"code": d, "name": DISTRICTS.get(d, d), "counts": {c: counts[d].get(c, 0) for c in ORDER},
             "total": sum(counts[d].values())} for d in sorted(counts)]  # fmt: skip


@get("/city", **page(REG, RA, FR))
async def city(request: Request[Any, Any, Any], db: DB, year: FromQuery[int | None] = None) -> Any:
    years = await _years(db)
    chosen = year if year is not None else (years[-1] if years else 2024)
    rows = await _by_district(db, chosen)
    w = words(lang_of(request))
    chart = stacked_bars(f"{w['colours_by_district']} {chosen}", [(r["name"], r["counts"]) for r in rows], ORDER)
    return render(request, "city.html", "city", years=years or [chosen], year=chosen, rows=rows, colours=ORDER,
                  chart=chart)  # fmt: skip


@get("/city.csv", **page(REG, RA, FR))
async def city_csv(db: DB, year: FromQuery[int]) -> Response[bytes]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["区县代码 district", "区县 name", *(f"{COLOURS[c][0]} {c}" for c in ORDER), "合计 total"])
    for r in await _by_district(db, year):
        out.writerow([r["code"], r["name"], *(r["counts"][c] for c in ORDER), r["total"]])
    headers = {"Content-Disposition": f'attachment; filename="colours-by-district-{year}.csv"'}
    return Response(("\ufeff" + buffer.getvalue()).encode(), media_type="text/csv", headers=headers)


@get("/registrations", **page(REG))
async def registrations(request: Request[Any, Any, Any], db: DB, notice: FromQuery[str | None] = None) -> Any:
    stmt = (
        select(Enterprise)
        .join(Organisation, Organisation.id == Enterprise.enterprise_id)
        .where(Organisation.status == OrgStatus.PENDING.value)
        .order_by(Enterprise.registered_at, Enterprise.uscc)
    )
    pending = [{"uscc": e.uscc, "name": e.name, "district_name": DISTRICTS.get(e.district, e.district),
                "industry": e.industry} for e in await db.scalars(stmt)]  # fmt: skip
    shown = words(lang_of(request))["approved"].format(uscc=notice) if notice else None
    return render(request, "registrations.html", "registrations", pending=pending, notice=shown)


class DecisionForm(msgspec.Struct, kw_only=True):
    decision: str = "approve"


@post("/registrations/{uscc:str}/approval", status_code=303, **page(REG))
async def approve(
    uscc: Annotated[str, PathParameter()],
    data: Annotated[DecisionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    request: Request[Any, Any, Any],
    db: DB,
) -> Any:
    """Post/redirect/get: the list again, saying what was approved."""
    await decide(db, request.user, uscc, Decision.APPROVE, "approved in the console")
    return Redirect(f"/console/registrations?notice={uscc}", status_code=303)
