"""Who is calling: resolved from a bearer token and the database on every request."""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.organisations import CAN_HOLD_TOKENS, OrgKind, OrgStatus
from service.auth.tokens import AccessClaims, TokenRejected
from service.db.models import ApiClient, Enterprise, Organisation

__all__ = ["Principal", "load_principal"]


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    org_id: uuid.UUID
    kind: OrgKind
    status: OrgStatus
    uscc: str | None = None  # set for enterprises

    def owns(self, uscc: str) -> bool:
        return self.kind is OrgKind.ENTERPRISE and self.uscc == uscc


async def load_principal(session: AsyncSession | AsyncConnection, claims: AccessClaims) -> Principal:
    """The caller as the database sees it now: a revoked, rotated or rejected client fails."""
    stmt = (
        select(ApiClient.revoked_at, ApiClient.secret_version, Organisation.kind, Organisation.status, Enterprise.uscc)
        .join(Organisation, Organisation.id == ApiClient.org_id)
        .outerjoin(Enterprise, Enterprise.enterprise_id == Organisation.id)
        .where(ApiClient.client_id == claims.client_id, ApiClient.org_id == claims.org_id)
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None or row.revoked_at is not None or row.secret_version != claims.secret_version:
        raise TokenRejected("the client is unknown, revoked or its secret was rotated")
    status = OrgStatus(row.status)
    if status not in CAN_HOLD_TOKENS:
        raise TokenRejected(f"the organisation is {status.value}")
    return Principal(
        client_id=claims.client_id, org_id=claims.org_id, kind=OrgKind(row.kind), status=status, uscc=row.uscc
    )
