"""`/healthz` (the process answers) and `/readyz` (database reachable, migrations at head)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get
from sqlalchemy import text

from service.auth.access import public
from service.db.migrate import head_revision
from service.errors import ProblemError
from service.pdf.fonts import FONT_HINT, find_cjk_font

__all__ = ["healthz", "readyz"]


class Health(msgspec.Struct, kw_only=True):
    status: str
    checks: dict[str, str] = {}


@get("/healthz", tags=["health"], **public())
async def healthz() -> Health:
    return Health(status="ok")


@get("/readyz", tags=["health"], **public(errors=(503,)))
async def readyz(request: Request[Any, Any, Any]) -> Health:
    """Ready when the database answers and its schema is at this code's migration head."""
    try:
        async with request.app.state.engine.connect() as conn:
            current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except Exception as exc:
        raise ProblemError(503, "not-ready", f"The database is unreachable ({type(exc).__name__}).") from exc
    head = head_revision()
    if current != [head]:
        raise ProblemError(503, "not-ready", f"The database schema is at {current or 'nothing'}, the code at {head}.")
    font = find_cjk_font(request.app.state.settings.cjk_font)
    certificates = "ok" if font else "unavailable: " + FONT_HINT
    return Health(status="ready", checks={"database": "ok", "migrations": head or "", "certificates": certificates})
