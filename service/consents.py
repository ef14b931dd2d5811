"""Use cases for consent: the bank directory, granting, withdrawing, a bank's sync list,
and the one question every bank read asks: which active consent covers this read?"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Purpose, Scope, check_expiry
from domain.errors import InvalidField, NotFound, StateConflict
from domain.organisations import OrgKind, OrgStatus
from domain.webhooks import EventType
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import Consent, Enterprise, Organisation
from service.filings import visible_enterprise
from service.webhooks.outbox import emit

__all__ = ["active_consent", "bank_consents", "banks", "consents_of", "end_consent", "grant", "withdraw"]


async def banks(db: AsyncSession) -> list[Organisation]:
    stmt = select(Organisation).where(
        Organisation.kind == OrgKind.BANK.value, Organisation.status == OrgStatus.ACTIVE.value
    )
    return list(await db.scalars(stmt.order_by(Organisation.name, Organisation.id)))


async def grant(
    db: AsyncSession,
    actor: Principal,
    uscc: str,
    *,
    bank_org_id: uuid.UUID,
    purpose: Purpose,
    scope: Scope,
    expires_at: dt.datetime,
) -> tuple[Consent, Organisation]:
    ent = await visible_enterprise(db, actor, uscc)
    now = dt.datetime.now(dt.UTC)
    check_expiry(expires_at, now)
    bank = await db.get(Organisation, bank_org_id)
    if bank is None or bank.kind != OrgKind.BANK.value or bank.status != OrgStatus.ACTIVE.value:
        raise InvalidField("bank_org_id", "is not an active bank (GET /v1/banks lists them)")
    consent = Consent(
        enterprise_id=ent.enterprise_id,
        bank_org_id=bank.id,
        purpose=purpose.value,
        scope=scope.value,
        expires_at=expires_at,
        created_by_client_id=actor.client_id,
        updated_at=await _stamp(db),
    )
    db.add(consent)
    await db.flush()
    await db.refresh(consent)
    await record_event(db, actor, "consent.grant", f"consent:{consent.id}", bank_org_id=bank.id, scope=scope.value)
    return consent, bank


async def consents_of(db: AsyncSession, actor: Principal, uscc: str) -> list[tuple[Consent, Organisation]]:
    ent = await visible_enterprise(db, actor, uscc)
    stmt = (
        select(Consent, Organisation)
        .join(Organisation, Organisation.id == Consent.bank_org_id)
        .where(Consent.enterprise_id == ent.enterprise_id)
        .order_by(Consent.created_at.desc(), Consent.id)
    )
    return [(r.Consent, r.Organisation) for r in (await db.execute(stmt)).all()]


async def withdraw(
    db: AsyncSession, actor: Principal, uscc: str, consent_id: uuid.UUID
) -> tuple[Consent, Organisation]:
    ent = await visible_enterprise(db, actor, uscc)
    row = (
        await db.execute(
            select(Consent, Organisation)
            .join(Organisation, Organisation.id == Consent.bank_org_id)
            .where(Consent.id == consent_id, Consent.enterprise_id == ent.enterprise_id)
            .with_for_update(of=Consent)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such consent.")
    consent = row.Consent
    if consent.withdrawn_at is not None:
        raise StateConflict("the consent is already withdrawn")
    await end_consent(db, actor, consent, uscc)
    return consent, row.Organisation


async def end_consent(db: AsyncSession, actor: Principal, consent: Consent, uscc: str) -> None:
    """Withdraw an active consent (the enterprise's own act, or its financing request closing):
    stamped for the banks' sync, audited, and the bank told (`consent.withdrawn`)."""
    now = await _stamp(db)
    consent.withdrawn_at, consent.withdrawn_by_client_id, consent.updated_at = now, actor.client_id, now
    await db.flush()
    await record_event(db, actor, "consent.withdraw", f"consent:{consent.id}")
    data = {"consent_id": str(consent.id), "uscc": uscc}
    await emit(db, [(consent.enterprise_id, EventType.CONSENT_WITHDRAWN, data)], only_bank=consent.bank_org_id)


async def bank_consents(
    db: AsyncSession,
    actor: Principal,
    *,
    updated_since: dt.datetime | None,
    after: tuple[dt.datetime, uuid.UUID] | None,
    limit: int,
) -> tuple[list[tuple[Consent, str, str]], bool]:
    """The bank's consents (withdrawn and expired ones too, so a sync sees them), oldest change
    first, each with the enterprise's USCC and the bank's name."""
    stmt = (
        select(Consent, Enterprise.uscc, Organisation.name)
        .join(Enterprise, Enterprise.enterprise_id == Consent.enterprise_id)
        .join(Organisation, Organisation.id == Consent.bank_org_id)
        .where(Consent.bank_org_id == actor.org_id)
        .order_by(Consent.updated_at, Consent.id)
        .limit(limit + 1)
    )
    if updated_since is not None:
        stmt = stmt.where(Consent.updated_at >= updated_since)
    if after is not None:
        stmt = stmt.where(tuple_(Consent.updated_at, Consent.id) > tuple_(*after))
    stmt = stmt.where(Consent.updated_at < await _sync_horizon(db))
    rows = [(r.Consent, r.uscc, r.name) for r in (await db.execute(stmt)).all()]
    return rows[:limit], len(rows) > limit


async def _stamp(db: AsyncSession) -> dt.datetime:
    """The change's time, taken once this transaction holds the consents table's writer lock.

    ROW EXCLUSIVE conflicts with no other writer or reader; it only makes this transaction
    visible to `_sync_horizon` from before its stamp until its commit.
    """
    await db.execute(text("LOCK TABLE consents IN ROW EXCLUSIVE MODE"))
    return (await db.scalar(select(func.clock_timestamp()))) or dt.datetime.now(dt.UTC)


_HORIZON = text(
    """
    SELECT least(now(), min(a.xact_start)) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'relation' AND l.relation = 'consents'::regclass AND l.mode = 'RowExclusiveLock'
      AND l.granted AND l.pid <> pg_backend_pid()
    """
)


async def _sync_horizon(db: AsyncSession) -> dt.datetime:
    """Every change stamped before this is committed: a bank's cursor never passes a late commit.

    A writer stamps its change after taking the consents lock (`_stamp`) and commits later.
    A writer holding the lock now began before its stamp, so changes below the oldest such
    writer's start are all visible; a writer that locks after this query stamps later than it.
    """
    return (await db.scalar(_HORIZON)) or dt.datetime.now(dt.UTC)


async def active_consent(
    db: AsyncSession, bank_org_id: uuid.UUID, enterprise_id: uuid.UUID, needed: Scope = Scope.GRADE_ONLY
) -> Consent | None:
    """The bank's widest active consent from the enterprise that covers `needed`, if any."""
    scopes = [Scope.FULL.value] if needed is Scope.FULL else [Scope.FULL.value, Scope.GRADE_ONLY.value]
    stmt = (
        select(Consent)
        .where(
            Consent.bank_org_id == bank_org_id,
            Consent.enterprise_id == enterprise_id,
            Consent.withdrawn_at.is_(None),
            Consent.expires_at > dt.datetime.now(dt.UTC),
            or_(*(Consent.scope == s for s in scopes)),
        )
        .order_by(Consent.scope, Consent.expires_at.desc())  # 'full' < 'grade_only': the widest scope first
        .limit(1)
    )
    return await db.scalar(stmt)
