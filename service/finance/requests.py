"""Financing requests: an enterprise sends one request to one or more banks. Sending grants each
bank a consent (the existing model) of the request's scope until the request's end; each bank
answers (received → under_review → approved | declined, final); when every bank has given its
final answer, or the enterprise withdraws the request, it closes and the consents end. Every bank
and regulator read and every answer is in the enterprise's access log."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Purpose, Scope, check_expiry
from domain.errors import InvalidField, NotFound, StateConflict
from domain.finance.requests import FINAL, AnswerStatus, check_answer, check_banks
from domain.organisations import OrgKind, OrgStatus
from domain.webhooks import EventType
from service.access_log import log_read
from service.audit import record_event
from service.auth.principal import Principal
from service.consents import end_consent, grant
from service.db.keyset import after_time_id
from service.db.models import (
    Consent,
    Enterprise,
    FinanceProductRecord,
    FinancingAnswer,
    FinancingRecipient,
    FinancingRequest,
    Organisation,
)
from service.enterprises import get_enterprise
from service.filings import visible_enterprise
from service.finance.view import rating_view
from service.webhooks.outbox import emit

__all__ = [
    "Answer",
    "Listed",
    "NewRequest",
    "RequestFilter",
    "Target",
    "answer",
    "list_requests",
    "one_request",
    "requests_of",
    "send",
    "withdraw",
]

BEIJING = ZoneInfo("Asia/Shanghai")
MISSING = "No such financing request."
SEES_ALL = frozenset({OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR})


class Target(msgspec.Struct, frozen=True, kw_only=True):
    bank_org_id: uuid.UUID
    product_id: uuid.UUID | None = None


class NewRequest(msgspec.Struct, frozen=True, kw_only=True):
    amount_yuan: Decimal
    purpose: Purpose
    use_of_proceeds: str
    term_months: int
    scope: Scope
    expires_at: dt.datetime
    banks: list[Target]


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    status: AnswerStatus
    amount_yuan: Decimal | None = None
    rate_percent: Decimal | None = None
    margin_bp: int | None = None
    reason: str | None = None


class Listed(msgspec.Struct, kw_only=True):
    """A request with what the caller may see of it: every recipient for the enterprise and the
    regulators, only its own for a bank; each recipient's answers, oldest first."""

    request: FinancingRequest
    uscc: str
    name: str
    district: str
    sector: str
    recipients: list[tuple[FinancingRecipient, str, list[FinancingAnswer]]]  # (row, bank name, answers)


class RequestFilter(msgspec.Struct, frozen=True, kw_only=True):
    year: int | None = None
    status: str | None = None
    district: str | None = None
    bank_org_id: uuid.UUID | None = None


def _is_open(req: FinancingRequest, now: dt.datetime) -> bool:
    return req.status == "open" and req.expires_at > now


async def _check_targets(db: AsyncSession, targets: list[Target], today: dt.date) -> dict[uuid.UUID, Organisation]:
    check_banks([str(t.bank_org_id) for t in targets])
    banks = {
        o.id: o
        for o in await db.scalars(select(Organisation).where(Organisation.id.in_([t.bank_org_id for t in targets])))
    }
    for i, t in enumerate(targets):
        bank = banks.get(t.bank_org_id)
        if bank is None or bank.kind != OrgKind.BANK.value or bank.status != OrgStatus.ACTIVE.value:
            raise InvalidField(f"banks[{i}].bank_org_id", "is not an active bank (GET /v1/banks lists them)")
        if t.product_id is None:
            continue
        product = await db.get(FinanceProductRecord, t.product_id)
        if product is None or product.bank_org_id != t.bank_org_id:
            raise InvalidField(f"banks[{i}].product_id", "is not a product of that bank")
        if not product.valid_from <= today <= product.valid_to:
            raise InvalidField(f"banks[{i}].product_id", f"is valid {product.valid_from} to {product.valid_to}")
    return banks


