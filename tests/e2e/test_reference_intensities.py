"""The rating authority loads reference intensities (official L_industry per class and year) as
versions; anyone reads them; a bad set is refused naming its field and loads nothing.

Methodology v2 falls back to these when a round's peers are too few; a round pins the latest
version of its year (service.reference_intensities.reference_intensity_for_year), tested here
against the real database as the round code will call it.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from domain.organisations import OrgKind
from domain.reference_intensity import ReferenceIntensitySet, ReferenceIntensityVersion, set_sha256
from domain.sourced import Confidence
from service.db.engine import make_engine, make_sessionmaker
from service.reference_intensities import reference_intensity_for_year, reference_intensity_version
from tests.helpers import Api, Caller
from tests.reference_intensities import FIXTURE_SOURCE, sample_set

PROBLEM = "application/problem+json"
PATH = "/v1/reference-intensities"
Doc = dict[str, Any]


@pytest.fixture
def authority(api: Api) -> Caller:
    return api.bootstrap(OrgKind.RATING_AUTHORITY)


def listed(api: Api, year: int | None = None) -> list[Doc]:
    r = api.client.get(PATH, params={} if year is None else {"year": year})
    assert r.status_code == 200, r.text
    return list(r.json())


def load(api: Api, authority: Caller, body: Doc, **headers: str) -> Doc:
    r = api.client.post(PATH, json=body, headers={**authority.headers, **headers})
    assert r.status_code == 201, r.text
    return dict(r.json())


def assert_refused(r: Any, field: str, status: int = 422) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    doc = r.json()
    assert doc["type"].startswith("urn:carbon-account:problem:") and doc["status"] == status
    assert doc["errors"][0]["field"] == field, doc


def test_no_set_ships_none_is_invented(api: Api) -> None:
    assert listed(api) == []


# --- loading and reading back ---------------------------------------------------------------


def test_a_loaded_set_is_read_back_without_a_token_with_its_hash_and_sources(api: Api, authority: Caller) -> None:
    body = sample_set(2024)
    created = load(api, authority, body)
    assert (created["year"], created["version"], created["label"]) == (2024, 1, body["label"])
    assert created["source"] == body["source"]
    expected = msgspec.convert(body, ReferenceIntensitySet)
    assert created["sha256"] == set_sha256(expected)
    rows = created["intensities"]["rows"]
    assert [(r["industry"], r["l_industry"], r["unit"], r["confidence"]) for r in rows] == [
        ("2511", "2.4", "tCO2/万元", "UNCONFIRMED"),
        ("2521", "5.125", "tCO2/万元", "UNCONFIRMED"),
    ]
    assert rows[0]["source"] == FIXTURE_SOURCE + ", row 2511"

    read = api.client.get(f"{PATH}/{created['id']}")  # no token: reference data is public
    assert read.status_code == 200, read.text
    assert read.json() == created
    (ref,) = listed(api)
    assert ref == {k: v for k, v in created.items() if k != "intensities"}
    assert listed(api, 2024) == [ref] and listed(api, 2025) == []


def test_each_load_is_the_years_next_version_and_earlier_versions_never_change(api: Api, authority: Caller) -> None:
    v1 = load(api, authority, sample_set(2024))
    corrected = sample_set(2024, label="corrected")
    corrected["rows"][0]["l_industry"] = "2.35"
    v2 = load(api, authority, corrected)
    other_year = load(api, authority, sample_set(2023))
    assert (v2["year"], v2["version"], other_year["version"]) == (2024, 2, 1)
    assert v2["sha256"] != v1["sha256"]
    assert [(s["year"], s["version"]) for s in listed(api)] == [(2023, 1), (2024, 1), (2024, 2)]
    assert api.client.get(f"{PATH}/{v1['id']}").json() == v1

    # What the round code pins: the year's latest version; a recompute reads a pinned one by id.
    async def pinned() -> tuple[ReferenceIntensityVersion | None, ReferenceIntensityVersion | None, Any]:
        engine = make_engine(api.settings.app_database_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                latest = await reference_intensity_for_year(db, 2024)
                none = await reference_intensity_for_year(db, 2022)
                first = await reference_intensity_version(db, uuid.UUID(v1["id"]))
                return latest, none, first
        finally:
            await engine.dispose()

    latest, none, first = asyncio.run(pinned())
    assert none is None
    assert latest is not None and (str(latest.id), latest.version, latest.sha256) == (v2["id"], 2, v2["sha256"])
    pin = latest.pin("2511")
    assert pin is not None
    assert (pin.l_industry, pin.unit, pin.basis, pin.confidence) == (
        Decimal("2.35"),
        "tCO2/万元",
        "scope1+scope2",
        Confidence.UNCONFIRMED,
    )
    assert pin.provisional and pin.set_source.document == FIXTURE_SOURCE
    assert (pin.set_id, pin.year, pin.version) == (latest.id, 2024, 2)
    assert latest.pin("3011") is None  # no row for cement: the round says so rather than guess
    assert first.version == 1 and first.for_class("2511") is not None
    assert first.for_class("2511").l_industry == Decimal("2.4")  # type: ignore[union-attr]


def test_the_same_content_as_the_years_latest_version_is_a_conflict_and_loads_nothing(
    api: Api, authority: Caller
) -> None:
    first = load(api, authority, sample_set(2024))
    r = api.client.post(PATH, json=sample_set(2024), headers=authority.headers)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert first["id"] in r.json()["detail"]
    assert [s["id"] for s in listed(api)] == [first["id"]]


def test_a_missing_version_is_404_and_a_bad_year_422(api: Api) -> None:
    r = api.client.get(f"{PATH}/{uuid.uuid4()}")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
    r = api.client.get(PATH, params={"year": 1999})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


def test_only_the_rating_authority_loads(api: Api) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    assert api.client.post(PATH, json=sample_set()).status_code == 401
    assert api.client.post(PATH, json=sample_set(), headers=regulator.headers).status_code == 403
    assert listed(api) == []


# --- refusals --------------------------------------------------------------------------------


def _row(i: int, change: Callable[[Doc], Any]) -> Callable[[Doc], Any]:
    return lambda doc: change(doc["rows"][i])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(_row(1, lambda r: r.update(industry="2511")), "rows[1].industry", id="duplicate-class"),
        pytest.param(_row(0, lambda r: r.update(industry="0000")), "rows[0].industry", id="unknown-class"),
        pytest.param(_row(0, lambda r: r.update(industry="251")), "rows[0].industry", id="not-4-digits"),
        pytest.param(_row(0, lambda r: r.update(l_industry="0")), "rows[0].l_industry", id="zero"),
        pytest.param(_row(1, lambda r: r.update(l_industry="-1.2")), "rows[1].l_industry", id="negative"),
        pytest.param(_row(0, lambda r: r.update(l_industry="NaN")), "rows[0].l_industry", id="not-finite"),
        pytest.param(_row(0, lambda r: r.update(l_industry="1000")), "rows[0].l_industry", id="too-large"),
        pytest.param(_row(0, lambda r: r.update(l_industry="1.2345678")), "rows[0].l_industry", id="7-places"),
        pytest.param(_row(0, lambda r: r.update(l_industry="abc")), "rows[0].l_industry", id="not-a-number"),
        pytest.param(_row(0, lambda r: r.pop("source")), "rows[0].source", id="row-without-source"),
        pytest.param(_row(0, lambda r: r.update(source="")), "rows[0].source", id="row-empty-source"),
        pytest.param(_row(0, lambda r: r.update(source="  ")), "rows[0].source", id="row-blank-source"),
        pytest.param(_row(0, lambda r: r.pop("confidence")), "rows[0].confidence", id="no-confidence"),
        pytest.param(_row(0, lambda r: r.update(confidence="PROBABLY")), "rows[0].confidence", id="unknown-label"),
        pytest.param(_row(0, lambda r: r.update(unit="kgCO2/万元")), "rows[0].unit", id="wrong-unit"),
        pytest.param(_row(0, lambda r: r.pop("basis")), "rows[0].basis", id="no-basis"),
        pytest.param(lambda d: d.pop("source"), "source", id="set-without-source"),
        pytest.param(lambda d: d["source"].pop("document"), "source.document", id="source-without-document"),
        pytest.param(lambda d: d["source"].update(url="ftp://x"), "source.url", id="source-url-not-http"),
        pytest.param(lambda d: d.update(rows=[]), "rows", id="no-rows"),
        pytest.param(lambda d: d.update(year=1999), "year", id="year-out-of-range"),
        pytest.param(lambda d: d.update(version=3), "version", id="version-is-the-services"),
    ],
)
def test_a_bad_set_is_refused_naming_the_field_and_loads_nothing(
    api: Api, authority: Caller, change: Callable[[Doc], Any], field: str
) -> None:
    body = copy.deepcopy(sample_set())
    change(body)
    r = api.client.post(PATH, json=body, headers={**authority.headers, "Accept-Language": "zh-CN"})
    assert_refused(r, field)
    assert r.headers["content-language"] == "zh-CN"
    assert listed(api) == []


# --- idempotency ---------------------------------------------------------------------------------


def test_an_idempotency_key_replays_the_first_answer_and_loads_once(api: Api, authority: Caller) -> None:
    body = sample_set(2024)
    first = api.client.post(PATH, json=body, headers={**authority.headers, "Idempotency-Key": "ri-1"})
    assert first.status_code == 201, first.text
    again = api.client.post(PATH, json=body, headers={**authority.headers, "Idempotency-Key": "ri-1"})
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(listed(api, 2024)) == 1

    other = sample_set(2024, label="another")
    r = api.client.post(PATH, json=other, headers={**authority.headers, "Idempotency-Key": "ri-1"})
    assert_refused(r, "header.Idempotency-Key")
    assert len(listed(api, 2024)) == 1


def test_a_refused_load_does_not_consume_its_key(api: Api, authority: Caller) -> None:
    bad = sample_set(2024)
    bad["rows"][0]["industry"] = "0000"
    headers = {**authority.headers, "Idempotency-Key": "ri-2"}
    assert_refused(api.client.post(PATH, json=bad, headers=headers), "rows[0].industry")
    r = api.client.post(PATH, json=sample_set(2024), headers=headers)
    assert r.status_code == 201, r.text
    assert "idempotent-replayed" not in r.headers
