"""The client-credentials check behind `POST /v1/auth/token`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.organisations import CAN_HOLD_TOKENS, OrgStatus
from service.auth.secrets import hash_secret, secret_matches
from service.db.models import ApiClient, Organisation

__all__ = ["authenticate_client"]

_DUMMY_SALT, _DUMMY_HASH = hash_secret("no such client")


async def authenticate_client(db: AsyncSession, client_id: str, secret: str) -> ApiClient | None:
    """The client when its secret matches and it may hold tokens now; else None, whatever the reason."""
    stmt = (
        select(ApiClient, Organisation.status)
        .join(Organisation, Organisation.id == ApiClient.org_id)
        .where(ApiClient.client_id == client_id)
    )
    row = (await db.execute(stmt)).one_or_none()
    if row is None or row.ApiClient.revoked_at is not None:
        secret_matches(secret, _DUMMY_SALT, _DUMMY_HASH)  # same work as a real check: ids don't leak by timing
        return None
    client: ApiClient = row.ApiClient
    if not secret_matches(secret, client.secret_salt, client.secret_hash):
        return None
    return client if OrgStatus(row.status) in CAN_HOLD_TOKENS else None