async def send(db: AsyncSession, actor: Principal, uscc: str, data: NewRequest) -> FinancingRequest:
    """One request, one consent per bank (purpose and scope of the request, ending at its
    `expires_at` at the latest), the rating the banks will see pinned, `financing.requested` to each."""
    ent = await visible_enterprise(db, actor, uscc)
    now = dt.datetime.now(dt.UTC)
    check_expiry(data.expires_at, now)
    if data.amount_yuan <= 0:
        raise InvalidField("amount_yuan", "must be more than 0")
    if not data.use_of_proceeds.strip():
        raise InvalidField("use_of_proceeds", "say what the money is for")
    await _check_targets(db, data.banks, now.astimezone(BEIJING).date())
    view = await rating_view(db, ent.enterprise_id)
    req = FinancingRequest(
        id=uuid.uuid4(), enterprise_id=ent.enterprise_id, year=now.astimezone(BEIJING).year,
        amount_yuan=data.amount_yuan, purpose=data.purpose.value, use_of_proceeds=data.use_of_proceeds,
        term_months=data.term_months, scope=data.scope.value, expires_at=data.expires_at, status="open",
        rating_id=uuid.UUID(view.rating_id) if view.rating_id else None, rating_year=view.year,
        colour=view.colour, grade=view.grade, consequence_kinds=sorted(view.consequences),
        created_by_client_id=actor.client_id,
    )  # fmt: skip
    db.add(req)
    await db.flush()
    for t in data.banks:
        consent, _ = await grant(db, actor, uscc, bank_org_id=t.bank_org_id, purpose=data.purpose,
                                 scope=data.scope, expires_at=data.expires_at)  # fmt: skip
        db.add(FinancingRecipient(request_id=req.id, enterprise_id=ent.enterprise_id, bank_org_id=t.bank_org_id,
                                  product_id=t.product_id, consent_id=consent.id, status="received"))  # fmt: skip
        event = {"request_id": str(req.id), "uscc": uscc, "amount_yuan": str(data.amount_yuan),
                 "purpose": data.purpose.value, "product_id": str(t.product_id) if t.product_id else None}  # fmt: skip
        await emit(db, [(ent.enterprise_id, EventType.FINANCING_REQUESTED, event)], only_bank=t.bank_org_id)
    await db.flush()
    await record_event(db, actor, "financing_request.sent", f"financing_request:{req.id}",
                       banks=[str(t.bank_org_id) for t in data.banks], amount_yuan=str(data.amount_yuan))  # fmt: skip
    return req


def _joined() -> Select[tuple[FinancingRequest, Enterprise]]:
    return select(FinancingRequest, Enterprise).join(
        Enterprise, Enterprise.enterprise_id == FinancingRequest.enterprise_id
    )


async def _recipients(
    db: AsyncSession, request_ids: list[uuid.UUID], bank: uuid.UUID | None
) -> dict[uuid.UUID, list[tuple[FinancingRecipient, str, list[FinancingAnswer]]]]:
    stmt = (
        select(FinancingRecipient, Organisation.name)
        .join(Organisation, Organisation.id == FinancingRecipient.bank_org_id)
        .where(FinancingRecipient.request_id.in_(request_ids))
        .order_by(FinancingRecipient.created_at, Organisation.name, FinancingRecipient.id)
    )
    if bank is not None:
        stmt = stmt.where(FinancingRecipient.bank_org_id == bank)
    rows = (await db.execute(stmt)).all()
    answers: dict[uuid.UUID, list[FinancingAnswer]] = {}
    ids = [r.FinancingRecipient.id for r in rows]
    for a in await db.scalars(
        select(FinancingAnswer).where(FinancingAnswer.recipient_id.in_(ids)).order_by(FinancingAnswer.id)
    ):
        answers.setdefault(a.recipient_id, []).append(a)
    out: dict[uuid.UUID, list[tuple[FinancingRecipient, str, list[FinancingAnswer]]]] = {}
    for r in rows:
        rec = r.FinancingRecipient
        out.setdefault(rec.request_id, []).append((rec, r.name, answers.get(rec.id, [])))
    return out


