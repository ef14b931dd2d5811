"""Admin API bodies."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated

import msgspec

from service.db.models import ApiClient, Organisation

__all__ = [
    "ClientCredentials",
    "ClientRead",
    "CreatableKind",
    "CreateClient",
    "CreateOrganisation",
    "OrganisationRead",
]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class CreatableKind(StrEnum):
    """Kinds an admin creates through the API (others are bootstrapped with the CLI)."""

    BANK = "bank"
    VERIFIER = "verifier"


class CreateOrganisation(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kind: CreatableKind
    name: Name


class CreateClient(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name = "default"


class OrganisationRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    kind: str
    name: str
    status: str
    created_at: dt.datetime

    @classmethod
    def of(cls, org: Organisation) -> OrganisationRead:
        return cls(id=org.id, kind=org.kind, name=org.name, status=org.status, created_at=org.created_at)


class ClientRead(msgspec.Struct, kw_only=True, omit_defaults=True):
    client_id: str
    org_id: uuid.UUID
    name: str
    status: str
    created_at: dt.datetime
    rotated_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    @classmethod
    def of(cls, client: ApiClient) -> ClientRead:
        return cls(
            client_id=client.client_id,
            org_id=client.org_id,
            name=client.name,
            status="revoked" if client.revoked_at else "active",
            created_at=client.created_at,
            rotated_at=client.rotated_at,
            revoked_at=client.revoked_at,
        )


class ClientCredentials(msgspec.Struct, kw_only=True, omit_defaults=True):
    client_id: str
    org_id: uuid.UUID
    name: str
    client_secret: str | None = None
    """Shown once, in the answer that creates or rotates it; never again, never in replays."""
