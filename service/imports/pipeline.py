"""The import's first steps: read the file (off the event loop), then check it.

Reading and checking rows are CPU work (openpyxl, Decimal, the validation rules), so
they run on a worker thread; only the database steps run on the event loop.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.factors import FactorSet
from domain.filing_import import ImportBuilder, ImportPlan, Problem
from service import reference
from service.auth.principal import Principal
from service.imports.reader import read_csv, read_xlsx
from service.imports.store import CheckedFiling, check_against_database
from service.imports.upload import Upload

__all__ = ["check", "read"]


def _read(upload: Upload) -> ImportBuilder:
    builder = ImportBuilder()
    (read_xlsx if upload.format == "xlsx" else read_csv)(upload.file, builder)
    return builder


async def read(upload: Upload) -> ImportBuilder:
    """Every row decoded and grouped; the layout's and cells' problems noted."""
    return await asyncio.to_thread(_read, upload)


async def _factor_sets(db: AsyncSession, periods: set[int]) -> dict[int, FactorSet | None]:
    out: dict[int, FactorSet | None] = {}
    for period in sorted(periods):
        try:
            out[period] = reference.decode_factor_set(await reference.factor_set_for_year(db, period))
        except NotFound:
            out[period] = None
    return out


async def check(
    db: AsyncSession, actor: Principal, builder: ImportBuilder, *, lock: bool
) -> tuple[ImportPlan, list[CheckedFiling]]:
    """The plan with every problem (file and database); with `lock`, the periods held for writing."""
    factor_sets = await _factor_sets(db, builder.periods())
    plan = await asyncio.to_thread(builder.finish, factor_sets)
    checked, problems = await check_against_database(db, actor, plan.filings, lock=lock)
    all_problems: list[Problem] = sorted([*plan.problems, *problems], key=lambda p: (p.sheet, p.row, p.column))
    return ImportPlan(filings=plan.filings, problems=all_problems, more_problems=plan.more_problems), checked
