"""The console's access matrix (tests/console_matrix.yaml), walked against the live app.

The callers are the API matrix's World (tests/e2e/test_access_matrix.py), built once for the
module on one app and database with a completed 2023 round (enterprise_own rated, its
certificate issued); each kind of caller then logs in through POST /console/login and walks
every route as a browser would, with its own cookies and the CSRF token of a page's form.
Further tests: every console route of the app has an entry and every entry a route; a form
posted without its CSRF token is refused and changes nothing.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
import yaml
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from service.app import create_app
from service.auth.access import ACCESS_OPT, is_framework_route
from service.settings import Settings
from tests import db as testdb
from tests.console_browser import BASE_URL, Browser
from tests.e2e.test_access_matrix import ROLES, Target, World
from tests.helpers import Api, Caller, Filings, new_uscc
from tests.workbooks import cement_rows, xlsx

MATRIX_FILE = Path(__file__).resolve().parents[1] / "console_matrix.yaml"
REQUEST_KEYS = {"form", "query", "workbook", "fresh"}
FRESH = {"uscc", "session"}
PLACEHOLDERS = {"uscc", "rating_id", "filing_id", "client_id", "client_secret", "round_id", "objection_id",
                "bank_org_id", "new_verifier_org_id", "consent_id", "request_id"}  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRAFT_YEAR = 2024
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TO_LOGIN = "/console/login?next="

with MATRIX_FILE.open(encoding="utf-8") as _fh:
    MATRIX: dict[str, dict[str, Any]] = yaml.safe_load(_fh)
POSTS = sorted(op for op in MATRIX if op.startswith("POST "))


def _settings(owner: str, app_url: str) -> Settings:
    return Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        job_poll_seconds=0.1,
        pdf_workers=0,
        cjk_font=os.environ.get("CARBON_CJK_FONT"),
    )


def console_routes(app: Litestar) -> dict[str, bool]:
    """Every console route of the app, "METHOD /console/path", and whether it is public."""
    routes = {}
    for route in app.routes:
        if not route.path.startswith("/console") or route.path.startswith("/console/static"):
            continue
        for handler in getattr(route, "route_handlers", []):
            if is_framework_route(handler, route.path):
                continue
            for method in sorted(handler.http_methods):
                routes[f"{method} {route.path_format}"] = handler.opt[ACCESS_OPT].public
    return routes


# --- the town: the callers, each logged in --------------------------------------------------


class Town:
    """The World's callers, a browser each (logged in but anonymous's), and the ids the table names."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = world = World(api)
        own = Target(uscc=world.own.uscc or "", org_id=world.own.org_id)
        rated = world.values(own, {"rating_id", "certificate_no"}, set())  # a 2023 round, the certificate issued
        self.rating_id, self.round_id = rated["rating_id"], rated["round_id"]
        self.client_id, self.client_secret = world._client_of(world.bank_org_id, False)
        self.public = console_routes(api.client.app)
        self.browsers = {role: self.logged_in(role) for role in ROLES}

    def logged_in(self, role: str) -> Browser:
        browser = Browser(self.api)
        caller: Caller | None = self.world.callers[role]
        if caller is None:
            assert browser.get("/console/login").status_code == 200 and browser.csrf
            return browser
        r = browser.login(caller)
        assert r.status_code == 303 and browser.logged_in, (role, r.status_code, r.text[:300])
        return browser

    def browser(self, role: str, fresh: set[str]) -> Browser:
        """A copy of the role's browser (a case's cookies stay its own), or a new session."""
        if "session" in fresh:
            return self.logged_in(role)
        template = self.browsers[role]
        copy = Browser(self.api)
        copy.cookies, copy.csrf = dict(template.cookies), template.csrf
        return copy

    def granted(self) -> dict[str, str]:
        """An active grade_only consent of enterprise_own to the bank column's organisation, and an
        open grade_only financing request to it (grade_only: the bank still holds no `full` consent)."""
        own, until = self.world.own, "2030-01-01T00:00:00+08:00"
        consent = {"bank_org_id": str(self.world.bank_org_id), "purpose": "credit", "scope": "grade_only",
                   "expires_at": until}  # fmt: skip
        c = self.api.client.post(f"/v1/enterprises/{own.uscc}/consents", json=consent, headers=own.headers)
        assert c.status_code == 201, c.text
        body = {"amount_yuan": "1000000", "purpose": "credit", "use_of_proceeds": "matrix", "term_months": 12,
                "scope": "grade_only", "expires_at": until, "banks": [{"bank_org_id": str(self.world.bank_org_id)}]}  # fmt: skip
        r = self.api.client.post(f"/v1/enterprises/{own.uscc}/financing-requests", json=body, headers=own.headers)
        assert r.status_code == 201, r.text
        return {"consent_id": str(c.json()["id"]), "request_id": str(r.json()["id"])}

    def draft(self) -> str:
        """enterprise_own's open 2024 draft: the one there is, or a new one (the first version, then a
        correction of the latest)."""
        own = self.world.own
        r = self.api.client.get(f"/v1/enterprises/{own.uscc}/filings", params={"period": DRAFT_YEAR},
                                headers=own.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        filings = r.json()["items"]
        if drafts := [f["id"] for f in filings if f["status"] == "draft"]:
            return str(drafts[0])
        latest = max((f["version"] for f in filings), default=None)
        extra = {} if latest is None else {"supersedes": latest}
        return str(Filings(self.api).create(own, DRAFT_YEAR, **extra)["id"])

    def values(self, role: str, fresh: set[str], used: set[str]) -> dict[str, str]:
        target = self.world.pending if role == "enterprise_pending" else self.world.own
        uscc = target.uscc or ""
        if "uscc" in fresh:
            uscc = self.api.register()[0].uscc or ""
        values = {"uscc": uscc, "rating_id": self.rating_id, "client_id": self.client_id,
                  "client_secret": self.client_secret}  # fmt: skip
        values["round_id"] = self.round_id
        values["bank_org_id"] = str(self.world.bank_org_id)
        if "new_verifier_org_id" in used:
            values["new_verifier_org_id"] = self.api.admin_created(self.world.admin, "verifier").org_id
        if "consent_id" in used or "request_id" in used:
            values.update(self.granted())
        if "objection_id" in used:  # enterprise_own's open objection to its rating
            values["objection_id"] = self.world._objection()
        if "filing_id" in used:
            values["filing_id"] = self.draft()
        return values


@pytest.fixture(scope="module")
def town(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[Town]:
    """One database, one app (running its jobs: the round, the certificate) and one town per module."""
    owner, app_url = testdb.create_from_template(pg_url, template_db)
    settings = _settings(owner, app_url)
    try:
        with TestClient(app=create_app(settings), base_url=BASE_URL) as client:
            yield Town(Api(client, settings))
    finally:
        dropper.drop_later(make_url(owner).database or "")


# --- cases ----------------------------------------------------------------------------------


class Case(msgspec.Struct, kw_only=True):
    operation: str
    role: str
    expected: int
    method: str
    path: str
    form: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    files: dict[str, Any] | None = None


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], value)
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def _placeholders(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(_PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(_placeholders(v) for v in value.values()))
    return set()


def _case(town: Town, operation: str, role: str) -> tuple[Case, Browser]:
    method, _, path = operation.partition(" ")
    request = MATRIX[operation].get("request") or {}
    fresh = set(request.get("fresh") or [])
    values = town.values(role, fresh, _placeholders(path) | _placeholders(request.get("form")))
    case = Case(operation=operation, role=role, expected=int(MATRIX[operation]["expect"][role]), method=method,
                path=_fill(path, values), form=_fill(request.get("form"), values),
                query=_fill(request.get("query"), values))  # fmt: skip
    if workbook := request.get("workbook"):
        book = xlsx(cement_rows(values["uscc"], period=int(workbook["period"])))
        case.files = {"file": ("filings.xlsx", book, XLSX)}
    return case, town.browser(role, fresh)


def _send(browser: Browser, case: Case, *, csrf: bool = True) -> Response:
    return browser.request(case.method, case.path, form=case.form, query=case.query, files=case.files, csrf=csrf)


def _media_type(r: Response) -> str:
    return r.headers.get("content-type", "").split(";")[0].strip()


def _mismatches(town: Town, case: Case, r: Response) -> list[str]:
    where = f"{case.role}"
    out = []
    if r.status_code != case.expected:
        out.append(f"{where}: expected {case.expected}, got {r.status_code} {r.text[:200]!r}")
        return out
    location = r.headers.get("location", "")
    if r.status_code == 303 and case.role == "anonymous" and not town.public[case.operation]:
        if location != TO_LOGIN + case.path:
            out.append(f"{where}: 303 to {location!r}, not to the login for {case.path}")
    elif r.status_code == 303 and location.startswith(TO_LOGIN):
        out.append(f"{where}: the session was not accepted (303 to {location!r})")
    if r.status_code >= 400 and (_media_type(r) != "text/html" or "<html" not in r.text):
        out.append(f"{where}: a {r.status_code} that is no HTML page: {_media_type(r)!r} {r.text[:120]!r}")
    if "no-store" not in r.headers.get("cache-control", ""):
        out.append(f"{where}: Cache-Control {r.headers.get('cache-control')!r}, not no-store")
    return out


def _nobody(case: Case, town: Town) -> tuple[Case, str, str] | None:
    """The case with the id it was refused for replaced by one nobody holds (for the leak check),
    that id and its replacement."""
    held = town.world.own.uscc or ""
    if held and held in case.path:
        unknown = new_uscc()
    elif found := re.search(r"/(?:ratings|filings)/([0-9a-f-]{36})/", case.path):
        held, unknown = found.group(1), str(uuid.uuid4())
    else:
        return None
    return msgspec.structs.replace(case, path=case.path.replace(held, unknown)), held, unknown


# --- the tests ------------------------------------------------------------------------------


def test_matrix_is_well_formed() -> None:
    problems = []
    for operation, entry in MATRIX.items():
        method, _, path = operation.partition(" ")
        if method not in {"GET", "POST"} or not path.startswith("/console"):
            problems.append(f"{operation!r}: the key must be 'GET|POST /console/...'")
        if not isinstance(entry, dict) or set(entry) - {"request", "expect"}:
            problems.append(f"{operation}: only 'request' and 'expect' are allowed")
            continue
        request = entry.get("request") or {}
        if set(request) - REQUEST_KEYS:
            problems.append(f"{operation}: unknown request keys {sorted(set(request) - REQUEST_KEYS)}")
        if set(request.get("fresh") or []) - FRESH:
            problems.append(f"{operation}: fresh may name only {sorted(FRESH)}")
        unknown = _placeholders(path) | _placeholders(request.get("form")) | _placeholders(request.get("query"))
        if unknown - PLACEHOLDERS:
            problems.append(f"{operation}: unknown placeholders {sorted(unknown - PLACEHOLDERS)}")
        expect = entry.get("expect") or {}
        if set(expect) != set(ROLES):
            problems.append(f"{operation}: the columns must be {list(ROLES)}, not {sorted(expect)}")
        bad = {k: v for k, v in expect.items() if v not in (200, 303, 403, 404)}
        if bad:
            problems.append(f"{operation}: statuses other than 200, 303, 403, 404: {bad}")
    assert not problems, "\n".join(problems)


def test_matrix_covers_every_console_route() -> None:
    """Built from the app's routes, not its OpenAPI document: console pages are not in it."""
    unused = "postgresql://unused@localhost/unused"
    settings = Settings(database_url=unused, app_database_url=unused, secret_key="x" * 32)
    routes = set(console_routes(create_app(settings)))
    missing, stale = sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes)
    assert not missing and not stale, (
        f"console routes without an entry in {MATRIX_FILE.name}: {missing}; entries that are no route: {stale}"
    )


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_console_access(town: Town, operation: str) -> None:
    problems = []
    for role in ROLES:
        case, browser = _case(town, operation, role)
        r = _send(browser, case)
        problems += _mismatches(town, case, r)
        if role == "enterprise_other" and r.status_code == 404 and (nobody := _nobody(case, town)):
            probe, held, unknown = nobody
            again = _send(browser, probe)  # existence does not leak: the very same page (but its own path)
            if (again.status_code, again.text.replace(unknown, held)) != (r.status_code, r.text):
                problems.append(f"{role}: {probe.path} answers {again.status_code}, not the same page")
    assert not problems, f"{operation}:\n  " + "\n  ".join(problems)


