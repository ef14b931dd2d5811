"""Verifier bodies: the directory, an engagement."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from service.db.models import Organisation, VerifierEngagement

__all__ = ["EngageVerifier", "EngagementRead", "VerifierRead"]


class VerifierRead(msgspec.Struct, kw_only=True):
    org_id: uuid.UUID
    name: str

    @classmethod
    def of(cls, org: Organisation) -> VerifierRead:
        return cls(org_id=org.id, name=org.name)


class EngageVerifier(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    verifier_org_id: uuid.UUID
    """An active verifier organisation (GET /v1/verifiers)."""


class EngagementRead(msgspec.Struct, kw_only=True):
    verifier_org_id: uuid.UUID
    verifier_name: str
    engaged_at: dt.datetime

    @classmethod
    def of(cls, engagement: VerifierEngagement, org: Organisation) -> EngagementRead:
        return cls(verifier_org_id=org.id, verifier_name=org.name, engaged_at=engagement.engaged_at)
