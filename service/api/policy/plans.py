"""Retrofit plans (改造方案): `/v1/enterprises/{uscc}/retrofit-plans` (the enterprise files; it,
regulators and, under `full` consent, a bank read), `/v1/retrofit-plans` (the regulators'
worklist) and a regulator's decision."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, PathParameter

from domain.factors import Year
from domain.filings import Sha256
from domain.organisations import OrgKind
from service.api.pagination import DEFAULT_LIMIT, Limit, Page, decode_time_id, encode_time_id
from service.auth.access import access
from service.db.base import as_filed
from service.db.models import Enterprise, RetrofitPlan
from service.db.session import DB
from service.idempotency import idempotent
from service.policy import plans as use

__all__ = ["PlanCreate", "PlanDecision", "PlanRead", "RetrofitPlanController"]

E, B, REG, RA, FR = (OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY,
                     OrgKind.FINANCE_REGULATOR)  # fmt: skip
Uscc = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]
PlanId = Annotated[uuid.UUID, PathParameter(description="The plan's id")]
Status = Literal["submitted", "accepted", "returned"]


class PlanCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    year: Year
    """The filing year whose current account shows the product below 基准."""
    product: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    """The product code (GET /v1/benchmark-editions lists them)."""
    target_unit_energy_use: Decimal
    """The unit energy use the plan reaches, in the product's indicator unit: > 0 and at or below 基准."""
    measures: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    """The retrofit measures (技改措施)."""
    investment_wan: Decimal
    """The planned investment, 万元 (≥ 0)."""
    completion_date: dt.date
    document_sha256: Annotated[Sha256, msgspec.Meta(description="SHA-256 of the plan document, lowercase hex")]

    def input(self) -> use.PlanInput:
        return use.PlanInput(**msgspec.structs.asdict(self))


class PlanDecision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["accept", "return"]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | None = None
    """Required to return a plan: what the enterprise must change in the next one."""


class PlanRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    name: str
    district: str
    year: int
    product: str
    target_unit_energy_use: Decimal
    unit: str
    """The product's indicator unit (e.g. kgce/t)."""
    measures: str
    investment_wan: Decimal
    completion_date: dt.date
    document_sha256: str
    status: str
    """submitted | accepted | returned (a returned plan stays; the enterprise files a new one)."""
    decision_reason: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, p: RetrofitPlan, ent: Enterprise) -> PlanRead:
        return cls(id=p.id, uscc=ent.uscc, name=ent.name, district=ent.district, year=p.year, product=p.product,
                   target_unit_energy_use=as_filed(p.target_unit_energy_use), unit=p.unit, measures=p.measures,
                   investment_wan=as_filed(p.investment_wan), completion_date=p.completion_date,
                   document_sha256=p.document_sha256, status=p.status, decision_reason=p.decision_reason,
                   decided_at=p.decided_at, created_at=p.created_at)  # fmt: skip


class RetrofitPlanController(Controller):
    path = "/v1"
    tags = ["policy"]

    @post("/enterprises/{uscc:str}/retrofit-plans", **access(E, errors=(404, 409, 413, 422)))
    async def file(
        self, uscc: Uscc, data: JSONBody[PlanCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[PlanRead]:
        """The enterprise files a plan for a product its current account of `year` shows below 基准:
        a target at or below 基准, the measures, the investment, the completion date, the document's
        SHA-256. One submitted plan per product at a time (409). The sheets of `year` and later
        years follow at once (transition finance: rule transition.retrofit-plan)."""

        async def run() -> PlanRead:
            return PlanRead.of(*await use.file_plan(db, request.user, uscc, data.input()))

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/retrofit-plans", **access(E, B, REG, RA, FR, errors=(404,)))
    async def of_enterprise(self, uscc: Uscc, request: Request[Any, Any, Any], db: DB) -> list[PlanRead]:
        """Every plan the enterprise filed, oldest first. The enterprise itself, regulators, the
        rating authority, the finance regulator; a bank under `full` consent (the read is logged)."""
        ent, plans = await use.plans_of(db, request.user, uscc)
        return [PlanRead.of(p, ent) for p in plans]

    @get("/retrofit-plans", **access(REG, RA, errors=(422,)))
    async def worklist(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        status: FromQuery[Status | None] = None,
        district: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[PlanRead]:
        """Every enterprise's plans, oldest first, by status and district (`status=submitted`: the
        plans awaiting a decision). Each listed enterprise's read is logged."""
        filters = use.PlanFilter(status=status, district=district)
        rows, more = await use.list_plans(db, request.user, filters, after=decode_time_id(cursor), limit=limit)
        last = rows[-1][0] if rows else None
        return Page(
            items=[PlanRead.of(p, ent) for p, ent in rows],
            next_cursor=encode_time_id(last.created_at, last.id) if more and last else None,
        )

    @post("/retrofit-plans/{plan_id:uuid}/decision", status_code=200, **access(REG, errors=(404, 409, 413, 422)))
    async def decide(
        self, plan_id: PlanId, data: JSONBody[PlanDecision], request: Request[Any, Any, Any], db: DB
    ) -> PlanRead:
        """A regulator accepts or returns a submitted plan, once (a second decision is 409); a
        return needs a reason. The enterprise's sheets of the plan's year and later follow."""
        plan, ent = await use.decide_plan(
            db, request.user, plan_id, accept=data.decision == "accept", reason=data.reason
        )
        return PlanRead.of(plan, ent)
