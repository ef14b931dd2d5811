"""Engines and sessions: asyncpg under SQLAlchemy 2, one session per request."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

__all__ = ["async_url", "make_engine", "make_sessionmaker"]


def async_url(url: str) -> URL:
    """Any postgres URL, spoken through asyncpg."""
    return make_url(url).set(drivername="postgresql+asyncpg")


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # pool_pre_ping: a restarted PostgreSQL costs one failed checkout, not a failed request.
    return create_async_engine(async_url(url), pool_size=pool_size, max_overflow=10, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
