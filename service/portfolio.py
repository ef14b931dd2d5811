"""Financed emissions for a bank's loan book (PCAF Part A), from each borrower's latest active
rating: the account it pins gives scope 1 and, with its factor set, scope 2."""

from __future__ import annotations

import uuid
from decimal import Decimal

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Scope
from domain.filings import FilingContent
from domain.numbers import accounting
from domain.pcaf import attribution_factor, pcaf_scope2, weighted_score
from service import reference
from service.access_log import log_read
from service.auth.principal import Principal
from service.consents import active_consent
from service.db.models import Enterprise, FactorSetRecord, Filing, RatingRecord
from service.ratings.reads import StatusReader

__all__ = ["Loan", "LoanResult", "Portfolio", "financed_emissions"]


class Loan(msgspec.Struct, frozen=True, kw_only=True):
    uscc: str
    outstanding_yuan: Decimal
    denominator_yuan: Decimal  # total equity + debt, or EVIC
    basis: str  # equity_plus_debt | evic
    reference: str | None = None


class LoanResult(msgspec.Struct, kw_only=True):
    reference: str | None
    uscc: str
    status: str  # ok | no_consent | no_rating
    outstanding_yuan: Decimal
    basis: str
    attribution_factor: Decimal | None = None
    scope1_tco2: Decimal | None = None  # attributed
    scope2_tco2: Decimal | None = None  # attributed
    pcaf_score: int | None = None
    rating_id: uuid.UUID | None = None
    year: int | None = None


class Portfolio(msgspec.Struct, kw_only=True):
    loans: list[LoanResult]
    scope1_tco2: Decimal
    scope2_tco2: Decimal
    weighted_pcaf_score: Decimal | None
    """Outstanding-weighted over the loans with figures."""
    loans_with_figures: int
    gas: str = "CO2"
    """CO2 only: the accounts do not cover CH4 or N2O."""


async def _latest_active(db: AsyncSession, enterprise_id: uuid.UUID) -> RatingRecord | None:
    stmt = (
        select(RatingRecord)
        .where(RatingRecord.enterprise_id == enterprise_id, RatingRecord.status == "active")
        .order_by(RatingRecord.year.desc(), RatingRecord.issued_at.desc())
    )
    status = StatusReader(db)
    for rec in await db.scalars(stmt):
        if await status.status(rec) == "active":
            return rec
    return None


async def _emissions(db: AsyncSession, rec: RatingRecord) -> tuple[Decimal, Decimal]:
    """(scope 1, scope 2) of the account the rating pins."""
    filing = await db.get(Filing, rec.filing_id)
    fs = await db.get(FactorSetRecord, rec.factor_set_id)
    assert filing is not None and fs is not None
    scope2 = pcaf_scope2(msgspec.convert(filing.content, FilingContent), reference.decode_factor_set(fs))
    return Decimal(rec.payload["figures"]["scope1"]), scope2


async def _one(db: AsyncSession, actor: Principal, i: int, loan: Loan) -> LoanResult:
    factor = attribution_factor(f"loans[{i}]", loan.outstanding_yuan, loan.denominator_yuan)
    out = LoanResult(
        reference=loan.reference, uscc=loan.uscc, status="no_consent", outstanding_yuan=loan.outstanding_yuan,
        basis=loan.basis,
    )  # fmt: skip
    ent = await db.scalar(select(Enterprise).where(Enterprise.uscc == loan.uscc))
    consent = await active_consent(db, actor.org_id, ent.enterprise_id, Scope.FULL) if ent else None
    if ent is None or consent is None:
        return out  # no full consent, or no such enterprise: the same answer
    rec = await _latest_active(db, ent.enterprise_id)
    if rec is None:
        out.status = "no_rating"
        return out
    scope1, scope2 = await _emissions(db, rec)
    with accounting():
        out.status, out.attribution_factor = "ok", factor
        out.scope1_tco2, out.scope2_tco2 = factor * scope1, factor * scope2
    out.pcaf_score, out.rating_id, out.year = int(rec.payload["pcaf_score"]), rec.id, rec.year
    await log_read(db, actor, ent.enterprise_id, "financed_emissions", rec.id, consent, Scope.FULL.value)
    return out


async def financed_emissions(db: AsyncSession, actor: Principal, loans: list[Loan]) -> Portfolio:
    for i, loan in enumerate(loans):  # every loan is checked before anything is read or logged
        attribution_factor(f"loans[{i}]", loan.outstanding_yuan, loan.denominator_yuan)
    results = [await _one(db, actor, i, loan) for i, loan in enumerate(loans)]
    ok = [r for r in results if r.status == "ok"]
    with accounting():
        return Portfolio(
            loans=results,
            scope1_tco2=sum((r.scope1_tco2 or Decimal(0) for r in ok), Decimal(0)),
            scope2_tco2=sum((r.scope2_tco2 or Decimal(0) for r in ok), Decimal(0)),
            weighted_pcaf_score=weighted_score([(r.outstanding_yuan, r.pcaf_score or 0) for r in ok]),
            loans_with_figures=len(ok),
        )
