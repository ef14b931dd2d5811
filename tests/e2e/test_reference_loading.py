"""The rating authority loads factor sets and benchmark editions as new versions; anyone reads them.

A factor is only as good as its source: a value without a source or confidence, in the
wrong unit or out of range is refused with the field named, and nothing is loaded. A
loaded version applies to accounts from then on, while earlier versions never change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from domain.factors import shipped_factor_sets
from domain.organisations import OrgKind
from tests.helpers import Api, Caller, Filings

PROBLEM = "application/problem+json"
Doc = dict[str, Any]


@pytest.fixture
def authority(api: Api) -> Caller:
    return api.bootstrap(OrgKind.RATING_AUTHORITY)


def factor_sets(api: Api, year: int | None = None) -> list[Doc]:
    r = api.client.get("/v1/factor-sets", params={} if year is None else {"year": year})
    assert r.status_code == 200, r.text
    return list(r.json())


def factor_set(api: Api, set_id: str) -> Doc:
    r = api.client.get(f"/v1/factor-sets/{set_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def editions(api: Api) -> list[Doc]:
    r = api.client.get("/v1/benchmark-editions")
    assert r.status_code == 200, r.text
    return list(r.json())


def shipped_2024(api: Api) -> Doc:
    (ref,) = factor_sets(api, 2024)
    return factor_set(api, ref["id"])


def shipped_edition(api: Api) -> Doc:
    (ref,) = editions(api)
    r = api.client.get(f"/v1/benchmark-editions/{ref['id']}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def assert_refused(r: Any, field: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    doc = r.json()
    assert doc["type"].startswith("urn:carbon-account:problem:") and doc["status"] == 422
    assert doc["errors"][0]["field"] == field, doc


# --- public reads -------------------------------------------------------------------------


def test_the_shipped_sets_and_edition_are_read_without_a_token(api: Api) -> None:
    sets = factor_sets(api)
    assert [(s["year"], s["version"]) for s in sets] == [(y, 1) for y in range(2020, 2027)]
    assert shipped_2024(api)["factors"]["grid_factor"]["data_year"] == 2023
    (edition,) = editions(api)
    assert shipped_edition(api)["edition"]["effective_from"] == edition["effective_from"]
    assert len(shipped_edition(api)["edition"]["rows"]) == 28  # 2021 edition incl. 瓷质砖, 卫生陶瓷
    assert len(shipped_edition(api)["edition"]["unread"]) == 11  # 〔2023〕723号 areas, levels not read
    listed = api.client.get("/v1/products")
    assert listed.status_code == 200
    by_code = {p["code"]: p for p in listed.json()}
    assert (by_code["sanitary_ceramics"]["unit"], by_code["sanitary_ceramics"]["industry_classes"]) == (
        "kgce/t",
        ["3072"],
    )
    assert by_code["ceramic_tile_le0_5"]["industry_classes"] == ["3071"]


# --- loading a factor set -----------------------------------------------------------------


def test_a_new_version_applies_to_accounts_and_the_old_one_is_unchanged(api: Api, authority: Caller) -> None:
    v1 = shipped_2024(api)
    document = copy.deepcopy(v1["factors"])
    document["grid_factor"]["value"] = "0.5000"
    r = api.client.post("/v1/factor-sets", json=document, headers=authority.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["year"], r.json()["version"]) == (2024, 2)
    assert [s["version"] for s in factor_sets(api, 2024)] == [1, 2]
    assert factor_set(api, v1["id"]) == v1

    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    filing = Filings(api).create(ent, 2024)
    result = api.client.get(f"/v1/filings/{filing['id']}/result", headers=ent.headers)
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["factor_set"]["version"] == 2
    (grid,) = [u for u in body["result"]["factors"] if u["key"] == "grid_factor"]
    assert Decimal(grid["value"]) == Decimal("0.5000")
    assert Decimal(body["result"]["emissions"]["electricity"]) == Decimal(50000) * Decimal("0.5000")


def _grid(change: Callable[[Doc], None]) -> Callable[[Doc], None]:
    return lambda doc: change(doc["grid_factor"])


def _carrier(code: str, change: Callable[[Doc], None]) -> Callable[[Doc], None]:
    return lambda doc: change(next(c for c in doc["carriers"] if c["code"] == code))


def _index(code: str) -> int:
    """The carrier's position in the shipped sets (the same carriers every year)."""
    return [c.code for c in shipped_factor_sets()[0].carriers].index(code)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(_grid(lambda g: g.pop("source")), "grid_factor.source", id="no-source"),
        pytest.param(_grid(lambda g: g.update(source="")), "grid_factor.source", id="empty-source"),
        pytest.param(_grid(lambda g: g.pop("confidence")), "grid_factor.confidence", id="no-confidence"),
        pytest.param(_grid(lambda g: g.update(confidence="PROBABLY")), "grid_factor.confidence", id="unknown-label"),
        pytest.param(_grid(lambda g: g.update(unit="kgCO2/kWh")), "grid_factor.unit", id="wrong-unit"),
        pytest.param(
            _carrier("raw_coal", lambda c: [c.pop("ncv"), c.pop("coal_equivalent")]),
            f"carriers[{_index('raw_coal')}]",
            id="carrier-without-ncv-or-coal-equivalent",
        ),
        pytest.param(
            _carrier("natural_gas", lambda c: c["oxidation"].update(value="1.01")),
            f"carriers[{_index('natural_gas')}].oxidation.value",
            id="oxidation-above-1",
        ),
    ],
)
def test_a_bad_factor_set_is_refused_and_loads_nothing(
    api: Api, authority: Caller, change: Callable[[Doc], None], field: str
) -> None:
    document = copy.deepcopy(shipped_2024(api)["factors"])
    change(document)
    before = factor_sets(api, 2024)
    assert_refused(api.client.post("/v1/factor-sets", json=document, headers=authority.headers), field)
    assert factor_sets(api, 2024) == before


