"""Use cases for enterprises: registration, the regulator's decision, reads and lists."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.districts import validate_district, validate_zone
from domain.errors import Conflict, NotFound
from domain.industry import Sector, classify
from domain.organisations import Decision, OrgKind, OrgStatus, decide_registration
from domain.uscc import validate_uscc
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import ApiClient, Enterprise, Organisation
from service.organisations import create_client, create_organisation

__all__ = ["EnterpriseFilter", "decide", "enterprises_query", "get_enterprise", "list_enterprises", "register"]


async def register(
    db: AsyncSession, *, uscc: str, name: str, district: str, zone: str | None, industry: str
) -> tuple[Enterprise, Organisation, ApiClient, str]:
    """A pending enterprise and its first client. Every rule is checked before any write."""
    validate_uscc(uscc)
    validate_district(district)
    validate_zone(zone)
    industry_class = classify(industry)
    if await db.scalar(select(Enterprise.enterprise_id).where(Enterprise.uscc == uscc)) is not None:
        raise Conflict(f"An enterprise with USCC {uscc} is already registered.")
    org = await create_organisation(db, None, kind=OrgKind.ENTERPRISE, name=name, status=OrgStatus.PENDING)
    ent = Enterprise(
        enterprise_id=org.id,
        uscc=uscc,
        name=name,
        district=district,
        zone=zone,
        industry=industry,
        sector=industry_class.sector.value,
        registered_at=org.created_at,
    )
    db.add(ent)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent twin registration loses here; the request rolls back
        if "uq_enterprises_uscc" not in str(exc.orig):
            raise
        raise Conflict(f"An enterprise with USCC {uscc} is already registered.") from exc
    client, secret = await create_client(db, None, org_id=org.id, name="primary")
    await record_event(db, None, "enterprise.register", f"enterprise:{uscc}")
    return ent, org, client, secret


def enterprises_query() -> Select[tuple[Enterprise, Organisation]]:
    return select(Enterprise, Organisation).join(Organisation, Organisation.id == Enterprise.enterprise_id)


async def get_enterprise(db: AsyncSession, uscc: str, *, for_update: bool = False) -> tuple[Enterprise, Organisation]:
    stmt = enterprises_query().where(Enterprise.uscc == uscc)
    if for_update:
        stmt = stmt.with_for_update(of=Organisation)
    row = (await db.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("No such enterprise.")
    return row.Enterprise, row.Organisation


async def decide(
    db: AsyncSession, actor: Principal, uscc: str, decision: Decision, reason: str | None
) -> tuple[Enterprise, Organisation]:
    """A regulator approves or rejects a pending registration (a rejected one's tokens stop)."""
    ent, org = await get_enterprise(db, uscc, for_update=True)
    org.status = decide_registration(OrgStatus(org.status), decision).value
    org.status_changed_at = dt.datetime.now(dt.UTC)
    org.status_changed_by_client_id = actor.client_id
    org.status_reason = reason
    await db.flush()
    await record_event(db, actor, f"enterprise.{decision.value}", f"enterprise:{uscc}", reason=reason or "")
    return ent, org


class EnterpriseFilter(msgspec.Struct, frozen=True, kw_only=True):
    district: str | None = None
    zone: str | None = None
    sector: Sector | None = None
    industry: str | None = None
    status: OrgStatus | None = None


async def list_enterprises(
    db: AsyncSession, filters: EnterpriseFilter, *, after: str | None, limit: int
) -> tuple[list[tuple[Enterprise, Organisation]], bool]:
    """One page ordered by USCC, and whether more follow."""
    stmt = enterprises_query().order_by(Enterprise.uscc).limit(limit + 1)
    for column, value in (
        (Enterprise.district, filters.district),
        (Enterprise.zone, filters.zone),
        (Enterprise.sector, filters.sector),
        (Enterprise.industry, filters.industry),
        (Organisation.status, filters.status),
    ):
        if value is not None:
            stmt = stmt.where(column == str(value))
    if after is not None:
        stmt = stmt.where(Enterprise.uscc > after)
    rows = [(r.Enterprise, r.Organisation) for r in (await db.execute(stmt)).all()]
    return rows[:limit], len(rows) > limit
