"""Console sessions: a random token in an HttpOnly, Secure, SameSite cookie; the database keeps
only its SHA-256, an expiry (8 h) and a revocation. A session acts as its client (or person) and
stops working the moment the client is revoked, the person disabled or the organisation suspended."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from litestar.connection import ASGIConnection
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations import CAN_HOLD_TOKENS, OrgKind, OrgStatus
from service.auth.principal import Principal
from service.db.models import ConsoleSession

__all__ = ["COOKIE", "TTL", "LoginRequired", "authenticate_console", "close_session", "open_session"]

COOKIE = "carbon_console"
TTL = dt.timedelta(hours=8)

_SESSION = """
SELECT s.org_id, s.client_id, s.user_id, o.kind, o.status, e.uscc, c.revoked_at, u.disabled_at
FROM console_sessions s
JOIN organisations o ON o.id = s.org_id
LEFT JOIN enterprises e ON e.enterprise_id = s.org_id
LEFT JOIN api_clients c ON c.client_id = s.client_id
LEFT JOIN console_users u ON u.id = s.user_id
WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
"""


class LoginRequired(Exception):
    """No live session: the console sends the browser to its login page."""


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(
    db: AsyncSession, *, org_id: uuid.UUID, client_id: str | None = None, user_id: uuid.UUID | None = None
) -> str:
    token = secrets.token_urlsafe(32)
    db.add(ConsoleSession(token_sha256=_sha(token), org_id=org_id, client_id=client_id, user_id=user_id,
                          expires_at=dt.datetime.now(dt.UTC) + TTL))  # fmt: skip
    await db.flush()
    return token


async def close_session(db: AsyncSession, token: str) -> None:
    await db.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_sha256 == _sha(token), ConsoleSession.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )


async def authenticate_console(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    token = connection.cookies.get(COOKIE)
    if not token:
        raise LoginRequired
    row = await connection.app.state.pg.fetchrow(_SESSION, _sha(token))
    if row is None or row["revoked_at"] is not None or row["disabled_at"] is not None:
        raise LoginRequired
    status = OrgStatus(row["status"])
    if status not in CAN_HOLD_TOKENS:
        raise LoginRequired
    client_id = row["client_id"] or f"user:{row['user_id']}"
    return Principal(client_id=client_id, org_id=row["org_id"], kind=OrgKind(row["kind"]), status=status,
                     uscc=row["uscc"])  # fmt: skip
