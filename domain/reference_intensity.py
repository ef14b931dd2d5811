"""Reference intensities: an official L_industry per GB/T 4754-2017 class and year, with sources.

Methodology v1 grades a class against its own peers in the round (L_industry = Σ CO2 /
Σ value added over at least 5 verified enterprises, else the division). A city with one
refinery has no such peer group. Version 2 then falls back to a published reference
intensity: tCO2 per 万元 of value added for the class and year, as published by the
statistics bureau or set by the provincial rating authority. This module is the data set
itself (no I/O); the rating authority loads it as a versioned set (POST
/v1/reference-intensities), and a rating that uses a row pins the set's id, version and
SHA-256 with the row's own source, so that it recomputes byte for byte.

The project ships no set: no published 山东省 or 淄博 per-class table was found to read
(docs/methodology.md). Every row carries its source and a confidence label as every factor
does; a row not read in its source is UNCONFIRMED and makes what uses it provisional.
"""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from typing import Annotated

import msgspec

from domain.canonical import canonical_json
from domain.errors import InvalidField
from domain.industry import industry_classes
from domain.sourced import Confidence

__all__ = [
    "L_INDUSTRY_LIMIT",
    "L_INDUSTRY_PLACES",
    "L_INDUSTRY_UNIT",
    "IntensityRow",
    "ReferenceIntensityPin",
    "ReferenceIntensitySet",
    "ReferenceIntensityVersion",
    "SetSource",
    "canonical_bytes",
    "set_sha256",
    "validate_reference_intensities",
]

L_INDUSTRY_UNIT = "tCO2/万元"
L_INDUSTRY_PLACES = 6  # design.md: grading quantizes L_industry to 6 decimals; a set holds no more
L_INDUSTRY_LIMIT = 1000  # tCO2/万元; the 两高 classes lie far below (a bound keeps the 6-place quantize exact)

Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]
ClassCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")]
# A source names something: at least one character that is not white space.
SourceText = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Basis = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Url = Annotated[str, msgspec.Meta(max_length=1000, pattern=r"^https?://\S+$")]


class SetSource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where the whole set was published: the document, and where in it (table, page) or its URL."""

    document: SourceText  # e.g. 《山东统计年鉴 2024》 or the rating authority's notice and number
    locator: SourceText | None = None  # table and page
    url: Url | None = None


class IntensityRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    industry: ClassCode  # GB/T 4754-2017 class (4 digits), one of domain/data/gbt4754_2017_classes.csv
    l_industry: Decimal  # tCO2 per 万元 of value added
    unit: str = L_INDUSTRY_UNIT
    basis: Basis  # what the numerator counts, e.g. "scope1+scope2" (combustion + process + purchased)
    source: SourceText  # the row's own place: table, row, page
    confidence: Confidence


class ReferenceIntensitySet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What the rating authority posts: one year's reference intensities, each row sourced."""

    year: Year  # the accounting year the intensities describe (a round for year Y uses year Y's set)
    label: Label
    source: SetSource
    rows: Annotated[list[IntensityRow], msgspec.Meta(min_length=1, max_length=2000)]

    def for_class(self, code: str) -> IntensityRow | None:
        return next((r for r in self.rows if r.industry == code), None)


class ReferenceIntensityPin(msgspec.Struct, frozen=True, kw_only=True):
    """Which L_industry a rating used: the set's version and hash, the row and both sources."""

    set_id: uuid.UUID
    year: int
    version: int
    sha256: str
    industry: str
    l_industry: Decimal
    unit: str
    basis: str
    source: str  # the row's
    set_source: SetSource
    confidence: Confidence

    @property
    def provisional(self) -> bool:
        return self.confidence.provisional


class ReferenceIntensityVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A loaded version: what a round pins (id, version, SHA-256) and the set itself."""

    id: uuid.UUID
    version: int
    sha256: str
    intensities: ReferenceIntensitySet

    @property
    def year(self) -> int:
        return self.intensities.year

    def for_class(self, code: str) -> IntensityRow | None:
        return self.intensities.for_class(code)

    def pin(self, code: str) -> ReferenceIntensityPin | None:
        """The pin for `code`'s row, or None when the set has no row for the class."""
        row = self.for_class(code)
        if row is None:
            return None
        return ReferenceIntensityPin(
            set_id=self.id,
            year=self.intensities.year,
            version=self.version,
            sha256=self.sha256,
            industry=row.industry,
            l_industry=row.l_industry,
            unit=row.unit,
            basis=row.basis,
            source=row.source,
            set_source=self.intensities.source,
            confidence=row.confidence,
        )


def _check_row(i: int, row: IntensityRow, seen: set[str]) -> None:
    at = f"rows[{i}]"
    if row.industry in seen:
        raise InvalidField(f"{at}.industry", f"{row.industry!r} appears twice")
    seen.add(row.industry)
    if row.industry not in industry_classes():
        raise InvalidField(
            f"{at}.industry", f"{row.industry!r} is not a GB/T 4754-2017 class (4 digits, e.g. 3011 水泥制造)"
        )
    if row.unit != L_INDUSTRY_UNIT:
        raise InvalidField(f"{at}.unit", f"expected {L_INDUSTRY_UNIT}, got {row.unit!r}")
    value = row.l_industry
    if not value.is_finite():
        raise InvalidField(f"{at}.l_industry", "must be a finite number")
    if value <= 0:
        raise InvalidField(f"{at}.l_industry", "must be greater than zero")
    if value >= L_INDUSTRY_LIMIT:
        raise InvalidField(f"{at}.l_industry", f"must be less than {L_INDUSTRY_LIMIT} in size")
    if _places(value) > L_INDUSTRY_PLACES:
        raise InvalidField(f"{at}.l_industry", f"has more than {L_INDUSTRY_PLACES} decimal places")


def _places(value: Decimal) -> int:
    """Decimal places that carry a digit ("1.500" has 1); exact, unlike normalize() at 28 digits."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked before
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing)) if digits != (0,) else 0


def validate_reference_intensities(s: ReferenceIntensitySet) -> None:
    """Everything a posted set must satisfy beyond its shape; raises InvalidField naming the value."""
    seen: set[str] = set()
    for i, row in enumerate(s.rows):
        _check_row(i, row, seen)


def canonical_bytes(s: ReferenceIntensitySet) -> bytes:
    """RFC 8785 canonical JSON of the set (decimals as strings), what its SHA-256 is taken of."""
    return canonical_json(msgspec.to_builtins(s))


def set_sha256(s: ReferenceIntensitySet) -> str:
    return hashlib.sha256(canonical_bytes(s)).hexdigest()
