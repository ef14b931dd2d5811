"""The regulators' pages: the city at a glance (rating colours by district; the plan's indicators
for the year from service.stats.overview; CO2 intensity by year against the plan's trajectory from
service.intensity_trend; each chart with its table and a CSV) and the registrations awaiting
approval (approved through the same use case as the API)."""

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
from domain.products import products
from service import stats
from service.api.stats.controller import overview_csv
from service.console.access import page
from service.console.charts import stacked_bars
from service.console.i18n import COLOURS, words
from service.console.plan_charts import share_bars, year_bars
from service.console.render import lang_of, render
from service.db.models import Enterprise, Organisation, RatingRecord
from service.db.session import DB
from service.display import intensity, tonnes
from service.enterprises import decide
from service.intensity_trend import intensity_by_year, rated_years

__all__ = ["approve", "city", "city_csv", "indicators_csv", "intensity_csv", "registrations"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
ORDER = list(COLOURS)


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


def _product_name(code: str) -> str:
    found = products().get(code)
    return found.name if found else code


def _percent(share: Any) -> str:
    return "-" if share is None else f"{intensity(share * 100)} %"


def _indicators(data: dict[str, Any]) -> dict[str, Any]:
    """The overview as the page prints it (service.display's rounding); the rules stay in service.stats."""
    src = data["source"]
    return {
        "key_enterprises": data["key_enterprises"],
        "without_filing": data["key_enterprises_without_filing"],
        "totals": {k: tonnes(v) for k, v in data["totals"].items()},
        "products": [{"code": p["product"], "name": _product_name(p["product"]), "capacity": tonnes(p["capacity"]),
                      "at_benchmark": tonnes(p["capacity_at_benchmark"]), "share": _percent(p["share_at_benchmark"]),
                      "goal": _percent(p["goal"]), "meets_goal": p["meets_goal"], "below": p["below_baseline"]}
                     for p in data["products"]],
        "below": [{**b, "unit_energy_use": intensity(b["unit_energy_use"]), "baseline": intensity(b["baseline"]),
                   "district_name": DISTRICTS.get(b["district"], b["district"])} for b in data["below_baseline"]],
        "factor_set": src["factor_set"],
        "provisional": src["provisional_factors"],
        "not_accounted": src["not_accounted"],
    }  # fmt: skip


def _trend_rows(trend: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"year": r["year"], "enterprises": r["enterprises"], "without_value_added": r["without_value_added"],
             "co2": tonnes(r["co2_t"]), "value_added": tonnes(r["value_added_wan"]),
             "intensity": intensity(r["intensity"]), "target": intensity(r["target"]), "on_track": r["on_track"]}
            for r in trend["rows"]]  # fmt: skip


@get("/city", **page(REG, RA, FR))
async def city(request: Request[Any, Any, Any], db: DB, year: FromQuery[int | None] = None) -> Any:
    """The city at a glance: colours by district, the plan's indicators for the year (the overview's
    enterprise-level rows are logged there), CO2 intensity by year against the trajectory."""
    years = await rated_years(db)
    chosen = year if year is not None else (years[-1] if years else 2024)
    rows = await _by_district(db, chosen)
    w = words(lang_of(request))
    chart = stacked_bars(f"{w['colours_by_district']} {chosen}", [(r["name"], r["counts"]) for r in rows], ORDER)
    overview = await stats.overview(db, request.user, chosen)
    shares = [(_product_name(p["product"]), p["share_at_benchmark"], p["meets_goal"]) for p in overview["products"]]
    share_chart = share_bars(f"{w['share_at_benchmark']} {chosen}", shares, stats.BENCHMARK_GOAL, w["goal"])
    trend = await intensity_by_year(db, years)
    trend_chart = year_bars(w["intensity_by_year"], [(r["year"], r["intensity"], r["target"]) for r in trend["rows"]],
                            w["trajectory"])  # fmt: skip
    return render(request, "city.html", "city", years=years or [chosen], year=chosen, rows=rows, colours=ORDER,
                  chart=chart, indicators=_indicators(overview), share_chart=share_chart, trend=trend,
                  trend_rows=_trend_rows(trend), trend_chart=trend_chart,
                  anchored_at_base=trend["anchor_year"] == trend["plan"]["base_year"],
                  fall_pct=f"{trend['plan']['yearly_fall'] * 100:.2f}")  # fmt: skip


def _csv_response(rows: list[list[Any]], filename: str) -> Response[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(("\ufeff" + buffer.getvalue()).encode(), media_type="text/csv", headers=headers)


@get("/city-indicators.csv", **page(REG, RA, FR))
async def indicators_csv(request: Request[Any, Any, Any], db: DB, year: FromQuery[int]) -> Response[bytes]:
    """The plan's indicators for the year: the API's overview CSV (GET /v1/stats/overview), as a download."""
    out = overview_csv(await stats.overview(db, request.user, year))
    out.headers["Content-Disposition"] = f'attachment; filename="plan-indicators-{year}.csv"'
    return out


def _anchor_note(trend: dict[str, Any]) -> str:
    base = trend["plan"]["base_year"]
    if trend["anchor_year"] == base:
        return "the plan's base year"
    return f"the first year rated: the plan's base year {base} is not in the data"


@get("/city-intensity.csv", **page(REG, RA, FR))
async def intensity_csv(db: DB) -> Response[bytes]:
    """CO2 intensity by year against the trajectory, exact to 4 significant digits, with the plan's source."""
    trend = await intensity_by_year(db, await rated_years(db))
    plan = trend["plan"]
    rows: list[list[Any]] = [["年度 year", "企业数 enterprises", "无增加值 without value added", "二氧化碳 CO2 (t)",
                              "工业增加值 value added (10k yuan)", "强度 intensity (tCO2/10k yuan)",
                              "轨迹 trajectory (tCO2/10k yuan)", "达到轨迹 on track"]]  # fmt: skip
    for r in trend["rows"]:
        on = "" if r["on_track"] is None else "是 yes" if r["on_track"] else "否 no"
        rows.append([r["year"], r["enterprises"], r["without_value_added"], tonnes(r["co2_t"], grouping=False),
                     tonnes(r["value_added_wan"], grouping=False), intensity(r["intensity"], grouping=False),
                     intensity(r["target"], grouping=False), on])  # fmt: skip
    rows += [[], ["依据 source", plan["document"], plan["target"], plan["confidence"]],
             ["年降幅 yearly fall", str(plan["yearly_fall"]), "provisional" if plan["provisional"] else ""],
             ["起点 anchor year", trend["anchor_year"] or "", _anchor_note(trend)],
             ["淄博目标路径 Zibo's own path", plan["zibo_path"]]]  # fmt: skip
    return _csv_response(rows, "co2-intensity-by-year.csv")


@get("/city.csv", **page(REG, RA, FR))
async def city_csv(db: DB, year: FromQuery[int]) -> Response[bytes]:
    rows: list[list[Any]] = [["区县代码 district", "区县 name", *(f"{COLOURS[c][0]} {c}" for c in ORDER), "合计 total"]]
    rows += [[r["code"], r["name"], *(r["counts"][c] for c in ORDER), r["total"]] for r in await _by_district(db, year)]
    return _csv_response(rows, f"colours-by-district-{year}.csv")


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
