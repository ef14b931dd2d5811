"""Enterprise bodies: registration, the profile, the regulator's decision."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from domain.districts import DISTRICTS, ZONES
from domain.industry import industry_classes
from domain.organisations import Decision
from service.api.admin.schemas import ClientCredentials
from service.db.models import Enterprise, Organisation

__all__ = ["ApprovalDecision", "EnterpriseRead", "RegisterEnterprise", "Registered"]


class RegisterEnterprise(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    uscc: Annotated[str, msgspec.Meta(max_length=64, description="统一社会信用代码, 18 characters (GB 32100-2015)")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    district: Annotated[str, msgspec.Meta(max_length=16, description="GB/T 2260 county-level code, 3703xx")]
    industry: Annotated[str, msgspec.Meta(max_length=16, description="GB/T 4754-2017 class, 4 digits")]
    zone: Annotated[str, msgspec.Meta(max_length=32, description="Functional zone: " + ", ".join(ZONES))] | None = None


class EnterpriseRead(msgspec.Struct, kw_only=True, omit_defaults=True):
    uscc: str
    name: str
    district: str
    district_name: str
    industry: str
    industry_name: str
    sector: str
    status: str
    registered_at: dt.datetime
    zone: str | None = None
    zone_name: str | None = None
    status_changed_at: dt.datetime | None = None
    status_reason: str | None = None

    @classmethod
    def of(cls, ent: Enterprise, org: Organisation) -> EnterpriseRead:
        cls_ = industry_classes().get(ent.industry)
        return cls(
            uscc=ent.uscc,
            name=ent.name,
            district=ent.district,
            district_name=DISTRICTS.get(ent.district, ""),
            zone=ent.zone,
            zone_name=ZONES.get(ent.zone) if ent.zone else None,
            industry=ent.industry,
            industry_name=cls_.name if cls_ else "",
            sector=ent.sector,
            status=org.status,
            registered_at=ent.registered_at,
            status_changed_at=org.status_changed_at,
            status_reason=org.status_reason,
        )


class Registered(msgspec.Struct, kw_only=True):
    enterprise: EnterpriseRead
    client: ClientCredentials
    """The enterprise's first API client; its secret is shown in this answer only."""


class ApprovalDecision(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    decision: Decision
    reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None
