"""Row-level security: an enterprise's transaction sees only its own rows, even unfiltered.

Migration 0008 puts a policy on every tenant table; the service names the tenant with
`set_config('carbon.enterprise_id', …, true)` (SET LOCAL) at the start of an
enterprise's transaction (service/db/session.py). These tests run as the application
role, as the service does, on a connection that is never reset between uses.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import asyncpg
import pytest
from sqlalchemy import func, select

from domain.organisations import OrgKind
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import Filing
from service.db.session import provide_db
from service.settings import Settings
from tests import db as testdb
from tests.helpers import Api, Caller, Filings

TENANT_TABLES = (
    "enterprises",
    "filings",
    "verifier_engagements",
    "filing_verifications",
    "consents",
    "access_log",
    "ratings",
    "objections",
)


@pytest.fixture
def two(api: Api) -> tuple[Caller, Caller]:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ents = []
    for _ in range(2):
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        Filings(api).submitted(ent, 2023)
        ents.append(ent)
    return ents[0], ents[1]


async def _as_app(settings: Settings, body: Any) -> Any:
    conn = await asyncpg.connect(testdb.dsn(settings.app_database_url))
    try:
        return await body(conn)
    finally:
        await conn.close()


def test_every_tenant_table_has_its_policy_on(settings: Settings) -> None:
    async def body(conn: asyncpg.Connection) -> dict[str, bool]:
        rows = await conn.fetch(
            "SELECT c.relname, c.relrowsecurity, count(p.polname) AS policies FROM pg_class c "
            "LEFT JOIN pg_policy p ON p.polrelid = c.oid WHERE c.relname = ANY($1) GROUP BY 1, 2",
            list(TENANT_TABLES),
        )
        return {r["relname"]: r["relrowsecurity"] and r["policies"] == 1 for r in rows}

    assert asyncio.run(_as_app(settings, body)) == dict.fromkeys(TENANT_TABLES, True)


def test_a_query_without_where_sees_only_the_tenants_rows(settings: Settings, two: tuple[Caller, Caller]) -> None:
    a, b = two

    async def body(conn: asyncpg.Connection) -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with conn.transaction():
            await conn.execute("SELECT set_config('carbon.enterprise_id', $1, true)", a.org_id)
            out["filings"] = await conn.fetch("SELECT enterprise_id::text FROM filings")
            out["enterprises"] = await conn.fetch("SELECT uscc FROM enterprises")
            out["b_by_id"] = await conn.fetchval(
                "SELECT count(*) FROM filings WHERE enterprise_id = $1::uuid", b.org_id
            )
        # The same connection, never reset, after the transaction: the setting is gone.
        out["after"] = await conn.fetchval("SELECT current_setting('carbon.enterprise_id', true)")
        out["after_filings"] = await conn.fetchval("SELECT count(DISTINCT enterprise_id) FROM filings")
        return out

    out = asyncio.run(_as_app(settings, body))
    assert {r["enterprise_id"] for r in out["filings"]} == {a.org_id}
    assert [r["uscc"] for r in out["enterprises"]] == [a.uscc]
    assert out["b_by_id"] == 0  # even asking for B's rows by id
    assert out["after"] == "" and out["after_filings"] == 2


def test_a_tenant_cannot_write_another_tenants_row(settings: Settings, two: tuple[Caller, Caller]) -> None:
    a, b = two

    async def body(conn: asyncpg.Connection) -> str:
        async with conn.transaction():
            await conn.execute("SELECT set_config('carbon.enterprise_id', $1, true)", a.org_id)
            try:
                await conn.execute(
                    "INSERT INTO verifier_engagements (enterprise_id, verifier_org_id) VALUES ($1::uuid, $2::uuid)",
                    b.org_id,
                    a.org_id,
                )
            except asyncpg.InsufficientPrivilegeError as exc:
                return str(exc)
        return "written"

    assert "row-level security" in asyncio.run(_as_app(settings, body))


def test_a_session_level_setting_would_leak_which_is_why_the_service_sets_it_locally(
    settings: Settings, two: tuple[Caller, Caller]
) -> None:
    """The hazard the design avoids: SET (not SET LOCAL) outlives the request on its connection."""
    a, _ = two

    async def body(conn: asyncpg.Connection) -> int:
        await conn.execute(f"SET carbon.enterprise_id = '{a.org_id}'")
        async with conn.transaction():
            pass  # the request ends
        return int(await conn.fetchval("SELECT count(DISTINCT enterprise_id) FROM filings"))

    assert asyncio.run(_as_app(settings, body)) == 1  # the next user would see only a's rows


def test_the_services_session_for_an_enterprise_forgets_its_where_and_still_sees_only_its_rows(
    settings: Settings, two: tuple[Caller, Caller]
) -> None:
    a, _ = two

    async def body() -> tuple[set[str], int]:
        engine = make_engine(settings.app_database_url, pool_size=1)
        state = SimpleNamespace(sessionmaker=make_sessionmaker(engine))
        try:
            enterprise = SimpleNamespace(scope={"user": SimpleNamespace(kind=OrgKind.ENTERPRISE, org_id=a.org_id)})
            sessions = provide_db(state, enterprise)  # type: ignore[arg-type]
            db = await anext(sessions)
            seen = {str(e) for e in await db.scalars(select(Filing.enterprise_id))}
            await sessions.aclose()
            regulator = SimpleNamespace(scope={"user": SimpleNamespace(kind=OrgKind.REGULATOR, org_id=None)})
            sessions = provide_db(state, regulator)  # type: ignore[arg-type]
            db = await anext(sessions)  # the pool's one connection again
            everyone = int(await db.scalar(select(func.count(func.distinct(Filing.enterprise_id)))) or 0)
            await sessions.aclose()
            return seen, everyone
        finally:
            await engine.dispose()

    seen, everyone = asyncio.run(body())
    assert seen == {a.org_id}
    assert everyone == 2
