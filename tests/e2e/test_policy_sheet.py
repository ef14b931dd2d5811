"""The policy sheet end to end: the shipped set applied to a filed account and its rating; who may
read it; a rating pins the set and consequences it was issued under (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_methodology_v2 import _certificate_text
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


def test_a_rating_pins_the_set_and_the_consequences_it_was_issued_under(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    sheet = _sheet(api, town, 0).json()
    rating = api.client.get(f"/v1/ratings/{sheet['rating_id']}", headers=ent.headers).json()
    assert rating["policy_set_id"] == sheet["policy_set"]["id"]
    assert [c["rule_id"] for c in rating["policy_consequences"]] == [c["rule_id"] for c in sheet["consequences"]]
    latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    assert latest["id"] == rating["id"]  # the latest read (its own fast path) shows the same pins
    assert (latest["policy_set_id"], latest["policy_consequences"]) == (
        rating["policy_set_id"],
        rating["policy_consequences"],
    )


def test_who_may_read_a_sheet(api: Api, town: City) -> None:
    ent, other = town.enterprises[0], town.enterprises[1]
    path = f"/v1/enterprises/{ent.uscc}/policy"
    assert api.client.get(path, params={"year": 2024}, headers=other.headers).status_code == 404
    assert api.client.get(path, params={"year": 2024}, headers=town.regulator.headers).status_code == 200
    assert api.client.get(path, params={"year": 2023}, headers=ent.headers).status_code == 404  # nothing filed
    bank = api.admin_created(town.admin, "bank")
    assert api.client.get(path, params={"year": 2024}, headers=bank.headers).status_code == 404  # no consent
    grant = {
        "bank_org_id": bank.org_id,
        "purpose": "credit",
        "scope": "full",
        "expires_at": "2030-01-01T00:00:00+08:00",
    }
    assert api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=grant, headers=ent.headers).status_code == 201
    assert api.client.get(path, params={"year": 2024}, headers=bank.headers).status_code == 200
    log = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", headers=ent.headers).json()["items"]
    assert {(e["what"], e["org_kind"]) for e in log} >= {("policy", "bank"), ("policy", "regulator")}


def _v2(api: Api, town: City) -> dict[str, Any]:
    """The shipped set plus a rule in force from 2025: a product at the baseline level (not yet 标杆)."""
    shipped = api.client.get("/v1/policy-sets").json()[0]
    policies = api.client.get(f"/v1/policy-sets/{shipped['id']}").json()["policies"]
    policies["label"] = "v2: 标杆 target from 2025"
    policies["rules"].append({
        "id": "test.benchmark-2025", "kind": "retrofit_required", "scope": "product",
        "title_zh": "未达标杆水平：限期改造（测试规则）", "title_en": "Not at the benchmark: retrofit (a test rule)",
        "when": [{"fact": "product.level", "op": "eq", "value": "baseline"}],
        "params": {"deadline": "2027-12-31"}, "effective_from": "2025-01-01",
        "source": {"document": "test fixture: an invented rule, not a policy", "article": "1"},
        "confidence": "UNCONFIRMED",
    })  # fmt: skip
    r = api.client.post("/v1/policy-sets", json=policies, headers=town.rating_authority.headers)
    assert r.status_code == 201, r.text
    again = api.client.post("/v1/policy-sets", json=policies, headers=town.rating_authority.headers)
    assert again.status_code == 409  # the same content as the latest version
    return dict(r.json())


def test_a_new_policy_set_changes_a_later_years_sheet_and_never_a_pinned_rating(api: Api) -> None:
    town = build_city(api, 6, years=(2024, 2025), content=_content)
    assert run_round(api, town.rating_authority, 2024)["status"] == "completed"
    ent = town.enterprises[1]  # clinker at 106.25 kgce/t: the baseline level, not below it
    before = _sheet(api, town, 1).json()
    pinned = api.client.get(f"/v1/ratings/{before['rating_id']}", headers=ent.headers).json()
    v2 = _v2(api, town)
    assert v2["version"] == 2 and v2["unconfirmed_rules"][-1] == "test.benchmark-2025"
    later = _sheet(api, town, 1, 2025).json()
    assert later["policy_set"]["version"] == 2
    assert [c["rule_id"] for c in later["consequences"]] == ["test.benchmark-2025"]
    assert later["consequences"][0]["provisional"] is True
    same_year = _sheet(api, town, 1).json()  # 2024: the new rule is not in force
    assert same_year["policy_set"]["version"] == 2 and same_year["consequences"] == before["consequences"] == []
    after = api.client.get(f"/v1/ratings/{before['rating_id']}", headers=ent.headers).json()
    assert after["policy_set_id"] == pinned["policy_set_id"] != v2["id"]
    assert after["policy_consequences"] == pinned["policy_consequences"]


def test_a_posted_set_with_a_bad_rule_is_refused_and_changes_nothing(api: Api, town: City) -> None:
    body = {"label": "bad", "rules": [{
        "id": "bad", "kind": "retrofit_required", "scope": "product", "title_zh": "坏", "title_en": "bad",
        "when": [{"fact": "product.colour", "op": "eq", "value": "red"}], "params": {"deadline": "2025-12-31"},
        "effective_from": "2021-01-01", "source": {"document": "d", "article": "1"}, "confidence": "READ"}]}  # fmt: skip
    r = api.client.post("/v1/policy-sets", json=body, headers=town.rating_authority.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert "rules[0].when[0].fact" in r.text
    assert len(api.client.get("/v1/policy-sets").json()) == 1


def test_the_certificate_prints_the_consequences_the_rating_pinned(api: Api, town: City) -> None:
    sheet = _sheet(api, town, 0).json()
    plant = {"regulator": town.regulator}
    text = _certificate_text(api, plant, sheet["rating_id"])
    assert (
        "政策后果（政策集第 1 版）：水泥熟料：能效低于基准水平：2025年底前完成技术改造（发改产业〔2023〕723号）" in text
    )
    assert "【依据未经确认】" in text  # the Zibo plan's rule: its text was not read
    assert "政策后果" not in _certificate_text(api, plant, _sheet(api, town, 1).json()["rating_id"])
