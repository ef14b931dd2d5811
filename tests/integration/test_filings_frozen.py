"""Submitted filings never change, and the database itself enforces it, not only the application.

A bug in the service, or anyone holding the application role's password, must not be able
to rewrite what an enterprise filed: the `filings_frozen` trigger refuses changes to a
filing that is no longer a draft and every delete; the grants give the application role
no DELETE, UPDATE on a few filing columns only, and nothing but INSERT/SELECT on the
append-only tables. The trigger holds even for the owner, who bypasses grants.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from domain.organisations import OrgKind
from service.settings import APP_ROLE, Settings
from tests import db as testdb
from tests.helpers import Api, Filings

TRIGGER = "23000"  # integrity_constraint_violation, as filings_frozen raises it


@pytest.fixture
def ids(api: Api) -> dict[str, str]:
    """Through the API: a submitted filing (2023), a verified one (2022) and a draft (2024)."""
    regulator, admin = api.bootstrap(OrgKind.REGULATOR), api.bootstrap(OrgKind.ADMIN)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    verifier = api.admin_created(admin, "verifier")
    f = Filings(api)
    f.engage(ent, verifier)
    verified = f.verify(verifier, f.submitted(ent, 2022)["id"])
    return {"submitted": f.submitted(ent, 2023)["id"], "verified": verified["id"], "draft": f.create(ent, 2024)["id"]}


def execute(url: str, sql: str, *args: Any) -> str:
    async def run() -> str:
        conn = await asyncpg.connect(testdb.dsn(url))
        try:
            return str(await conn.execute(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


def refused_by_trigger(url: str, sql: str, *args: Any) -> None:
    with pytest.raises(asyncpg.exceptions.IntegrityConstraintViolationError) as exc:
        execute(url, sql, *args)
    assert exc.value.sqlstate == TRIGGER, exc.value  # the trigger, not a CHECK or unique index


# --- as the application role ----------------------------------------------------------------


def test_the_tests_connect_as_the_application_role(settings: Settings) -> None:
    assert make_url(settings.app_database_url).username == APP_ROLE != make_url(settings.database_url).username


@pytest.mark.parametrize(
    "assignment",
    ["content = '{}'", "content_sha256 = repeat('0', 64)", "submitted_at = now()", "updated_at = now()"],
)
def test_a_submitted_filing_cannot_be_changed(settings: Settings, ids: dict[str, str], assignment: str) -> None:
    refused_by_trigger(settings.app_database_url, f"UPDATE filings SET {assignment} WHERE id = $1", ids["submitted"])


def test_a_submitted_filings_submitter_cannot_be_rewritten(settings: Settings, ids: dict[str, str]) -> None:
    """carbon_app may UPDATE submitted_by_client_id (it sets it on submit); once submitted, it is frozen."""
    sql = "UPDATE filings SET submitted_by_client_id = 'someone-else' WHERE id = $1"
    refused_by_trigger(settings.app_database_url, sql, ids["submitted"])


def test_a_verified_filing_cannot_go_back_to_draft(settings: Settings, ids: dict[str, str]) -> None:
    sql = "UPDATE filings SET status = 'draft', submitted_at = NULL WHERE id = $1"
    refused_by_trigger(settings.app_database_url, sql, ids["verified"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE filings SET period = 2020",
        "UPDATE filings SET version = 9",
        "DELETE FROM filings",
        "UPDATE filing_verifications SET opinion = 'x'",
        "DELETE FROM filing_verifications",
        "UPDATE verifier_engagements SET engaged_at = now()",
        "DELETE FROM verifier_engagements",
        "UPDATE factor_sets SET label = 'x'",
        "DELETE FROM factor_sets",
        "UPDATE benchmark_editions SET label = 'x'",
        "DELETE FROM benchmark_editions",
    ],
)
def test_the_application_role_has_no_such_privilege(settings: Settings, ids: dict[str, str], sql: str) -> None:
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        execute(settings.app_database_url, sql)


def test_a_draft_stays_mutable(settings: Settings, ids: dict[str, str]) -> None:
    sql = "UPDATE filings SET content = '{}', updated_at = now() WHERE id = $1"
    assert execute(settings.app_database_url, sql, ids["draft"]) == "UPDATE 1"


# --- as the owner: grants are bypassed, the trigger is not ------------------------------------


def test_the_owner_cannot_change_a_submitted_filing(settings: Settings, ids: dict[str, str]) -> None:
    refused_by_trigger(settings.database_url, "UPDATE filings SET content = '{}' WHERE id = $1", ids["submitted"])


@pytest.mark.parametrize("which", ["draft", "submitted"])
def test_the_owner_cannot_delete_a_filing(settings: Settings, ids: dict[str, str], which: str) -> None:
    refused_by_trigger(settings.database_url, "DELETE FROM filings WHERE id = $1", ids[which])
