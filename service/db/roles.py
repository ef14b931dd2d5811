"""The application's database role: created by migration 0001, given a login here."""

from __future__ import annotations

from sqlalchemy import text

from service.db.engine import make_engine
from service.settings import APP_ROLE

__all__ = ["enable_app_login"]


async def enable_app_login(owner_url: str, password: str | None) -> None:
    """Let `carbon_app` log in (with a password when one is configured). Idempotent."""
    engine = make_engine(owner_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            if password is None:
                await conn.execute(text(f"ALTER ROLE {APP_ROLE} LOGIN"))
            else:  # the server quotes the password (%L); no client-side string building
                statement = await conn.scalar(
                    text("SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :role, :password)"),
                    {"role": APP_ROLE, "password": password},
                )
                await conn.exec_driver_sql(str(statement))
    finally:
        await engine.dispose()
