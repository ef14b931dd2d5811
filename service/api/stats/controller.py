"""`/v1/stats`: the plan's indicators for a year, as JSON or (Accept: text/csv) as CSV in UTF-8
with a byte-order mark, so that a spreadsheet opens the Chinese headers intact."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from domain.organisations import OrgKind
from domain.products import products
from service import stats
from service.api.csv_response import csv_response, wants_csv
from service.api.pagination import YearQuery
from service.auth.access import access
from service.db.session import DB
from service.display import intensity, tonnes, yuan
from service.policy.lists import KIND_NAMES

__all__ = ["COLOUR_NAMES", "StatsController", "overview_csv"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
COLUMNS = (
    ("enterprises", "企业数 enterprises"),
    ("energy_tce", "综合能耗 energy (tce)"),
    ("scope1_tco2", "范围一 scope 1 CO2 (t)"),
    ("scope2_tco2", "范围二 scope 2 CO2 (t)"),
    ("energy_tce_change", "能耗同比变化 energy change (tce)"),
    ("scope1_tco2_change", "范围一同比变化 scope 1 change (t)"),
    ("scope2_tco2_change", "范围二同比变化 scope 2 change (t)"),
)

TOTALS = {"energy_tce": "综合能耗 energy (tce)", "scope1_tco2": "范围一 scope 1 CO2 (t)",
          "scope2_tco2": "范围二 scope 2 CO2 (t)"}  # fmt: skip
COLOUR_NAMES = {"dark_green": "深绿", "light_green": "浅绿", "yellow": "黄", "red": "红", "unrated": "未评"}


def _t(value: Any) -> str:
    """Tonnes (and product quantities) as a table prints them (service.display), no grouping."""
    return tonnes(value, grouping=False)


def _i(value: Any) -> str:
    return intensity(value, grouping=False)


def _product_name(code: str) -> str:
    product = products().get(code)
    return f"{product.name} ({code})" if product else code


def _breakdown_csv(data: dict[str, Any], by: str, label: str) -> Response[bytes]:
    header = [f"{label}代码 {by}", f"{label}名称 name", *(title for _, title in COLUMNS)]
    body = [
        [row[by], row["name"], row["enterprises"], *(_t(row[key]) for key, _ in COLUMNS[1:])] for row in data["rows"]
    ]
    return csv_response([header, *body])


def overview_csv(data: dict[str, Any]) -> Response[bytes]:
    rows: list[list[Any]] = [["指标 indicator", "值 value"]]
    rows += [["两高重点企业 key enterprises", data["key_enterprises"]],
             ["未填报企业 without a filing", len(data["key_enterprises_without_filing"])]]  # fmt: skip
    rows += [[TOTALS.get(k, k), _t(v)] for k, v in data["totals"].items()]
    rows += [[f"颜色 {COLOUR_NAMES.get(k, k)} {k}", v] for k, v in data["colours"].items()]
    rows += [
        [],
        ["产品 product", "产能 capacity", "标杆产能 at 标杆", "标杆占比 share", "目标 goal", "低于基准 below 基准"],
    ]
    rows += [[_product_name(p["product"]), _t(p["capacity"]), _t(p["capacity_at_benchmark"]),
              _i(p["share_at_benchmark"]), _i(p["goal"]), p["below_baseline"]] for p in data["products"]]  # fmt: skip
    rows += [
        [],
        ["低于基准 below 基准: 产品 product", "企业 enterprise", "统一社会信用代码 USCC", "单耗 u", "基准 baseline"],
    ]
    rows += [
        [b["name"], b["enterprise"], b["uscc"], _i(b["unit_energy_use"]), _i(b["baseline"])]
        for b in data["below_baseline"]
    ]
    return csv_response(rows + _policy_rows(data["policy"]))


def _policy_rows(policy: dict[str, Any]) -> list[list[Any]]:
    """政策集成: per district and for the city, the enterprises each consequence kind falls on."""
    city, kinds = policy["city"], list(policy["city"]["enterprises"])
    rows: list[list[Any]] = [[], ["政策后果 policy: 区县 district", "名称 name",
                                  *(f"{KIND_NAMES[k]} {k}" for k in kinds), "阶梯电价金额 surcharge (yuan)"]]  # fmt: skip
    rows += [[d["district"], d["name"], *(d["enterprises"][k] for k in kinds), yuan(d["surcharge_yuan"], grouping=False)]
             for d in policy["districts"]]  # fmt: skip
    rows.append(
        ["淄博市 city", "", *(city["enterprises"][k] for k in kinds), yuan(city["surcharge_yuan"], grouping=False)]
    )
    return rows


class StatsController(Controller):
    path = "/v1/stats"
    tags = ["statistics"]

    @get("/overview", **access(REG, RA, FR, errors=(422,)))
    async def overview(self, year: YearQuery, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        """Key enterprises and those without a filing, capacity at 标杆 per product against the 30 % goal,
        products and enterprises below 基准 (each logged), totals, colours. CSV with Accept: text/csv."""
        data = await stats.overview(db, request.user, year)
        return overview_csv(data) if wants_csv(request) else Response(data)

    @get("/districts", **access(REG, RA, FR, errors=(422,)))
    async def districts(self, year: YearQuery, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        """Energy, scope 1 and scope 2 CO2 by district, with the change on the previous year."""
        data = await stats.breakdown(db, year, "district")
        return _breakdown_csv(data, "district", "区县") if wants_csv(request) else Response(data)

    @get("/sectors", **access(REG, RA, FR, errors=(422,)))
    async def sectors(self, year: YearQuery, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        """Energy, scope 1 and scope 2 CO2 by 两高 sector, with the change on the previous year."""
        data = await stats.breakdown(db, year, "sector")
        return _breakdown_csv(data, "sector", "行业") if wants_csv(request) else Response(data)
