"""`GET /v1/stats/finance`: the finance bureau's figures for a year, as JSON or (Accept: text/csv)
as CSV in UTF-8 with a byte-order mark, like the other statistics."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from domain.organisations import OrgKind
from service.api.csv_response import csv_response, wants_csv
from service.api.pagination import YearQuery
from service.api.stats.controller import COLOUR_NAMES
from service.auth.access import access
from service.db.session import DB
from service.display import SECTOR_NAMES
from service.finance.stats import finance_stats

__all__ = ["CREDIT_NAMES", "FinanceStatsController", "finance_csv"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
FIGURES = ("requests", "requested_yuan", "approvals", "approved_yuan", "declines", "pending", "mean_margin_bp")
HEADERS = ["申请数 requests", "申请金额 requested (yuan)", "批准数 approvals", "批准金额 approved (yuan)",
           "拒绝数 declines", "待答复 pending", "加权利差 mean margin (bp)"]  # fmt: skip
CREDIT_NAMES = {
    "green": "绿色",
    "transition": "转型",
    "sustainability_linked": "可持续发展挂钩",
    "unspecified": "未指明",
}


def _section(title: str, rows: list[dict[str, Any]], key: str, names: dict[str, str]) -> list[list[Any]]:
    out: list[list[Any]] = [[title], [key, "名称 name", *HEADERS]]
    out += [[r[key], names.get(r[key], r[key]), *("" if r[f] is None else r[f] for f in FIGURES)] for r in rows]
    return [*out, []]


def finance_csv(data: dict[str, Any]) -> Response[bytes]:
    t = data["totals"]
    rows: list[list[Any]] = [["年度 year", data["year"]], ["合计 totals", "", *HEADERS],
                             ["", "", *("" if t[f] is None else t[f] for f in FIGURES)], []]  # fmt: skip
    rows += _section("按评价颜色 by colour", data["by_colour"], "colour", COLOUR_NAMES)
    rows += _section("按行业 by sector", data["by_sector"], "sector", SECTOR_NAMES)
    rows += _section("按区县 by district", data["by_district"], "district", {})
    rows += _section("按信贷类别 by credit", data["by_credit"], "credit", CREDIT_NAMES)
    rows.append(["向红色或低于基准水平企业的批准 approvals to red or below-基准 enterprises"])
    rows.append(["uscc", "名称 name", "区县 district", "行业 sector", "颜色 colour", "低于基准 below 基准",
                 "银行 bank", "类别 credit", "批准金额 approved (yuan)", "利率 rate (%)", "利差 margin (bp)"])  # fmt: skip
    rows += [[f["uscc"], f["name"], f["district"], f["sector"], f["colour"], "是" if f["below_baseline"] else "否",
              f["bank_name"], f["credit"], f["approved_yuan"], f["rate_percent"] or "",
              "" if f["margin_bp"] is None else f["margin_bp"]] for f in data["flagged_approvals"]]  # fmt: skip
    return csv_response(rows)


class FinanceStatsController(Controller):
    path = "/v1/stats"
    tags = ["statistics"]

    @get("/finance", **access(FR, REG, RA, errors=(422,)))
    async def finance(self, year: YearQuery, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        """Financing requests sent in `year` and the banks' answers: totals, by the colour the banks
        saw, by sector and district, by credit (green / transition / sustainability-linked, from the
        product applied for), and every approval to a red or below-基准 enterprise, named (each
        such read logged). CSV with Accept: text/csv."""
        data = await finance_stats(db, request.user, year)
        return finance_csv(data) if wants_csv(request) else Response(data)
