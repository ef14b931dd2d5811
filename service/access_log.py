"""The access log: every read of a rating or certificate by a bank or a regulator, written in
the same transaction as the read (a refused read is never logged)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations import OrgKind
from service.auth.principal import Principal
from service.db.models import AccessLogEntry, Consent, Enterprise, Organisation
from service.filings import visible_enterprise

__all__ = ["LOGGED_KINDS", "access_log", "log_read"]

LOGGED_KINDS = frozenset({OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR})


async def log_read(
    db: AsyncSession,
    actor: Principal,
    enterprise_id: uuid.UUID,
    what: str,
    resource_id: uuid.UUID | str | None,
    consent: Consent | None = None,
    scope: str | None = None,
) -> None:
    """Record the read if the caller is a bank or a regulator; the enterprise's own reads are not logged."""
    if actor.kind not in LOGGED_KINDS:
        return
    db.add(
        AccessLogEntry(
            client_id=actor.client_id,
            org_id=actor.org_id,
            org_kind=actor.kind.value,
            enterprise_id=enterprise_id,
            consent_id=consent.id if consent else None,
            purpose=consent.purpose if consent else "supervision",
            what=what,
            resource_id=str(resource_id) if resource_id is not None else None,
            scope=scope or (consent.scope if consent else None),
        )
    )
    await db.flush()


async def access_log(
    db: AsyncSession,
    actor: Principal,
    *,
    uscc: str | None,
    org_id: uuid.UUID | None,
    before: int | None,
    limit: int,
) -> tuple[list[tuple[AccessLogEntry, str, str]], bool]:
    """Newest first: (entry, reader's organisation name, the enterprise's USCC); and whether more follow."""
    stmt = (
        select(AccessLogEntry, Organisation.name, Enterprise.uscc)
        .join(Organisation, Organisation.id == AccessLogEntry.org_id)
        .join(Enterprise, Enterprise.enterprise_id == AccessLogEntry.enterprise_id)
        .order_by(AccessLogEntry.id.desc())
        .limit(limit + 1)
    )
    if uscc is not None:
        ent = await visible_enterprise(db, actor, uscc)
        stmt = stmt.where(AccessLogEntry.enterprise_id == ent.enterprise_id)
    if org_id is not None:
        stmt = stmt.where(AccessLogEntry.org_id == org_id)
    if before is not None:
        stmt = stmt.where(AccessLogEntry.id < before)
    rows = [(r.AccessLogEntry, r.name, r.uscc) for r in (await db.execute(stmt)).all()]
    return rows[:limit], len(rows) > limit