async def _listed(db: AsyncSession, rows: list[tuple[FinancingRequest, Enterprise]], actor: Principal) -> list[Listed]:
    bank = actor.org_id if actor.kind is OrgKind.BANK else None
    recipients = await _recipients(db, [req.id for req, _ in rows], bank)
    return [
        Listed(request=req, uscc=ent.uscc, name=ent.name, district=ent.district, sector=ent.sector,
               recipients=recipients.get(req.id, []))
        for req, ent in rows
    ]  # fmt: skip


async def _log(db: AsyncSession, actor: Principal, listed: list[Listed], what: str) -> None:
    """A bank's read under the request's consent; a regulator's as supervision."""
    consents: dict[uuid.UUID, Consent] = {}
    if actor.kind is OrgKind.BANK:  # one query for the page's consents, not one per request
        ids = [item.recipients[0][0].consent_id for item in listed if item.recipients]
        consents = {c.id: c for c in await db.scalars(select(Consent).where(Consent.id.in_(ids)))}
    for item in listed:
        consent = consents.get(item.recipients[0][0].consent_id) if consents and item.recipients else None
        await log_read(db, actor, item.request.enterprise_id, what, str(item.request.id), consent)


async def requests_of(db: AsyncSession, actor: Principal, uscc: str) -> list[Listed]:
    """The enterprise's requests, newest first (the enterprise itself, the regulators, the rating
    authority and the finance bureau)."""
    ent, _ = await get_enterprise(db, uscc)
    if not (actor.owns(uscc) or actor.kind in SEES_ALL):
        raise NotFound("No such enterprise.")
    stmt = _joined().where(FinancingRequest.enterprise_id == ent.enterprise_id)
    rows = (await db.execute(stmt.order_by(FinancingRequest.created_at.desc(), FinancingRequest.id))).all()
    listed = await _listed(db, [(r.FinancingRequest, r.Enterprise) for r in rows], actor)
    await _log(db, actor, listed, "financing_request")
    return listed


async def list_requests(
    db: AsyncSession, actor: Principal, f: RequestFilter, *, after: tuple[dt.datetime, uuid.UUID] | None, limit: int
) -> tuple[list[Listed], bool]:
    """A bank: the requests sent to it; the finance bureau, regulators and the rating authority:
    every request. Oldest first, by year, status, district and bank. Each read is logged."""
    stmt = _joined()
    if actor.kind is OrgKind.BANK or f.bank_org_id is not None:
        bank = actor.org_id if actor.kind is OrgKind.BANK else f.bank_org_id
        mine = select(FinancingRecipient.request_id).where(FinancingRecipient.bank_org_id == bank)
        stmt = stmt.where(FinancingRequest.id.in_(mine))
    if f.year is not None:
        stmt = stmt.where(FinancingRequest.year == f.year)
    if f.status is not None:
        stmt = stmt.where(FinancingRequest.status == f.status)
    if f.district is not None:
        stmt = stmt.where(Enterprise.district == f.district)
    if after is not None:
        stmt = stmt.where(after_time_id(FinancingRequest.created_at, FinancingRequest.id, after))
    stmt = stmt.order_by(FinancingRequest.created_at, FinancingRequest.id).limit(limit + 1)
    rows = [(r.FinancingRequest, r.Enterprise) for r in (await db.execute(stmt)).all()]
    listed = await _listed(db, rows[:limit], actor)
    await _log(db, actor, listed, "financing_request")
    return listed, len(rows) > limit


