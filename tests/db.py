"""Test databases: one migrated template per run, a fresh copy of it per test.

TEST_DATABASE_URL names a server (its owner role); without it the suite starts the
embedded PostgreSQL in a temporary directory, as `serve` does for a newcomer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import secrets
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from service.db.prepare import prepare_database
from service.settings import app_url_for

__all__ = [
    "BackgroundDropper",
    "admin_execute",
    "create_from_template",
    "create_template",
    "drop_database",
    "dsn",
    "server_url",
    "with_database",
]


def server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    from service.db.embedded import start_embedded

    return start_embedded(Path(tempfile.mkdtemp(prefix="carbon-test-pg-")) / "pgdata")


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def dsn(url: str) -> str:
    """A plain libpq-style DSN for asyncpg (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def admin_execute(url: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_template(url: str) -> str:
    """A migrated template of this run (of this worker, under pytest-xdist). Workers migrate one
    at a time: the first migration creates the cluster-wide application role, which two
    concurrent ones could both try to create."""
    name = "carbon_tmpl_" + secrets.token_hex(4)
    with _machine_lock("carbon-account-test-template"):
        asyncio.run(admin_execute(url, f'CREATE DATABASE "{name}"'))
        owner = with_database(url, name)
        asyncio.run(prepare_database(owner, os.environ.get("APP_DATABASE_PASSWORD")))
    return name


@contextlib.contextmanager
def _machine_lock(name: str) -> Iterator[None]:
    """An exclusive lock shared by every process of this machine (a file lock in the temp dir)."""
    import fcntl

    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_from_template(url: str, template: str) -> tuple[str, str]:
    """(owner URL, application URL) of a new database copied from the template."""
    name = "carbon_t_" + secrets.token_hex(6)
    asyncio.run(admin_execute(url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    owner = with_database(url, name)
    return owner, app_url_for(owner, os.environ.get("APP_DATABASE_PASSWORD"))


def drop_database(url: str, name: str) -> None:
    asyncio.run(admin_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class BackgroundDropper:
    """Drops finished tests' databases on a thread: a DROP costs ~0.6 s, a CREATE ~0.2 s."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="drop-test-databases", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (name := self.queue.get()) is not None:
            drop_database(self.url, name)

    def drop_later(self, name: str) -> None:
        self.queue.put(name)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
