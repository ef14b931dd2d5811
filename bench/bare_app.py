"""The bare endpoint the bank read is compared with: the same stack (Litestar, uvicorn,
asyncpg), one indexed SELECT, no token, no consent, no log.

    uvicorn --factory bench.bare_app:app --workers 2
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, get
from litestar.datastructures import State


@get("/bare/{uscc:str}")
async def bare(uscc: str, state: State) -> dict[str, str | None]:
    async with state.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT uscc, name FROM enterprises WHERE uscc = $1", uscc)
    return {"uscc": row["uscc"] if row else None, "name": row["name"] if row else None}


def app() -> Litestar:
    @asynccontextmanager
    async def lifespan(application: Litestar) -> AsyncGenerator[None, None]:
        application.state.pool = await asyncpg.create_pool(os.environ["BARE_DSN"], min_size=2, max_size=10)
        try:
            yield
        finally:
            await application.state.pool.close()

    return Litestar(route_handlers=[bare], lifespan=[lifespan], debug=False)
