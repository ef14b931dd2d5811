"""The enterprise's carbon account: per year, the current version's figures and the history."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from domain.filings import FilingStatus
from service.auth.principal import Principal
from service.db.models import Enterprise, Filing, FilingVerification
from service.filings import Accounted, compute, filings_of
from service.verification import verifications_of

__all__ = ["YearOfAccount", "enterprise_account"]

COUNTS = frozenset({FilingStatus.SUBMITTED.value, FilingStatus.VERIFIED.value})


class YearOfAccount(msgspec.Struct, kw_only=True):
    year: int
    versions: list[tuple[Filing, FilingVerification | None]]
    current: tuple[Filing, FilingVerification | None, Accounted] | None


def current_version(versions: list[Filing]) -> Filing | None:
    """The highest submitted or verified version (design.md); drafts and rejected ones are not."""
    return max((f for f in versions if f.status in COUNTS), key=lambda f: f.version, default=None)


async def enterprise_account(
    db: AsyncSession, actor: Principal, uscc: str, year: int | None
) -> tuple[Enterprise, list[YearOfAccount]]:
    ent, rows = await filings_of(db, actor, uscc, year)
    verdicts = await verifications_of(db, [f.id for f in rows])
    years: list[YearOfAccount] = []
    for period in sorted({f.period for f in rows}):
        versions = [f for f in rows if f.period == period]
        current = current_version(versions)
        years.append(
            YearOfAccount(
                year=period,
                versions=[(f, verdicts.get(f.id)) for f in versions],
                current=(current, verdicts.get(current.id), await compute(db, current, ent)) if current else None,
            )
        )
    return ent, years
