"""Organisations and their life cycle: who a caller is and whether it may act."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import StateConflict

__all__ = ["CAN_HOLD_TOKENS", "Decision", "OrgKind", "OrgStatus", "decide_registration"]


class OrgKind(StrEnum):
    ENTERPRISE = "enterprise"
    VERIFIER = "verifier"
    BANK = "bank"
    REGULATOR = "regulator"
    FINANCE_REGULATOR = "finance_regulator"
    """金融监管局 and the PBoC branch: ratings, certificates and aggregates, never filings
    (issue 15.9: they supervise finance, not the enterprises' own data)."""
    RATING_AUTHORITY = "rating_authority"
    ADMIN = "admin"


class OrgStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


# Statuses whose clients' tokens work; a rejected or suspended organisation's do not.
CAN_HOLD_TOKENS = frozenset({OrgStatus.PENDING, OrgStatus.ACTIVE})


def decide_registration(current: OrgStatus, decision: Decision) -> OrgStatus:
    """A regulator decides a pending registration once; a decided one is not re-decided."""
    if current is not OrgStatus.PENDING:
        raise StateConflict(f"the registration is already {current.value}; only a pending one can be decided")
    return OrgStatus.ACTIVE if decision is Decision.APPROVE else OrgStatus.REJECTED
