"""Run Alembic programmatically as the owning role (`carbon-account db upgrade`, tests)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

import migrations

__all__ = ["alembic_config", "downgrade", "head_revision", "upgrade"]


def alembic_config(owner_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    # '%' is configparser's interpolation character
    config.set_main_option("sqlalchemy.url", owner_url.replace("%", "%%"))
    return config


def upgrade(owner_url: str, revision: str = "head") -> None:
    """Blocking (runs its own event loop): call through asyncio.to_thread from async code."""
    command.upgrade(alembic_config(owner_url), revision)


def downgrade(owner_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(owner_url), revision)


@cache
def head_revision() -> str | None:
    """The code's migration head (read from the scripts once per process)."""
    return ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_current_head()
