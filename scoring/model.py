"""What a methodology takes and gives: candidates in, peer groups and ratings out.

Shared by every methodology version; a version's thresholds live in its own module.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from domain.accounting import AccountResult
from domain.reference_intensity import ReferenceIntensityPin

__all__ = [
    "Band",
    "Candidate",
    "Colour",
    "DataQuality",
    "FinanceTier",
    "PeerBasis",
    "PeerGroup",
    "Rating",
    "Reason",
]


class Band(StrEnum):
    """碳效水平, absolute: by L alone."""

    LOW = "low"  # 低碳
    MEDIUM = "medium"  # 中碳
    HIGH = "high"  # 高碳


class Colour(StrEnum):
    DARK_GREEN = "dark_green"  # 深绿
    LIGHT_GREEN = "light_green"  # 浅绿
    YELLOW = "yellow"  # 黄
    RED = "red"  # 红
    UNRATED = "unrated"  # 未评


class FinanceTier(StrEnum):
    PREFERENTIAL = "preferential"
    ELIGIBLE = "eligible"
    WATCH = "watch"
    RESTRICTED = "restricted"
    UNRATED = "unrated"


class DataQuality(StrEnum):
    A = "A"  # verified; every fuel line with ≥ 5 % of combustion CO2 measured
    B = "B"  # verified otherwise
    C = "C"  # submitted, unverified


class PeerBasis(StrEnum):
    CLASS = "class"  # GB/T 4754 class (4 digits)
    DIVISION = "division"  # GB/T 4754 division (2 digits), the fallback
    REFERENCE = "reference"  # v2: the class's official reference intensity (a pinned, sourced set)


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """One enterprise in a round: its current filing's account, and last year's under this year's factors."""

    uscc: str
    industry: str  # GB/T 4754-2017 class
    verified: bool
    account: AccountResult
    previous: AccountResult | None = None  # Y−1's current filing recomputed with Y's factor set

    @property
    def division(self) -> str:
        return self.industry[:2]


class PeerGroup(msgspec.Struct, frozen=True, kw_only=True):
    basis: PeerBasis
    code: str
    size: int  # gradable enterprises with verified current filings
    co2: Decimal  # Σ CO2 over them, t
    value_added: Decimal  # Σ value added over them, 万元
    l_industry: Decimal  # Σ CO2 ÷ Σ value added, quantized (a reference group: the set's row)
    reference: ReferenceIntensityPin | None = None  # v2's reference group: which set and row, sourced


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    detail: str
    values: dict[str, str] = {}


class Rating(msgspec.Struct, frozen=True, kw_only=True):
    methodology_version: str
    uscc: str
    gradable: bool
    intensity: Decimal | None  # L, quantized
    band: Band | None
    peer_group: PeerGroup | None
    k: Decimal | None
    grade: int | None
    previous_intensity: Decimal | None  # L′(Y−1), quantized
    fall: Decimal | None
    data_quality: DataQuality
    colour: Colour
    finance_tier: FinanceTier
    pcaf_score: int
    reasons: list[Reason]
