"""A bare asyncpg pool for the hottest paths (the token's live check, the bank read).

Every use is one autocommit statement: no transaction is ever left open and no session
setting is ever made, so the pool skips asyncpg's reset round trip on release (which
was measured to halve pooled throughput here; a session-level SET would leak through it).
"""

from __future__ import annotations

import json

import asyncpg
from sqlalchemy.engine import make_url

__all__ = ["make_pool"]


async def _no_reset(conn: asyncpg.Connection) -> None:
    return None


async def _init(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def make_pool(url: str, *, max_size: int = 10) -> asyncpg.Pool:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, reset=_no_reset, init=_init)
