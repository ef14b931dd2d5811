"""Shared by the OWASP API Security Top 10 (2023) modules: problem-document checks, the
markers an error body must never carry, row counts (nothing written), the OpenAPI
operations, a pinned rate-limit window and apps built with changed settings."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import TestClient

from service.app import create_app
from service.settings import Settings
from tests.db import dsn
from tests.e2e.test_access_matrix import _fill as _matrix_fill
from tests.e2e.test_access_matrix import _placeholders as _matrix_placeholders
from tests.helpers import Api

__all__ = [
    "HTTP_METHODS",
    "LEAK_MARKERS",
    "PROBLEM",
    "app_with",
    "assert_clean_error",
    "assert_problem",
    "fill",
    "leaks",
    "openapi_operations",
    "pin_rate_window",
    "placeholders",
    "row_counts",
]

PROBLEM = "application/problem+json"
PROBLEM_TYPE = "urn:carbon-account:problem:"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
LEAK_MARKERS = (
    "Traceback",
    'File "',
    "site-packages",
    "sqlalchemy",
    "asyncpg",
    "psycopg",
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "DELETE FROM",
    "invalid byte sequence",
    "RecursionError",
    "Exception",
)


def leaks(text: str) -> list[str]:
    """The markers of a stack trace, SQL or a driver's message found in `text`."""
    return [m for m in LEAK_MARKERS if m in text]


def assert_problem(r: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """An RFC 9457 problem document (of `status`, if given) with nothing internal in it."""
    where = f"{r.request.method} {r.request.url.path[:120]}"
    if status is not None:
        assert r.status_code == status, f"{where}: expected {status}, got {r.status_code} {r.text[:300]}"
    assert r.headers.get("content-type", "").split(";")[0].strip() == PROBLEM, (where, r.headers, r.text[:300])
    body = dict(r.json())
    assert body.get("status") == r.status_code and str(body.get("type", "")).startswith(PROBLEM_TYPE), body
    assert not leaks(r.text), f"{where}: the error body leaks {leaks(r.text)}: {r.text[:500]}"
    return body


def assert_clean_error(r: httpx.Response, allowed: tuple[int, ...] = (400, 404, 413, 422)) -> dict[str, Any]:
    """A refusal the client caused: one of `allowed` (never 5xx), as a clean problem document."""
    where = f"{r.request.method} {r.request.url.path[:120]}"
    assert r.status_code in allowed, f"{where}: expected one of {allowed}, got {r.status_code} {r.text[:300]}"
    return assert_problem(r)


def row_counts(settings: Settings) -> dict[str, int]:
    """Rows in every table of the database, read as the owner (not subject to row-level security)."""

    async def run() -> dict[str, int]:
        conn = await asyncpg.connect(dsn(settings.database_url))
        try:
            tables = await conn.fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            return {
                t["table_name"]: int(await conn.fetchval(f'SELECT count(*) FROM "{t["table_name"]}"')) for t in tables
            }
        finally:
            await conn.close()

    return asyncio.run(run())


def openapi_operations(api: Api) -> dict[str, dict[str, Any]]:
    """`METHOD /path` -> its OpenAPI operation, for every operation but the /schema documents."""
    r = api.client.get("/schema/openapi.json")
    assert r.status_code == 200, r.text
    return {
        f"{method.upper()} {path}": op
        for path, item in r.json()["paths"].items()
        if not (path == "/schema" or path.startswith("/schema/"))
        for method, op in item.items()
        if method in HTTP_METHODS
    }


# The access matrix's own template helpers: one reading of tests/access_matrix.yaml.
placeholders = _matrix_placeholders
fill = _matrix_fill


class _FixedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


def pin_rate_window(monkeypatch: pytest.MonkeyPatch) -> float:
    """Pin the rate limiter's clock in the middle of a minute: a test's requests all fall in one
    window, whatever the wall clock (no waiting for a minute's edge). The Retry-After it gives."""
    now = (time.time() // 60) * 60 + 30.0
    monkeypatch.setattr("service.ratelimit.time", _FixedClock(now))
    return 30.0


@contextlib.contextmanager
def app_with(settings: Settings, **changes: Any) -> Iterator[Api]:
    """The real app (service.app.create_app) on the test's database, with some settings changed."""
    changed = msgspec.structs.replace(settings, **changes)
    with TestClient(app=create_app(changed)) as client:
        yield Api(client, changed)
