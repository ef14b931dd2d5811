"""Fixtures of the OWASP modules: besides the per-test `api` (tests/conftest.py), `shared` --
one database and one app per module, without the job worker, for the many checks that only
send requests and assert on answers (each creates its own callers and compares row counts
around its own requests). Creating a database per test is most of a test's cost; the
checks that run rating rounds or change settings keep their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from service.app import create_app
from service.settings import Settings
from tests import db as testdb
from tests.helpers import Api


@pytest.fixture(scope="module")
def shared_settings(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[Settings]:
    owner, app_url = testdb.create_from_template(pg_url, template_db)
    yield Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        job_poll_seconds=0.1,
        pdf_workers=0,
        run_jobs=False,  # nothing writes behind a test's back: row counts compare exactly
    )
    dropper.drop_later(make_url(owner).database or "")


@pytest.fixture(scope="module")
def shared(shared_settings: Settings) -> Iterator[Api]:
    with TestClient(app=create_app(shared_settings)) as client:
        yield Api(client, shared_settings)