async def _load(db: AsyncSession, actor: Principal, request_id: uuid.UUID, *, lock: bool = False) -> Listed:
    """The request if the caller may see it (the enterprise, a bank it was sent to, a regulator);
    the same 404 otherwise, so that existence does not leak."""
    stmt = _joined().where(FinancingRequest.id == request_id)
    if lock:
        stmt = stmt.with_for_update(of=FinancingRequest)
    row = (await db.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(MISSING)
    req, ent = row.FinancingRequest, row.Enterprise
    if actor.kind is OrgKind.ENTERPRISE and not actor.owns(ent.uscc):
        raise NotFound(MISSING)
    [item] = await _listed(db, [(req, ent)], actor)
    if actor.kind is OrgKind.BANK and not item.recipients:
        raise NotFound(MISSING)
    if actor.kind not in SEES_ALL | {OrgKind.BANK, OrgKind.ENTERPRISE}:
        raise NotFound(MISSING)
    return item


async def one_request(db: AsyncSession, actor: Principal, request_id: uuid.UUID) -> Listed:
    item = await _load(db, actor, request_id)
    await _log(db, actor, [item], "financing_request")
    return item


async def _close(db: AsyncSession, actor: Principal, item: Listed, reason: str) -> None:
    req = item.request
    req.status, req.closed_at, req.closed_reason = "closed", dt.datetime.now(dt.UTC), reason
    consents = await db.scalars(
        select(Consent).where(Consent.id.in_([r.consent_id for r, _, _ in item.recipients]),
                              Consent.withdrawn_at.is_(None)).with_for_update()
    )  # fmt: skip
    for consent in consents:
        await end_consent(db, actor, consent, item.uscc)
    await record_event(db, actor, "financing_request.closed", f"financing_request:{req.id}", reason=reason)


async def answer(db: AsyncSession, actor: Principal, request_id: uuid.UUID, data: Answer) -> Listed:
    """The bank's next answer; a final one (approved, declined) cannot be changed. The request
    closes, and its consents end, when every bank has answered finally."""
    item = await _load(db, actor, request_id, lock=True)
    rec = item.recipients[0][0]
    if not _is_open(item.request, dt.datetime.now(dt.UTC)):
        raise StateConflict(f"the financing request is closed ({item.request.closed_reason or 'expired'})")
    check_answer(AnswerStatus(rec.status), data.status, requested_yuan=item.request.amount_yuan,
                 amount_yuan=data.amount_yuan, rate_percent=data.rate_percent, reason=data.reason)  # fmt: skip
    if data.margin_bp is not None and data.status is not AnswerStatus.APPROVED:
        raise InvalidField("margin_bp", "only an approval has terms")
    now = dt.datetime.now(dt.UTC)
    rec.status, rec.answered_at, rec.reason = data.status.value, now, data.reason
    rec.approved_amount_yuan, rec.rate_percent, rec.margin_bp = data.amount_yuan, data.rate_percent, data.margin_bp
    db.add(FinancingAnswer(recipient_id=rec.id, enterprise_id=rec.enterprise_id, status=data.status.value,
                           approved_amount_yuan=data.amount_yuan, rate_percent=data.rate_percent,
                           margin_bp=data.margin_bp, reason=data.reason, client_id=actor.client_id))  # fmt: skip
    await db.flush()
    consent = await db.get(Consent, rec.consent_id)
    await log_read(db, actor, rec.enterprise_id, "financing_answer", str(item.request.id), consent)
    await record_event(db, actor, f"financing_request.{data.status.value}", f"financing_request:{item.request.id}")
    everyone = await db.scalars(
        select(FinancingRecipient.status).where(FinancingRecipient.request_id == rec.request_id)
    )
    if all(AnswerStatus(s) in FINAL for s in everyone):  # every bank's consent ends, not only the caller's
        every = (await _recipients(db, [rec.request_id], None))[rec.request_id]
        await _close(db, actor, msgspec.structs.replace(item, recipients=every), "answered")
    return await _load(db, actor, request_id)


async def withdraw(db: AsyncSession, actor: Principal, request_id: uuid.UUID) -> Listed:
    """The enterprise closes its open request: the banks' consents end; answers given stay."""
    item = await _load(db, actor, request_id, lock=True)
    if not _is_open(item.request, dt.datetime.now(dt.UTC)):
        raise StateConflict(f"the financing request is closed ({item.request.closed_reason or 'expired'})")
    await _close(db, actor, item, "withdrawn")
    return await _load(db, actor, request_id)
