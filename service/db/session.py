"""The request's unit of work: one session, one transaction, committed at the edge."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["DB", "provide_db"]

DB = NamedDependency[AsyncSession]
"""How a handler asks for the request's session."""


async def provide_db(state: State) -> AsyncGenerator[AsyncSession, None]:
    """Commits after the handler (and before the response is sent); rolls back on any error."""
    async with state.sessionmaker() as session, session.begin():
        yield session
