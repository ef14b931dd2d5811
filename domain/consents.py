"""Consent: an enterprise lets one bank read its rating, for a purpose, in a scope, until a date.

Without an active consent a bank sees nothing of the enterprise (not even that it exists);
`grade_only` shows the grade-only token and summary, `full` the whole rating and the
financed-emissions figures.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from domain.errors import InvalidField

__all__ = ["MAX_CONSENT_DAYS", "Purpose", "Scope", "check_expiry", "covers"]

MAX_CONSENT_DAYS = 5 * 366  # a loan's life; longer needs a new consent


class Purpose(StrEnum):
    CREDIT = "credit"
    BOND = "bond"
    MONITORING = "monitoring"


class Scope(StrEnum):
    GRADE_ONLY = "grade_only"
    FULL = "full"


def check_expiry(expires_at: dt.datetime, now: dt.datetime) -> None:
    if expires_at.tzinfo is None:
        raise InvalidField("expires_at", "give a time zone (e.g. 2026-12-31T23:59:59+08:00)")
    if expires_at <= now:
        raise InvalidField("expires_at", "must be in the future")
    if expires_at > now + dt.timedelta(days=MAX_CONSENT_DAYS):
        raise InvalidField("expires_at", f"at most {MAX_CONSENT_DAYS} days ahead")


def covers(granted: Scope, needed: Scope) -> bool:
    """`full` covers everything `grade_only` does."""
    return granted is Scope.FULL or needed is Scope.GRADE_ONLY
