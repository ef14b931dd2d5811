"""The signed content of a rating: everything it pins and every number behind its grade.

Two claim sets per rating: the full rating, and the grade-only summary (colour, grade,
band, tier, validity) that a bank with `grade_only` consent receives. Decimals are
strings; the same inputs give byte-identical canonical JSON.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import msgspec

from domain.accounting import AccountResult, Flag
from scoring.model import Rating

__all__ = ["Pins", "full_claims", "grade_claims"]


class Pins(msgspec.Struct, frozen=True, kw_only=True):
    """What a rating was computed from; each is a public, never-edited record."""

    rating_id: uuid.UUID
    round_id: uuid.UUID
    year: int
    uscc: str
    name: str
    district: str
    industry: str
    sector: str
    filing_id: uuid.UUID
    filing_version: int
    filing_sha256: str
    factor_set_id: uuid.UUID
    factor_set_version: int
    factor_set_sha256: str
    edition_id: uuid.UUID | None
    edition_sha256: str | None
    previous_filing_id: uuid.UUID | None = None  # the trend's Y−1 filing
    previous_filing_version: int | None = None
    reference_set_id: uuid.UUID | None = None  # v2: the round's reference-intensity set, if any
    reference_set_sha256: str | None = None


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _figures(account: AccountResult, rating: Rating) -> dict[str, Any]:
    e = account.emissions
    return {
        "energy_tce": _s(account.energy_tce),
        "co2_total": _s(e.total),
        "co2_combustion": _s(e.combustion),
        "co2_process": _s(e.process),
        "co2_captured": _s(e.captured),
        "co2_electricity": _s(e.electricity),
        "co2_heat": _s(e.heat),
        "scope1": _s(e.scope1),
        "scope2": _s(e.scope2),
        "value_added_wan": _s(account.value_added_wan),
        "intensity": _s(rating.intensity),
        "intensity_previous": _s(rating.previous_intensity),
        "k": _s(rating.k),
        "fall": _s(rating.fall),
    }


def full_claims(pins: Pins, account: AccountResult, rating: Rating, *, iss: str, iat: int, exp: int) -> dict[str, Any]:
    claims = _claims(pins, account, rating, iss=iss, iat=iat, exp=exp)
    return claims if rating.methodology_version == "1" else _v2_claims(claims, pins, account, rating)


def _v2_claims(claims: dict[str, Any], pins: Pins, account: AccountResult, rating: Rating) -> dict[str, Any]:
    """What version 2 adds (a v1 rating's claims never carry these keys, so v1 stays byte for byte):
    the reference-intensity set pinned, the reference row of a reference peer group, CO2e."""
    claims["pins"] |= {
        "reference_intensity_set_id": str(pins.reference_set_id) if pins.reference_set_id else None,
        "reference_intensity_sha256": pins.reference_set_sha256,
    }
    group = rating.peer_group
    if claims["peer_group"] is not None and group is not None and group.reference is not None:
        claims["peer_group"]["reference"] = msgspec.to_builtins(group.reference)
    claims["figures"] |= {
        "co2e_total": _s(account.co2e_total),
        "emissions_rated": "co2e" if account.co2e_total is not None else "co2",
    }
    claims["gases"] = [
        {"line": g.line, "gas": g.gas, "quantity_t": _s(g.quantity_t), "gwp": _s(g.gwp), "co2e": _s(g.co2e)}
        for g in account.gases
    ]
    claims["process_methods"] = list(account.process_methods)
    return claims


def _claims(pins: Pins, account: AccountResult, rating: Rating, *, iss: str, iat: int, exp: int) -> dict[str, Any]:
    group = rating.peer_group
    return {
        "iss": iss,
        "sub": pins.uscc,
        "iat": iat,
        "exp": exp,
        "jti": str(pins.rating_id),
        "scope": "full",
        "rating_id": str(pins.rating_id),
        "round_id": str(pins.round_id),
        "year": pins.year,
        "enterprise": {
            "uscc": pins.uscc,
            "name": pins.name,
            "district": pins.district,
            "industry": pins.industry,
            "sector": pins.sector,
        },
        "methodology_version": rating.methodology_version,
        "pins": {
            "filing_id": str(pins.filing_id),
            "filing_version": pins.filing_version,
            "filing_sha256": pins.filing_sha256,
            "factor_set_id": str(pins.factor_set_id),
            "factor_set_version": pins.factor_set_version,
            "factor_set_sha256": pins.factor_set_sha256,
            "benchmark_edition_id": str(pins.edition_id) if pins.edition_id else None,
            "benchmark_edition_sha256": pins.edition_sha256,
            "previous_filing_id": str(pins.previous_filing_id) if pins.previous_filing_id else None,
            "previous_filing_version": pins.previous_filing_version,
        },
        "peer_group": None
        if group is None
        else {
            "basis": group.basis.value,
            "code": group.code,
            "size": group.size,
            "co2": str(group.co2),
            "value_added_wan": str(group.value_added),
            "l_industry": str(group.l_industry),
        },
        "figures": _figures(account, rating),
        "products": [
            {
                "product": p.product,
                "level": p.level.value,
                "unit_energy_use": _s(p.unit_energy_use),
                "benchmark": _s(p.benchmark),
                "baseline": _s(p.baseline),
                "unit": p.unit,
                "site_total": Flag.LEVEL_FROM_SITE_TOTAL in p.flags,
                "reason": p.reason.value if p.reason else None,
            }
            for p in account.products
        ],
        "band": rating.band.value if rating.band else None,
        "grade": rating.grade,
        "data_quality": rating.data_quality.value,
        "colour": rating.colour.value,
        "finance_tier": rating.finance_tier.value,
        "pcaf_score": rating.pcaf_score,
        "reasons": [{"code": r.code, "detail": r.detail, "values": dict(r.values)} for r in rating.reasons],
        "flags": [f.value for f in account.flags],
    }


def grade_claims(full: dict[str, Any]) -> dict[str, Any]:
    """The grade-only summary of a full claim set: what `grade_only` consent shows."""
    keep = (
        "iss",
        "sub",
        "iat",
        "exp",
        "rating_id",
        "year",
        "methodology_version",
        "band",
        "grade",
        "colour",
        "finance_tier",
    )
    return {**{k: full[k] for k in keep}, "jti": f"{full['rating_id']}#grade", "scope": "grade_only",
            "enterprise": {"uscc": full["enterprise"]["uscc"], "name": full["enterprise"]["name"]}}  # fmt: skip
