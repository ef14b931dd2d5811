"""披露: the public annual disclosure record of a rated enterprise-year, projected from its account
and its rating. Pure: the service stores what `disclose` returns and serves nothing else.

企业环境信息依法披露管理办法 (生态环境部令第24号, in force 2022-02-08; the annual report by 3月15日;
第十二条: carbon-emission information of the enterprises it names) asks key emitters to publish
their annual emissions. The record holds what that calls for and what a reader needs to check
it — who the enterprise is, its emissions by scope, energy use, intensity, the rating's colour
and grade, who verified the filing (the report's hash) and which rating it comes from — and
nothing else of the filing: no value added, no products, no fuel lines (docs/disclosure.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

import msgspec

from domain.accounting import AccountResult
from domain.districts import DISTRICTS
from domain.industry import industry_classes

__all__ = ["Disclosed", "DisclosedEmissions", "DisclosedRating", "DisclosedVerification", "Subject", "disclose"]

Basis = Literal["co2", "co2e"]


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The enterprise as its rating names it."""

    uscc: str
    name: str
    year: int
    district: str
    industry: str
    sector: str
    sector_name: str  # the 两高 sector as Chinese tables name it (the caller's display table)


class DisclosedRating(msgspec.Struct, frozen=True, kw_only=True):
    """What the record takes from the rating."""

    rating_id: uuid.UUID
    colour: str
    grade: int | None
    intensity: Decimal | None  # L as the rating quantized it; None without value added
    intensity_basis: Basis  # co2e when the methodology rated CO2e (non-CO2 gases accounted)
    methodology_version: str


class DisclosedVerification(msgspec.Struct, frozen=True, kw_only=True):
    """The third-party verification (第三方核查) of the filing the rating pins."""

    verifier: str
    """The verifier organisation's name."""
    report_sha256: str
    """SHA-256 of the verification report, hex, as the verifier recorded it."""
    verified_at: dt.datetime


class DisclosedEmissions(msgspec.Struct, frozen=True, kw_only=True):
    """tCO2 of the year, as the account computed them (exact, unrounded)."""

    scope1_tco2: Decimal
    """范围一 direct: combustion + process − captured."""
    combustion_tco2: Decimal
    process_tco2: Decimal
    captured_tco2: Decimal
    scope2_tco2: Decimal
    """范围二 indirect: purchased electricity + purchased heat."""
    electricity_tco2: Decimal
    heat_tco2: Decimal
    total_tco2: Decimal
    """scope 1 + scope 2."""
    total_tco2e: Decimal | None
    """CO2 plus the non-CO2 gases (PFCs, N2O) at the factor set's GWP: total_tco2 when there are none."""


class Disclosed(msgspec.Struct, frozen=True, kw_only=True):
    """The public fields of an enterprise-year, and nothing else (the stored `document`)."""

    uscc: str
    name: str
    year: int
    district: str
    """GB/T 2260 code (3703xx)."""
    district_name: str
    sector: str
    sector_name: str
    industry: str
    """GB/T 4754-2017 class."""
    industry_name: str
    emissions: DisclosedEmissions
    emissions_verified: bool
    """Whether a third-party verifier verified the filing; false: the figures are the enterprise's own, unverified."""
    energy_tce: Decimal
    """综合能耗, tonnes of standard coal equivalent."""
    intensity: Decimal | None
    """碳排放强度 L, the rating's: emissions ÷ value added (value added itself is not public)."""
    intensity_unit: str
    """tCO2/万元, or tCO2e/万元 when the rating counted the non-CO2 gases."""
    colour: str
    grade: int | None
    methodology_version: str
    verification: DisclosedVerification | None
    """None when the filing was not verified."""
    rating_id: uuid.UUID


def disclose(
    subject: Subject, account: AccountResult, rating: DisclosedRating, verification: DisclosedVerification | None
) -> Disclosed:
    """The record of one rated enterprise-year."""
    e = account.emissions
    industry = industry_classes().get(subject.industry)
    return Disclosed(
        uscc=subject.uscc,
        name=subject.name,
        year=subject.year,
        district=subject.district,
        district_name=DISTRICTS.get(subject.district, ""),
        sector=subject.sector,
        sector_name=subject.sector_name,
        industry=subject.industry,
        industry_name=industry.name if industry else "",
        emissions=DisclosedEmissions(
            scope1_tco2=e.scope1,
            combustion_tco2=e.combustion,
            process_tco2=e.process,
            captured_tco2=e.captured,
            scope2_tco2=e.scope2,
            electricity_tco2=e.electricity,
            heat_tco2=e.heat,
            total_tco2=e.total,
            total_tco2e=account.co2e_total,
        ),
        emissions_verified=verification is not None,
        energy_tce=account.energy_tce,
        intensity=rating.intensity,
        intensity_unit="tCO2e/万元" if rating.intensity_basis == "co2e" else "tCO2/万元",
        colour=rating.colour,
        grade=rating.grade,
        methodology_version=rating.methodology_version,
        verification=verification,
        rating_id=rating.rating_id,
    )
