"""Migrations run upgrade → downgrade → upgrade; the application role owns and can create nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from service.db.migrate import downgrade, upgrade
from service.settings import APP_ROLE
from tests import db as testdb


@pytest.fixture
def empty_db(pg_url: str) -> Iterator[str]:
    name = "carbon_mig_" + __import__("secrets").token_hex(4)
    asyncio.run(testdb.admin_execute(pg_url, f'CREATE DATABASE "{name}"'))
    yield testdb.with_database(pg_url, name)
    testdb.drop_database(pg_url, name)


async def table_names(url: str) -> set[str]:
    conn = await asyncpg.connect(testdb.dsn(url))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r["tablename"] for r in rows} - {"alembic_version"}
    finally:
        await conn.close()


def test_upgrade_downgrade_upgrade(empty_db: str) -> None:
    upgrade(empty_db)
    tables = asyncio.run(table_names(empty_db))
    assert {"organisations", "enterprises", "api_clients", "signing_keys", "idempotency_keys"} <= tables
    downgrade(empty_db, "base")
    assert asyncio.run(table_names(empty_db)) == set()
    upgrade(empty_db)
    assert asyncio.run(table_names(empty_db)) == tables


async def _as_app(url: str, sql: str) -> None:
    conn = await asyncpg.connect(testdb.dsn(url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.mark.parametrize(
    "ddl",
    [
        "CREATE TABLE intruder (id int)",
        "ALTER TABLE enterprises ADD COLUMN intruder int",
        "DROP TABLE audit_events",
        "TRUNCATE organisations",
        "DELETE FROM audit_events",
        "UPDATE enterprises SET name = 'x'",
    ],
)
def test_the_application_role_cannot_change_the_schema_or_history(database: tuple[str, str], ddl: str) -> None:
    _, app_url = database
    assert make_url(app_url).username == APP_ROLE
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        asyncio.run(_as_app(app_url, ddl))


def test_the_application_role_is_no_superuser_and_owns_nothing(database: tuple[str, str]) -> None:
    owner, _ = database

    async def run() -> asyncpg.Record:
        conn = await asyncpg.connect(testdb.dsn(owner))
        try:
            return await conn.fetchrow(
                "SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolbypassrls,"
                " (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS owned"
                " FROM pg_roles r WHERE r.rolname = $1",
                APP_ROLE,
            )
        finally:
            await conn.close()

    row = asyncio.run(run())
    assert tuple(row) == (False, False, False, False, 0)


def test_models_match_the_migrations(database: tuple[str, str]) -> None:
    """`alembic check` as a test: the mapped models and the migrated schema agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import service.db.models  # noqa: F401
    from service.db.base import Base
    from service.db.engine import make_engine

    owner, _ = database

    async def run() -> list[object]:
        engine = make_engine(owner, pool_size=1)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                    )
                )
        finally:
            await engine.dispose()

    diff = asyncio.run(run())
    assert diff == [], "\n".join(map(repr, diff))
