"""A bare asyncpg pool for the hottest paths (the token's live check, the bank read).

Every use is one autocommit statement: no transaction is ever left open and no session
setting is ever made, so the pool skips asyncpg's reset round trip on release (which
was measured to halve pooled throughput here; a session-level SET would leak through it).
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

__all__ = ["STALE", "fetchrow_read", "make_pool"]

STALE = (
    asyncpg.exceptions.InternalClientError,  # the protocol got the server's FATAL while the connection sat idle
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,  # terminated by an administrator, server shutting down
)
"""What a pooled connection raises once the server has dropped it (a restart, a failover)."""


async def _no_reset(conn: asyncpg.Connection) -> None:
    return None


async def _init(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def make_pool(url: str, *, max_size: int = 10) -> asyncpg.Pool:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, reset=_no_reset, init=_init)


async def fetchrow_read(pool: asyncpg.Pool, query: str, *args: Any) -> asyncpg.Record | None:
    """A read-only statement; if its pooled connection turns out dead, once more on a new one.

    Only for reads: a write might have committed before its connection died.
    """
    for attempt in (1, 2):
        async with pool.acquire() as conn:
            try:
                return await conn.fetchrow(query, *args)
            except STALE:
                conn.terminate()  # the pool opens a new connection in its place
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")