def _state(settings: Settings) -> dict[str, Any]:
    """Every table's row count, and the states a console form may change (sessions, registrations)."""

    async def go() -> dict[str, Any]:
        conn = await asyncpg.connect(testdb.dsn(settings.database_url))
        try:
            tables = await conn.fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            state: dict[str, Any] = {
                t["table_name"]: await conn.fetchval(f'SELECT count(*) FROM "{t["table_name"]}"') for t in tables
            }
            state["live sessions"] = await conn.fetchval(
                "SELECT count(*) FROM console_sessions WHERE revoked_at IS NULL"
            )
            rows = await conn.fetch("SELECT status, count(*) AS n FROM organisations GROUP BY status ORDER BY status")
            state["organisations by status"] = [(row["status"], row["n"]) for row in rows]
            return state
        finally:
            await conn.close()

    return asyncio.run(go())


@pytest.mark.parametrize("operation", POSTS)
def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(town: Town, operation: str) -> None:
    """By every column the table lets through (for the others the token is not what refuses them)."""
    let_in = [role for role in ROLES if MATRIX[operation]["expect"][role] < 400
              and not (role == "anonymous" and not town.public[operation])]  # fmt: skip
    assert let_in, f"{operation}: nobody is let in"
    problems = []
    for role in let_in:
        case, browser = _case(town, operation, role)
        before = _state(town.api.settings)
        r = _send(browser, case, csrf=False)
        after = _state(town.api.settings)
        if r.status_code != 403 or _media_type(r) != "text/html":
            problems.append(f"{role}: expected a 403 page, got {r.status_code} {_media_type(r)} {r.text[:120]!r}")
        if after != before:
            changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
            problems.append(f"{role}: a refused form changed {changed}")
        if browser.logged_in:
            still = browser.get("/console/")
            if still.headers.get("location", "").startswith(TO_LOGIN):
                problems.append(f"{role}: the session stopped working after a refused form")
    assert not problems, f"{operation}:\n  " + "\n  ".join(problems)
