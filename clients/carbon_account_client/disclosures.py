"""披露: the public annual records (`/v1/disclosures`) and their JSON feed, as the API answers.

One Struct for a record whether shown or withheld: a withheld record has only `uscc`, `name`,
`year`, `withheld` (true), `withheld_reason` and `withheld_at`; every figure is then None.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec

__all__ = ["Disclosure", "DisclosureEmissions", "DisclosureFeed", "DisclosureVerification", "FeedItem"]


class DisclosureEmissions(msgspec.Struct, kw_only=True):
    """tCO2 of the year, exact: scope 1 = combustion + process − captured; scope 2 = electricity + heat."""

    scope1_tco2: Decimal
    combustion_tco2: Decimal
    process_tco2: Decimal
    captured_tco2: Decimal
    scope2_tco2: Decimal
    electricity_tco2: Decimal
    heat_tco2: Decimal
    total_tco2: Decimal
    total_tco2e: Decimal | None = None


class DisclosureVerification(msgspec.Struct, kw_only=True):
    verifier: str
    report_sha256: str
    verified_at: dt.datetime


class Disclosure(msgspec.Struct, kw_only=True):
    """An enterprise-year's public record (docs/disclosure.md)."""

    uscc: str
    name: str
    year: int
    withheld: bool = False
    withheld_reason: str | None = None
    withheld_at: dt.datetime | None = None
    district: str | None = None
    district_name: str | None = None
    sector: str | None = None
    sector_name: str | None = None
    industry: str | None = None
    industry_name: str | None = None
    emissions: DisclosureEmissions | None = None
    emissions_verified: bool | None = None
    """False: the enterprise's own figures, not verified by a third party."""
    energy_tce: Decimal | None = None
    intensity: Decimal | None = None
    intensity_unit: str | None = None
    colour: str | None = None
    grade: int | None = None
    methodology_version: str | None = None
    verification: DisclosureVerification | None = None
    rating_id: uuid.UUID | None = None
    rating_status: str | None = None
    """active | revoked | expired"""
    verify_url: str | None = None
    published_at: dt.datetime | None = None


class FeedItem(msgspec.Struct, kw_only=True):
    id: str
    url: str
    """The record's JSON URL."""
    title: str
    content_text: str
    date_published: dt.datetime
    date_modified: dt.datetime | None = None


class DisclosureFeed(msgspec.Struct, kw_only=True):
    """JSON Feed 1.1: the newest (re)published records, newest first."""

    version: str
    title: str
    items: list[FeedItem]
    feed_url: str | None = None
