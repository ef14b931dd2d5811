"""Districts, zones, industry classes and the registration life cycle."""

from __future__ import annotations

import pytest

from domain.districts import DISTRICTS, validate_district
from domain.errors import InvalidField, StateConflict
from domain.industry import Sector, classify, industry_classes
from domain.organisations import Decision, OrgStatus, decide_registration


def test_every_district_is_a_zibo_county_level_code() -> None:
    assert len(DISTRICTS) == 8
    assert all(code.startswith("3703") and len(code) == 6 for code in DISTRICTS)
    assert DISTRICTS["370303"] == "张店区"
    with pytest.raises(InvalidField):
        validate_district("370300")  # the city itself is not a county-level division


def test_the_class_list_is_the_whole_standard() -> None:
    classes = industry_classes()
    assert len(classes) == 1381  # GB/T 4754-2017: 1,381 classes in 97 divisions
    assert len({c.division for c in classes.values()}) == 97


@pytest.mark.parametrize(
    ("code", "sector", "name"),
    [
        ("3011", Sector.BUILDING_MATERIALS, "水泥制造"),
        ("2511", Sector.PETROCHEMICAL, "原油加工及石油制品制造"),
        ("2521", Sector.CHEMICAL, "炼焦"),
        ("4412", Sector.POWER, "热电联产"),
        ("3120", Sector.STEEL, "炼钢"),
        ("3216", Sector.NONFERROUS, "铝冶炼"),
        ("1511", Sector.OTHER, "酒精制造"),
    ],
)
def test_classes_map_to_their_sector(code: str, sector: Sector, name: str) -> None:
    found = classify(code)
    assert (found.sector, found.name) == (sector, name)


def test_process_not_covered_classes_named_by_the_design() -> None:
    for code in ("2511", "2614", "2621", "2521", "3110", "3120", "3216"):
        assert classify(code).v1_process_not_covered
    assert not classify("3011").v1_process_not_covered


def test_unknown_class_is_refused() -> None:
    with pytest.raises(InvalidField) as err:
        classify("3019")
    assert err.value.field == "industry"


def test_a_registration_is_decided_once() -> None:
    assert decide_registration(OrgStatus.PENDING, Decision.APPROVE) is OrgStatus.ACTIVE
    assert decide_registration(OrgStatus.PENDING, Decision.REJECT) is OrgStatus.REJECTED
    with pytest.raises(StateConflict):
        decide_registration(OrgStatus.ACTIVE, Decision.REJECT)
