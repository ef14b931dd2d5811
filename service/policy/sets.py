"""Policy sets: versioned, never edited; the rating authority loads each next version.

The application role may only read and insert (migration 0015). Sheets use the latest version;
a rating pins the version it was issued under. The project ships one set
(``domain.policy.shipped``), loaded at start-up like the shipped factor sets.
"""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, NotFound
from domain.policy.model import PolicySet, PolicySetVersion
from domain.policy.shipped import set_sha256, shipped_policy_set
from domain.policy.validate import validate_policy_set
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import PolicySetRecord

__all__ = [
    "create_policy_set",
    "decode_policy_set",
    "get_policy_set",
    "latest_policy_set",
    "list_policy_sets",
    "load_shipped_policies",
    "policy_set_version",
]

_decoded: dict[uuid.UUID, PolicySetVersion] = {}  # versions never change: decode each once


def decode_policy_set(record: PolicySetRecord) -> PolicySetVersion:
    found = _decoded.get(record.id)
    if found is None:
        policies = msgspec.convert(record.document, PolicySet)
        found = PolicySetVersion(id=record.id, version=record.version, sha256=record.sha256, policies=policies)
        _decoded[record.id] = found
    return found


async def _latest(db: AsyncSession) -> PolicySetRecord | None:
    return await db.scalar(select(PolicySetRecord).order_by(PolicySetRecord.version.desc()).limit(1))


async def create_policy_set(db: AsyncSession, actor: Principal | None, s: PolicySet) -> PolicySetRecord:
    """The next version; the same content as the latest version is a conflict."""
    validate_policy_set(s)
    await db.execute(text("SELECT pg_advisory_xact_lock(hashtext('policy_sets'))"))
    sha = set_sha256(s)
    latest = await _latest(db)
    if latest is not None and latest.sha256 == sha:
        raise Conflict(f"The same policy set is version {latest.version} ({latest.id}); a new version must differ.")
    version = (await db.scalar(select(func.max(PolicySetRecord.version))) or 0) + 1
    record = PolicySetRecord(
        version=version,
        label=s.label,
        document=msgspec.to_builtins(s),
        sha256=sha,
        created_by_client_id=actor.client_id if actor else None,
    )
    db.add(record)
    await db.flush()
    await record_event(db, actor, "policy_set.create", f"policy_set:{record.id}", version=version)
    return record


async def load_shipped_policies(db: AsyncSession) -> int:
    """Insert the shipped set unless some version already has its content. Idempotent."""
    shipped = shipped_policy_set()
    if await db.scalar(select(PolicySetRecord.id).where(PolicySetRecord.sha256 == set_sha256(shipped))):
        return 0
    await create_policy_set(db, None, shipped)
    return 1


async def list_policy_sets(db: AsyncSession) -> list[PolicySetRecord]:
    return list(await db.scalars(select(PolicySetRecord).order_by(PolicySetRecord.version)))


async def get_policy_set(db: AsyncSession, set_id: uuid.UUID) -> PolicySetRecord:
    record = await db.get(PolicySetRecord, set_id)
    if record is None:
        raise NotFound("No such policy set.")
    return record


async def latest_policy_set(db: AsyncSession) -> PolicySetVersion | None:
    record = await _latest(db)
    return None if record is None else decode_policy_set(record)


async def policy_set_version(db: AsyncSession, set_id: uuid.UUID) -> PolicySetVersion:
    return decode_policy_set(await get_policy_set(db, set_id))
