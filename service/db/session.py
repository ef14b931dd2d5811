"""The request's unit of work: one session, one transaction, committed at the edge."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations import OrgKind

__all__ = ["DB", "provide_db", "set_tenant"]

_SET_TENANT = text("SELECT set_config('carbon.enterprise_id', :tenant, true)")

DB = NamedDependency[AsyncSession]
"""How a handler asks for the request's session."""


async def set_tenant(session: AsyncSession, enterprise_id: object) -> None:
    """SET LOCAL the tenant: row-level security (migration 0008) then shows only its rows.

    Transaction-scoped on purpose: a session-level SET would outlive the request on a
    pooled connection and apply to whoever takes the connection next.
    """
    await session.execute(_SET_TENANT, {"tenant": str(enterprise_id)})


async def provide_db(state: State, request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """Commits after the handler (and before the response is sent); rolls back on any error.

    An enterprise's transaction starts by naming the enterprise as the tenant.
    """
    user = request.scope.get("user")
    async with state.sessionmaker() as session, session.begin():
        if getattr(user, "kind", None) is OrgKind.ENTERPRISE:
            await set_tenant(session, user.org_id)
        yield session
