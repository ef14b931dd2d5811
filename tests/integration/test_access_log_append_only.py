"""The access log is append-only, and the database itself enforces it.

The application role holds only SELECT and INSERT on `access_log`, so an UPDATE, DELETE or
TRUNCATE through it is refused for want of privilege; the owner, who bypasses grants, is
stopped by the `access_log_append_only` triggers (SQLSTATE 23000), TRUNCATE included.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from domain.organisations import OrgKind
from service.settings import APP_ROLE, Settings
from tests import db as testdb
from tests.helpers import Api

TRIGGER = "23000"  # integrity_constraint_violation, as access_log_append_only raises it
ROWS = "SELECT * FROM access_log ORDER BY id"


def fetch(url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(testdb.dsn(url))
        try:
            return [dict(r) for r in await conn.fetch(sql, *args)]
        finally:
            await conn.close()

    return asyncio.run(run())


def execute(url: str, sql: str, *args: Any) -> str:
    async def run() -> str:
        conn = await asyncpg.connect(testdb.dsn(url))
        try:
            return str(await conn.execute(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


@pytest.fixture
def logged(api: Api, settings: Settings) -> dict[str, Any]:
    """Through the API, a logged read: a regulator reads an enterprise's rating history."""
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings", headers=regulator.headers)
    assert r.status_code == 200, r.text
    [row] = fetch(settings.database_url, ROWS)
    assert (row["org_id"], row["org_kind"], row["purpose"], row["what"]) == (
        uuid.UUID(regulator.org_id), "regulator", "supervision", "rating_history",
    )  # fmt: skip
    return row


def test_the_tests_connect_as_the_application_role(settings: Settings) -> None:
    assert make_url(settings.app_database_url).username == APP_ROLE != make_url(settings.database_url).username


def test_the_application_role_reads_the_log(settings: Settings, logged: dict[str, Any]) -> None:
    assert fetch(settings.app_database_url, ROWS) == [logged]


# --- as the application role: no privilege ------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_log SET purpose = 'credit'",
        "UPDATE access_log SET consent_id = NULL, scope = 'full' WHERE id = $1",
        "UPDATE access_log SET at = now() - interval '1 year' WHERE id = $1",
        "DELETE FROM access_log",
        "DELETE FROM access_log WHERE id = $1",
        "TRUNCATE access_log",
    ],
)
def test_the_application_role_cannot_change_the_log(settings: Settings, logged: dict[str, Any], sql: str) -> None:
    args = (logged["id"],) if "$1" in sql else ()
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        execute(settings.app_database_url, sql, *args)
    assert fetch(settings.database_url, ROWS) == [logged]


def test_the_application_role_appends(settings: Settings, logged: dict[str, Any]) -> None:
    sql = (
        "INSERT INTO access_log (client_id, org_id, org_kind, enterprise_id, purpose, what, resource_id) "
        "VALUES ($1, $2, $3, $4, 'supervision', 'rating', 'appended') RETURNING id"
    )
    args = (logged["client_id"], logged["org_id"], logged["org_kind"], logged["enterprise_id"])
    [appended] = fetch(settings.app_database_url, sql, *args)
    rows = fetch(settings.database_url, ROWS)
    assert [r["id"] for r in rows] == [logged["id"], appended["id"]] and appended["id"] > logged["id"]
    assert rows[1]["resource_id"] == "appended" and rows[1]["at"] is not None
    # What it appended is as fixed as the rest.
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        execute(settings.app_database_url, "DELETE FROM access_log WHERE id = $1", appended["id"])


# --- as the owner: grants are bypassed, the triggers are not ----------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_log SET purpose = 'credit'",
        "UPDATE access_log SET at = now() WHERE id = $1",
        "DELETE FROM access_log",
        "DELETE FROM access_log WHERE id = $1",
        "TRUNCATE access_log",
    ],
)
def test_the_owner_cannot_change_the_log(settings: Settings, logged: dict[str, Any], sql: str) -> None:
    args = (logged["id"],) if "$1" in sql else ()
    with pytest.raises(asyncpg.exceptions.IntegrityConstraintViolationError) as exc:
        execute(settings.database_url, sql, *args)
    assert exc.value.sqlstate == TRIGGER, exc.value  # the trigger, not a constraint
    assert "append-only" in str(exc.value)
    assert fetch(settings.database_url, ROWS) == [logged]
