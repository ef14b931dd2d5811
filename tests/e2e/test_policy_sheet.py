"""The policy sheet end to end: the shipped set applied to a filed account and its rating; who may
read it; a rating pins the set and consequences it was issued under (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api, City, build_city, cement, run_round


def _content(i: int, year: int) -> dict[str, Any]:
    # clinker: 800 000 t; 100 000 tce → 125 kgce/t, above 基准 117 (enterprise 0); 85 000 → 106.25
    return cement(value_added=str(40000 + 5000 * i), clinker_energy="100000" if i == 0 else "85000")


@pytest.fixture
def town(api: Api) -> City:
    city = build_city(api, 6, years=(2024,), content=_content)
    assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
    return city


def _sheet(api: Api, town: City, i: int, year: int = 2024) -> Any:
    ent = town.enterprises[i]
    return api.client.get(f"/v1/enterprises/{ent.uscc}/policy", params={"year": year}, headers=ent.headers)


def test_a_product_below_the_baseline_must_be_retrofitted_by_the_end_of_2025(api: Api, town: City) -> None:
    r = _sheet(api, town, 0)
    assert r.status_code == 200, r.text
    sheet = r.json()
    kinds = {(c["rule_id"], c["kind"]) for c in sheet["consequences"]}
    assert ("ndrc-2021-areas.retrofit", "retrofit_required") in kinds
    c = next(c for c in sheet["consequences"] if c["rule_id"] == "ndrc-2021-areas.retrofit")
    assert c["deadline"] == "2025-12-31" and c["subject"]["product"] == "cement_clinker"
    assert c["figures"]["product.level"] == "below_baseline" and c["figures"]["product.edition_area"] == "2021"
    assert "723" in c["source"]["document"]
    assert sheet["policy_set"]["version"] == 1 and sheet["rating_id"]
    assert [c["kind"] for c in _sheet(api, town, 1).json()["consequences"]] == []
