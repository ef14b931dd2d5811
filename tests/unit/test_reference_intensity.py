"""Reference-intensity sets in the domain: validation naming the field, canonical hash, lookup, pin."""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from domain.canonical import canonical_json
from domain.errors import InvalidField
from domain.reference_intensity import (
    L_INDUSTRY_UNIT,
    IntensityRow,
    ReferenceIntensitySet,
    ReferenceIntensityVersion,
    SetSource,
    canonical_bytes,
    set_sha256,
    validate_reference_intensities,
)
from domain.sourced import Confidence


def row(industry: str = "2511", value: str = "2.4", **overrides: Any) -> IntensityRow:
    fields: dict[str, Any] = {
        "industry": industry,
        "l_industry": Decimal(value),
        "basis": "scope1+scope2",
        "source": "表 3, p. 12",
        "confidence": Confidence.READ,
    }
    return IntensityRow(**(fields | overrides))


def a_set(*rows: IntensityRow, year: int = 2024) -> ReferenceIntensitySet:
    return ReferenceIntensitySet(
        year=year,
        label="test",
        source=SetSource(document="a published table", locator="表 3"),
        rows=list(rows) or [row()],
    )


def refused(s: ReferenceIntensitySet) -> InvalidField:
    with pytest.raises(InvalidField) as caught:
        validate_reference_intensities(s)
    return caught.value


def test_a_good_set_passes_and_finds_its_rows() -> None:
    s = a_set(row("2511", "2.4"), row("2521", "5.125"), row("3110", "0.000001"))
    validate_reference_intensities(s)
    found = s.for_class("2521")
    assert found is not None and found.l_industry == Decimal("5.125") and found.unit == L_INDUSTRY_UNIT
    assert s.for_class("3011") is None


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        ((row("2511"), row("2521"), row("2511")), "rows[2].industry", "appears twice"),
        ((row("0000"),), "rows[0].industry", "is not a GB/T 4754-2017 class"),
        ((row("25"),), "rows[0].industry", "is not a GB/T 4754-2017 class"),  # a division, not a class
        ((row(value="0"),), "rows[0].l_industry", "greater than zero"),
        ((row(value="-0.5"),), "rows[0].l_industry", "greater than zero"),
        ((row(value="NaN"),), "rows[0].l_industry", "finite"),
        ((row(value="Infinity"),), "rows[0].l_industry", "finite"),
        ((row(value="1000"),), "rows[0].l_industry", "less than 1000"),
        ((row(value="1E+30"),), "rows[0].l_industry", "less than 1000"),
        ((row(value="0.0000001"),), "rows[0].l_industry", "more than 6 decimal places"),
        ((row(value="1.0000000000000000000000000000001"),), "rows[0].l_industry", "more than 6 decimal places"),
        ((row(unit="kgCO2/万元"),), "rows[0].unit", "expected tCO2/万元"),
    ],
)
def test_a_bad_row_is_refused_naming_its_field(rows: tuple[IntensityRow, ...], field: str, words: str) -> None:
    error = refused(a_set(*rows))
    assert error.field == field
    assert words in error.reason


def test_trailing_zeros_are_not_decimal_places() -> None:
    validate_reference_intensities(a_set(row(value="1.50000000")))
    validate_reference_intensities(a_set(row(value="15E+1")))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["rows"][0].pop("source"), "missing required field `source` - at `$.rows[0]`"),
        (lambda d: d["rows"][0].update(source=" \t"), "at `$.rows[0].source`"),
        (lambda d: d["rows"][0].update(confidence="PROBABLY"), "at `$.rows[0].confidence`"),
        (lambda d: d.pop("source"), "missing required field `source`"),
        (lambda d: d["source"].update(document=""), "at `$.source.document`"),
        (lambda d: d.update(rows=[]), "at `$.rows`"),
        (lambda d: d.update(year=2101), "at `$.year`"),
    ],
)
def test_the_shape_refuses_a_missing_or_blank_source_and_unknown_labels(change: Any, words: str) -> None:
    document = msgspec.to_builtins(a_set())
    change(document)
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(document, ReferenceIntensitySet)
    assert words in str(caught.value)


def test_the_hash_is_of_the_canonical_json_and_changes_with_any_value() -> None:
    s = a_set(row("2511", "2.4"), row("2521", "5.125"))
    assert canonical_bytes(s) == canonical_json(msgspec.to_builtins(s))
    assert set_sha256(s) == hashlib.sha256(canonical_bytes(s)).hexdigest()
    assert b'"l_industry":"2.4"' in canonical_bytes(s)  # decimals travel as strings
    assert set_sha256(a_set(row("2511", "2.40"), row("2521", "5.125"))) != set_sha256(s)
    again = msgspec.convert(msgspec.json.decode(msgspec.json.encode(s)), ReferenceIntensitySet)
    assert set_sha256(again) == set_sha256(s)


def test_a_version_pins_the_row_it_used_with_both_sources() -> None:
    s = a_set(row("2511", "2.4", confidence=Confidence.UNCONFIRMED), row("2521", "5.125"))
    version = ReferenceIntensityVersion(id=uuid.uuid4(), version=3, sha256=set_sha256(s), intensities=s)
    pin = version.pin("2511")
    assert pin is not None
    assert (pin.set_id, pin.year, pin.version, pin.sha256) == (version.id, 2024, 3, set_sha256(s))
    assert (pin.industry, pin.l_industry, pin.unit, pin.basis) == ("2511", Decimal("2.4"), "tCO2/万元", "scope1+scope2")
    assert (pin.source, pin.set_source.document) == ("表 3, p. 12", "a published table")
    assert pin.provisional
    read = version.pin("2521")
    assert read is not None and not read.provisional
    assert version.pin("3011") is None and version.year == 2024
