"""`/v1/enterprises`: public registration, the profile, the regulator's decision and list."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, PathParameter

from domain.industry import Sector
from domain.organisations import OrgKind, OrgStatus
from service import enterprises as use
from service.api.admin.schemas import ClientCredentials
from service.api.enterprises.schemas import ApprovalDecision, EnterpriseRead, Registered, RegisterEnterprise
from service.api.pagination import DEFAULT_LIMIT, Limit, Page, decode_cursor, encode_cursor
from service.auth.access import access, limit_by_address, public
from service.db.session import DB
from service.idempotency import idempotent

__all__ = ["EnterpriseController"]

E, REG, RA = OrgKind.ENTERPRISE, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
USCC = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]


def _redact(value: Registered) -> Registered:
    client = ClientCredentials(client_id=value.client.client_id, org_id=value.client.org_id, name=value.client.name)
    return msgspec.structs.replace(value, client=client)


class EnterpriseController(Controller):
    path = "/v1/enterprises"
    tags = ["enterprises"]

    @post("/", **public(errors=(409, 413, 422, 429)))
    async def register(
        self, data: JSONBody[RegisterEnterprise], request: Request[Any, Any, Any], db: DB
    ) -> Response[Registered]:
        """Register an enterprise: pending until a regulator approves; its first client's secret is shown once.
        Limited per address (RATE_LIMIT_PER_MINUTE)."""
        await limit_by_address(request, "register")

        async def run() -> Registered:
            ent, org, client, secret = await use.register(
                db, uscc=data.uscc, name=data.name, district=data.district, zone=data.zone, industry=data.industry
            )
            credentials = ClientCredentials(
                client_id=client.client_id, org_id=client.org_id, name=client.name, client_secret=secret
            )
            return Registered(enterprise=EnterpriseRead.of(ent, org), client=credentials)

        return await idempotent(request, db, run, redact=_redact, anonymous_scope=f"uscc:{data.uscc}")

    @get("/{uscc:str}", **access(E, REG, RA, pending_ok=True, errors=(404,)))
    async def read(self, uscc: USCC, db: DB) -> EnterpriseRead:
        """The enterprise's profile: the enterprise itself (even while pending), regulators and the rating authority."""
        return EnterpriseRead.of(*await use.get_enterprise(db, uscc))

    @post("/{uscc:str}/approval", status_code=200, **access(REG, errors=(404, 409, 413, 422)))
    async def approval(
        self, uscc: USCC, data: JSONBody[ApprovalDecision], request: Request[Any, Any, Any], db: DB
    ) -> EnterpriseRead:
        """Approve (status `active`) or reject (status `rejected`) a pending registration."""
        return EnterpriseRead.of(*await use.decide(db, request.user, uscc, data.decision, data.reason))

    @get("/", **access(REG, RA, errors=(422,)))
    async def list_enterprises(
        self,
        db: DB,
        district: FromQuery[str | None] = None,
        zone: FromQuery[str | None] = None,
        sector: FromQuery[Sector | None] = None,
        industry: FromQuery[str | None] = None,
        status: FromQuery[OrgStatus | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[EnterpriseRead]:
        """Enterprises by district, zone, sector, industry and status, ordered by USCC."""
        filters = use.EnterpriseFilter(district=district, zone=zone, sector=sector, industry=industry, status=status)
        rows, more = await use.list_enterprises(db, filters, after=decode_cursor(cursor), limit=limit)
        return Page(
            items=[EnterpriseRead.of(ent, org) for ent, org in rows],
            next_cursor=encode_cursor(rows[-1][0].uscc) if more else None,
        )
