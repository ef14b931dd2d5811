"""A round stores every rated enterprise's policy sheet at once: the enterprise-year pairs go to
PostgreSQL as two arrays (service.policy.sheet.pairs_of), not a row-value IN list, which at
10,000 pairs failed a rating round with "stack depth limit exceeded"."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select, tuple_

from service.db.engine import make_engine, make_sessionmaker
from service.db.models import PolicySheet
from service.policy.sheet import pairs_of


def test_a_province_of_pairs_is_one_query(database: tuple[str, str]) -> None:
    _, app_url = database
    keys = [(uuid.uuid4(), 2000 + i % 30) for i in range(50_000)]

    async def run() -> tuple[int, int]:
        engine = make_engine(app_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                listed = len((await db.execute(pairs_of(keys))).all())
                stmt = select(PolicySheet.enterprise_id).where(
                    tuple_(PolicySheet.enterprise_id, PolicySheet.year).in_(pairs_of(keys))
                )
                return listed, len((await db.execute(stmt)).all())
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == (50_000, 0)
