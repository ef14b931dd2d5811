"""Two registrations of one USCC at once: one wins, the other is a clean Conflict (409), not a 500."""

from __future__ import annotations

import asyncio

import pytest

from domain.errors import Conflict
from service.db.engine import make_engine, make_sessionmaker
from service.enterprises import register
from tests.helpers import new_uscc


def test_the_second_of_two_concurrent_registrations_is_a_conflict(database: tuple[str, str]) -> None:
    _, app_url = database
    uscc = new_uscc()
    fields = {"uscc": uscc, "district": "370303", "zone": None, "industry": "3011"}

    async def run() -> None:
        engine = make_engine(app_url, pool_size=2)
        sessions = make_sessionmaker(engine)
        try:
            async with sessions() as first, sessions() as second:
                await first.begin()
                await register(first, name="甲", **fields)  # flushed, not committed
                await second.begin()
                racing = asyncio.create_task(register(second, name="乙", **fields))
                await asyncio.sleep(0.3)
                assert not racing.done(), "the second insert should wait on the first's unique key"
                await first.commit()
                with pytest.raises(Conflict):
                    await racing
                await second.rollback()
        finally:
            await engine.dispose()

    asyncio.run(run())
