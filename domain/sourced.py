"""A reference value with its source and confidence, as every factor and level is kept.

The labels are those of ../shared/reference/sources.md §0. A value labelled other than
READ, READ×2 or COMPUTED is provisional: an account that uses it says so.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import msgspec

from domain.errors import InvalidField

__all__ = ["Confidence", "Sourced", "check_value"]


class Confidence(StrEnum):
    READ = "READ"  # read in the named source (a transcription or reprint of the official text)
    READ_TWICE = "READ×2"  # the same value read in two or more independent sources
    MEM_GB = "MEM+GB"  # recalled, and equal to a grade of the matching GB standard
    UNCONFIRMED = "UNCONFIRMED"  # recalled, seen in no source
    COMPUTED = "COMPUTED"  # derived arithmetically (stoichiometry, unit conversion)

    @property
    def provisional(self) -> bool:
        return self not in (Confidence.READ, Confidence.READ_TWICE, Confidence.COMPUTED)


NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class Sourced(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    value: Decimal
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    source: NonEmpty
    confidence: Confidence


def check_value(field: str, sourced: Sourced, unit: str | tuple[str, ...], *, positive: bool = True) -> None:
    """A posted value must be finite, in the expected unit and (usually) positive."""
    units = (unit,) if isinstance(unit, str) else unit
    if sourced.unit not in units:
        raise InvalidField(f"{field}.unit", f"expected {' or '.join(units)}, got {sourced.unit!r}")
    if not sourced.value.is_finite():
        raise InvalidField(f"{field}.value", "must be a finite number")
    if positive and sourced.value <= 0:
        raise InvalidField(f"{field}.value", "must be greater than zero")
