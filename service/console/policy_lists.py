"""The regulators' policy lists (政策集成) in the console: the 关停/改造 list (列入淘汰计划, 限期改造)
and the surcharge list (阶梯电价/差别电价) of a year, with their totals in yuan, read through the
API's use case (service.policy.lists, which logs each listed enterprise's read); the CSV is the
API's (GET /v1/policy/consequences with Accept: text/csv)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromQuery
from sqlalchemy import select

from domain.districts import DISTRICTS
from domain.organisations import OrgKind
from domain.policy.model import ConsequenceKind
from service.api.csv_response import csv_response
from service.api.policy.lists import HEADER, ConsequenceItem, consequence_row
from service.console.access import page
from service.console.render import lang_of, render
from service.db.models import PolicySheet
from service.db.session import DB
from service.display import yuan
from service.policy.lists import KIND_NAMES, ConsequenceFilter, list_consequences

__all__ = ["policy_csv", "policy_lists"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
# The lists the page opens with: 关停 (列入淘汰计划) and 改造 (限期改造), then the surcharge list.
DEFAULT_KINDS = (ConsequenceKind.PHASE_OUT_LISTED, ConsequenceKind.RETROFIT_REQUIRED, ConsequenceKind.POWER_SURCHARGE)
SHOWN = 200  # rows per list on the page; the CSV holds every row


async def _years(db: DB) -> list[int]:
    return list(await db.scalars(select(PolicySheet.year).distinct().order_by(PolicySheet.year.desc())))


def _line(item: ConsequenceItem, lang: str) -> dict[str, Any]:
    return {
        "uscc": item.uscc,
        "name": item.name,
        "district": DISTRICTS.get(item.district, item.district),
        "product": item.product.name if item.product else "",
        "title": item.title_zh if lang == "zh" else item.title_en,
        "deadline": item.deadline.isoformat() if item.deadline else "",
        "action": item.action or "",
        "amount": "" if item.amount_yuan is None else yuan(item.amount_yuan),
        "rule": item.rule_id,
        "source": item.source.document,
        "provisional": item.provisional,
    }


@get("/policy", **page(REG, RA, FR))
async def policy_lists(
    request: Request[Any, Any, Any], db: DB, year: FromQuery[int | None] = None,
    kind: FromQuery[ConsequenceKind | None] = None,
) -> Any:  # fmt: skip
    """One table per kind (the 关停/改造 and surcharge lists unless `kind` names one), each with
    the totals of every row it selects: consequences, enterprises, yuan."""
    years = await _years(db)
    chosen = year if year is not None else (years[0] if years else 2024)
    lang = lang_of(request)
    lists = []
    for k in (kind,) if kind is not None else DEFAULT_KINDS:
        rows, more, totals = await list_consequences(
            db, request.user, ConsequenceFilter(year=chosen, kind=k), after=None, limit=SHOWN
        )
        lists.append({"kind": k.value, "name": KIND_NAMES[k], "rows": [_line(ConsequenceItem.of(r), lang) for r in rows],
                      "more": more, "consequences": totals.consequences, "enterprises": totals.enterprises,
                      "amount": yuan(totals.amount_yuan)})  # fmt: skip
    kinds = [(k.value, KIND_NAMES[k]) for k in ConsequenceKind]
    return render(request, "policy.html", "policy_lists", years=years or [chosen], year=chosen,
                  kind=kind.value if kind else "", kinds=kinds, lists=lists, shown=SHOWN)  # fmt: skip


@get("/policy.csv", **page(REG, RA, FR))
async def policy_csv(
    request: Request[Any, Any, Any], db: DB, year: FromQuery[int], kind: FromQuery[ConsequenceKind | None] = None
) -> Response[bytes]:
    """Every row of the year (of one kind), as the API writes it; each listed enterprise's read logged."""
    rows, _, _ = await list_consequences(db, request.user, ConsequenceFilter(year=year, kind=kind), after=None,
                                         limit=None)  # fmt: skip
    out = csv_response([HEADER, *(consequence_row(ConsequenceItem.of(r)) for r in rows)])
    name = f"policy-{kind.value if kind else 'all'}-{year}.csv"
    out.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return out
