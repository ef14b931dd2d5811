"""`/v1/policy/consequences`: the regulator lists of 政策集成 (the 关停/改造 list, the 阶梯电价
list with its yuan, the coal units to convert…), cursor-paged JSON or (Accept: text/csv) CSV in
UTF-8 with a byte-order mark, like the stats tables. Every row names its rule and source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from domain.districts import DISTRICTS
from domain.industry import Sector
from domain.organisations import OrgKind
from domain.policy.model import ConsequenceKind, PolicySource
from domain.sourced import Confidence
from service.api.csv_response import csv_response, wants_csv
from service.api.pagination import DEFAULT_LIMIT, Limit, YearQuery, cursor_error, decode_cursor, encode_cursor
from service.auth.access import access
from service.db.session import DB
from service.display import SECTOR_NAMES, yuan
from service.policy import lists as use

__all__ = ["HEADER", "ConsequenceItem", "ConsequencePage", "PolicyListController", "consequence_row"]

REG, RA, FR = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR


class ProductRef(msgspec.Struct, kw_only=True):
    code: str
    name: str
    line: str
    """The filing's product line (`products[1]`): two units of one product are two lines."""


class ConsequenceItem(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    district: str
    sector: str
    year: int
    kind: ConsequenceKind
    rule_id: str
    """The rule of the policy set (GET /v1/policy-sets/{id}) that gave the consequence."""
    title_zh: str
    title_en: str
    product: ProductRef | None
    """The product line a product rule matched; None for an enterprise rule."""
    deadline: dt.date | None
    action: str | None
    surcharge_yuan_per_kwh: Decimal | None
    electricity_kwh: Decimal | None
    amount_yuan: Decimal | None
    """阶梯电价/差别电价 for the filing year: yuan per kWh × the kWh it applies to, to the fen."""
    figures: dict[str, Any]
    """The value of each fact the rule's conditions named: what triggered it."""
    source: PolicySource
    confidence: Confidence
    provisional: bool
    """The rule's source was not read (UNCONFIRMED, MEM+GB): say so wherever this is shown."""
    note: str | None
    policy_set_version: int
    """The policy-set version the enterprise-year's stored sheet was computed under."""

    @classmethod
    def of(cls, x: use.Listed) -> ConsequenceItem:
        c = x.document
        subject = c.get("subject")
        product = ProductRef(code=subject["product"], name=subject["name"], line=subject["line"]) if subject else None

        def dec(key: str) -> Decimal | None:
            return None if c.get(key) is None else Decimal(str(c[key]))

        return cls(uscc=x.uscc, name=x.name, district=x.district, sector=x.sector, year=x.year,
                   kind=ConsequenceKind(c["kind"]), rule_id=c["rule_id"], title_zh=c["title_zh"],
                   title_en=c["title_en"], product=product,
                   deadline=dt.date.fromisoformat(c["deadline"]) if c.get("deadline") else None,
                   action=c.get("action"), surcharge_yuan_per_kwh=dec("surcharge_yuan_per_kwh"),
                   electricity_kwh=dec("electricity_kwh"), amount_yuan=dec("amount_yuan"), figures=c["figures"],
                   source=msgspec.convert(c["source"], PolicySource), confidence=Confidence(c["confidence"]),
                   provisional=c["provisional"], note=c.get("note"), policy_set_version=x.policy_set_version)  # fmt: skip


class ConsequencePage(msgspec.Struct, kw_only=True):
    items: list[ConsequenceItem]
    next_cursor: str | None = None
    """Pass as `cursor` to get the next page; absent on the last page."""
    consequences: int
    """How many rows the filter selects (every page, not this one)."""
    enterprises: int
    """How many enterprises they fall on."""
    amount_yuan: Decimal
    """The yuan total (阶梯电价/差别电价) of every row the filter selects."""


HEADER = ["统一社会信用代码 USCC", "企业 name", "区县代码 district", "区县名称 district name", "行业代码 sector",
          "行业名称 sector name", "年度 year", "后果 kind", "后果名称 kind name", "规则 rule", "标题 title",
          "title (en)", "产品 product", "产品名称 product name", "期限 deadline", "措施 action",
          "加价 yuan/kWh", "电量 kWh", "金额 yuan", "触发数据 figures", "依据 source", "条款 article", "网址 url",
          "可信度 confidence", "依据未经确认 provisional", "政策集版本 policy set version"]  # fmt: skip


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def consequence_row(i: ConsequenceItem) -> list[Any]:
    """One CSV row: the figures as `fact=value; …`, the yuan by the display rule (to the fen)."""
    figures = "; ".join(f"{k}={_cell(v)}" for k, v in i.figures.items())
    product = (i.product.code, i.product.name) if i.product else ("", "")
    return [i.uscc, i.name, i.district, DISTRICTS.get(i.district, i.district), i.sector,
            SECTOR_NAMES.get(i.sector, i.sector), i.year, i.kind.value, use.KIND_NAMES[i.kind], i.rule_id,
            i.title_zh, i.title_en, *product, _cell(i.deadline), _cell(i.action), _cell(i.surcharge_yuan_per_kwh),
            _cell(i.electricity_kwh), "" if i.amount_yuan is None else yuan(i.amount_yuan, grouping=False), figures,
            i.source.document, i.source.article, _cell(i.source.url), i.confidence.value,
            "是" if i.provisional else "否", i.policy_set_version]  # fmt: skip


def _after(cursor: str | None) -> tuple[str, int] | None:
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    uscc, _, ident = raw.partition("|")
    if not ident.isdigit():
        raise cursor_error()
    return uscc, int(ident)


class PolicyListController(Controller):
    path = "/v1/policy"
    tags = ["policy"]

    @get("/consequences", **access(REG, RA, FR, errors=(422,)))
    async def consequences(
        self,
        year: YearQuery,
        request: Request[Any, Any, Any],
        db: DB,
        kind: FromQuery[ConsequenceKind | None] = None,
        district: FromQuery[str | None] = None,
        sector: FromQuery[Sector | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Response[ConsequencePage]:
        """Every consequence of the year's stored policy sheets, by kind (`phase_out_listed` and
        `retrofit_required`: the 关停/改造 list; `power_surcharge`: the surcharge list;
        `coal_unit_conversion`: the coal units to convert), district and sector, ordered by USCC,
        with the rule, its source and the figures that triggered it, and the totals (rows,
        enterprises, yuan) of the whole filter. Each listed enterprise's read is logged
        (`policy`). With Accept: text/csv, every row of the filter at once (no pages)."""
        filters = use.ConsequenceFilter(year=year, kind=kind, district=district, sector=sector)
        csv = wants_csv(request)
        rows, more, totals = await use.list_consequences(
            db, request.user, filters, after=None if csv else _after(cursor), limit=None if csv else limit
        )
        items = [ConsequenceItem.of(r) for r in rows]
        if csv:
            return csv_response([HEADER, *(consequence_row(i) for i in items)])  # type: ignore[return-value]
        last = rows[-1] if rows else None
        return Response(
            ConsequencePage(
                items=items,
                next_cursor=encode_cursor(f"{last.uscc}|{last.row_id}") if more and last else None,
                consequences=totals.consequences,
                enterprises=totals.enterprises,
                amount_yuan=totals.amount_yuan,
            )
        )
