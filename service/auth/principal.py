"""Who is calling: resolved from a bearer token and the database on every request."""

from __future__ import annotations

import uuid

import asyncpg
import msgspec

from domain.organisations import CAN_HOLD_TOKENS, OrgKind, OrgStatus
from service.auth.tokens import AccessClaims, TokenRejected
from service.db.fastpool import fetchrow_read

__all__ = ["Principal", "load_principal"]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    org_id: uuid.UUID
    kind: OrgKind
    status: OrgStatus
    uscc: str | None = None  # set for enterprises

    def owns(self, uscc: str) -> bool:
        return self.kind is OrgKind.ENTERPRISE and self.uscc == uscc


_PRINCIPAL = """
SELECT c.revoked_at, c.secret_version, o.kind, o.status, e.uscc
FROM api_clients c JOIN organisations o ON o.id = c.org_id
LEFT JOIN enterprises e ON e.enterprise_id = o.id
WHERE c.client_id = $1 AND c.org_id = $2
"""


async def load_principal(pool: asyncpg.Pool, claims: AccessClaims) -> Principal:
    """The caller as the database sees it now: a revoked, rotated or rejected client fails."""
    row = await fetchrow_read(pool, _PRINCIPAL, claims.client_id, claims.org_id)
    if row is None or row["revoked_at"] is not None or row["secret_version"] != claims.secret_version:
        raise TokenRejected("the client is unknown, revoked or its secret was rotated")
    status = OrgStatus(row["status"])
    if status not in CAN_HOLD_TOKENS:
        raise TokenRejected(f"the organisation is {status.value}")
    return Principal(
        client_id=claims.client_id, org_id=claims.org_id, kind=OrgKind(row["kind"]), status=status, uscc=row["uscc"]
    )
