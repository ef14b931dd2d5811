"""Prepare a database for the service: migrate, let the app role log in, load shipped reference data."""

from __future__ import annotations

import asyncio

from service.db.engine import make_engine, make_sessionmaker
from service.db.migrate import upgrade
from service.db.roles import enable_app_login
from service.policy.sets import load_shipped_policies
from service.reference import load_shipped

__all__ = ["prepare_database"]


async def prepare_database(owner_url: str, app_password: str | None) -> None:
    """As the owner. Idempotent: safe on every start."""
    await asyncio.to_thread(upgrade, owner_url)
    await enable_app_login(owner_url, app_password)
    engine = make_engine(owner_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            await load_shipped(db)
            await load_shipped_policies(db)
    finally:
        await engine.dispose()