# --- loading a benchmark edition ----------------------------------------------------------


def _row(change: Callable[[Doc], None]) -> Callable[[Doc], None]:
    return lambda doc: change(doc["rows"][0])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(_row(lambda r: r.update(product="moon_cheese")), "rows[0].product", id="unknown-product"),
        pytest.param(_row(lambda r: r.update(unit="kgce/t")), "rows[0].unit", id="unit-not-the-products"),
        pytest.param(
            _row(lambda r: r["benchmark"].update(value=str(Decimal(r["baseline"]["value"]) + 1))),
            "rows[0].benchmark.value",
            id="benchmark-above-baseline",
        ),
        pytest.param(_row(lambda r: r["benchmark"].pop("source")), "rows[0].benchmark.source", id="no-source"),
        pytest.param(
            lambda d: d["process_coverage"][0].update(industry="3011"),
            "process_coverage[0].industry",
            id="coverage-for-a-covered-class",
        ),
        pytest.param(
            lambda d: d["process_coverage"][0].update(products=["moon_cheese"]),
            "process_coverage[0].products[0]",
            id="coverage-unknown-product",
        ),
        pytest.param(
            lambda d: d["unread"][0].update(confidence="READ"), "unread[0].confidence", id="unread-row-claimed-read"
        ),
        pytest.param(
            lambda d: d["unread"][0].update(product="caustic_soda_liquid_30"),
            "unread[0].product",
            id="unread-row-for-a-rated-product",
        ),
    ],
)
def test_a_bad_edition_is_refused_and_loads_nothing(
    api: Api, authority: Caller, change: Callable[[Doc], None], field: str
) -> None:
    document = copy.deepcopy(shipped_edition(api)["edition"])
    change(document)
    before = editions(api)
    assert_refused(api.client.post("/v1/benchmark-editions", json=document, headers=authority.headers), field)
    assert editions(api) == before
