"""Fixtures: a real PostgreSQL, a database per test from a migrated template, the live app."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from service.app import create_app
from service.settings import Settings
from tests import db as testdb
from tests.helpers import Api


@pytest.fixture(scope="session")
def pg_url() -> str:
    return testdb.server_url()


@pytest.fixture(scope="session")
def template_db(pg_url: str) -> Iterator[str]:
    name = testdb.create_template(pg_url)
    yield name
    testdb.drop_database(pg_url, name)


@pytest.fixture(scope="session")
def dropper(pg_url: str) -> Iterator[testdb.BackgroundDropper]:
    dropper = testdb.BackgroundDropper(pg_url)
    yield dropper
    dropper.close()


@pytest.fixture
def database(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[tuple[str, str]]:
    owner, app_url = testdb.create_from_template(pg_url, template_db)
    yield owner, app_url
    dropper.drop_later(make_url(owner).database or "")


@pytest.fixture
def settings(database: tuple[str, str]) -> Settings:
    owner, app_url = database
    return Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        job_poll_seconds=0.1,
        pdf_workers=0,  # certificates rendered on one thread of the test process, no process start-up
        cjk_font=os.environ.get("CARBON_CJK_FONT"),  # .ci/run's second pass: Debian's font
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, settings: Settings) -> Api:
    return Api(client, settings)
