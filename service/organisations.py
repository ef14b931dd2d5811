"""Use cases for organisations and their API clients (admin API, registration, CLI)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound, NotPermitted, StateConflict
from domain.organisations import OrgKind, OrgStatus
from service.audit import record_event
from service.auth.principal import Principal
from service.auth.secrets import hash_secret, new_client_id, new_secret
from service.db.models import ApiClient, Organisation

__all__ = [
    "create_client",
    "create_organisation",
    "get_client",
    "get_organisation",
    "list_clients",
    "list_organisations",
    "revoke_client",
    "rotate_secret",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def create_organisation(
    db: AsyncSession, actor: Principal | None, *, kind: OrgKind, name: str, status: OrgStatus = OrgStatus.ACTIVE
) -> Organisation:
    org = Organisation(
        id=uuid.uuid4(),
        kind=kind.value,
        name=name,
        status=status.value,
        created_by_client_id=actor.client_id if actor else None,
        created_at=_now(),
    )
    db.add(org)
    await db.flush()
    await record_event(db, actor, "organisation.create", f"organisation:{org.id}", kind=kind.value)
    return org


async def create_client(
    db: AsyncSession, actor: Principal | None, *, org_id: uuid.UUID, name: str
) -> tuple[ApiClient, str]:
    """A new client for an organisation; the secret is returned once and kept only hashed."""
    org = await get_organisation(db, org_id)
    if actor is not None:  # through the API; the CLI (actor None) bootstraps any kind
        ensure_api_managed(org)
    secret = new_secret()
    salt, digest = hash_secret(secret)
    client = ApiClient(
        client_id=new_client_id(),
        org_id=org_id,
        name=name,
        secret_salt=salt,
        secret_hash=digest,
        secret_version=1,
        created_by_client_id=actor.client_id if actor else None,
        created_at=_now(),
    )
    db.add(client)
    await db.flush()
    await record_event(db, actor, "client.create", f"client:{client.client_id}", org_id=org_id)
    return client, secret


# Kinds whose clients an admin manages through the API. Admins, regulators and rating
# authorities are bootstrapped from the command line; enterprises hold their own secrets.
# Letting an admin mint or rotate those would let it act as any of them.
API_MANAGED_KINDS = frozenset({OrgKind.BANK.value, OrgKind.VERIFIER.value})


def ensure_api_managed(org: Organisation) -> None:
    if org.kind not in API_MANAGED_KINDS:
        raise NotPermitted(f"Admins manage the clients of banks and verifiers only, not of a {org.kind}.")


async def get_organisation(db: AsyncSession, org_id: uuid.UUID) -> Organisation:
    org = await db.get(Organisation, org_id)
    if org is None:
        raise NotFound("No such organisation.")
    return org


async def get_client(db: AsyncSession, client_id: str, *, for_update: bool = False) -> ApiClient:
    stmt = select(ApiClient).where(ApiClient.client_id == client_id)
    client = (await db.execute(stmt.with_for_update() if for_update else stmt)).scalar_one_or_none()
    if client is None:
        raise NotFound("No such client.")
    return client


async def list_clients(db: AsyncSession, org_id: uuid.UUID) -> list[ApiClient]:
    await get_organisation(db, org_id)
    stmt = select(ApiClient).where(ApiClient.org_id == org_id).order_by(ApiClient.created_at, ApiClient.client_id)
    return list((await db.execute(stmt)).scalars())


async def rotate_secret(db: AsyncSession, actor: Principal, client_id: str) -> tuple[ApiClient, str]:
    """A new secret; the old one and every token issued under it stop working at once."""
    client = await get_client(db, client_id, for_update=True)
    ensure_api_managed(await get_organisation(db, client.org_id))
    if client.revoked_at is not None:
        raise StateConflict("A revoked client cannot be rotated; create a new client.")
    secret = new_secret()
    client.secret_salt, client.secret_hash = hash_secret(secret)
    client.secret_version += 1
    client.rotated_at = _now()
    await db.flush()
    await record_event(db, actor, "client.rotate", f"client:{client_id}", version=client.secret_version)
    return client, secret


async def revoke_client(db: AsyncSession, actor: Principal, client_id: str) -> ApiClient:
    client = await get_client(db, client_id, for_update=True)
    if client.revoked_at is None:
        client.revoked_at = _now()
        await db.flush()
        await record_event(db, actor, "client.revoke", f"client:{client_id}")
    return client


async def list_organisations(
    db: AsyncSession, kind: OrgKind | None, *, after: uuid.UUID | None, limit: int
) -> tuple[list[Organisation], bool]:
    """One page in id order, and whether more follow."""
    stmt = select(Organisation).order_by(Organisation.id).limit(limit + 1)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind.value)
    if after is not None:
        stmt = stmt.where(Organisation.id > after)
    rows = list((await db.execute(stmt)).scalars())
    return rows[:limit], len(rows) > limit
