"""Finance products and offers end to end (issue 18.1–2): a bank publishes versions of its own
codes (never edited, every version readable), refusals name the field, the public list and its
filters; an enterprise's offers with every rule passed or failed, for a green enterprise, one
below 基准 with a retrofit plan, and one without a rating; who may read offers, and the log."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from domain.organisations import OrgKind
from tests.db import dsn
from tests.helpers import Api, Caller, City, build_city, cement, run_round

TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
GREEN = {"dark_green": -30, "light_green": -15, "yellow": 0}


def _day(days: int) -> str:
    return str(TODAY + dt.timedelta(days=days))


def green_loan(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "green-loan",
        "kind": "green_loan",
        "name": "碳效贷 (green loan)",
        "description": "For enterprises rated green without a policy consequence against green credit.",
        "eligibility": [
            {"kind": "colour_in", "colours": ["dark_green", "light_green"]},
            {"kind": "grade_at_most", "grade": 3},
            {"kind": "consequences_none", "consequences": ["green_credit_ineligible", "retrofit_required"]},
        ],
        "terms": {
            "reference_rate": "LPR 1Y",
            "margin_bp_by_colour": GREEN,
            "max_amount_yuan": "50000000",
            "max_term_months": 36,
        },
        "valid_from": _day(-30),
        "valid_to": _day(365),
    }
    return body | changes


def transition_loan(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "transition-loan",
        "kind": "transition_loan",
        "name": "转型贷款 (transition loan)",
        "eligibility": [
            {"kind": "consequences_any", "consequences": ["transition_finance_candidate"]},
            {"kind": "consequences_none", "consequences": ["phase_out_listed"]},
        ],
        "terms": {"margin_bp_by_colour": {"yellow": 20, "red": 60}, "max_term_months": 120},
        "valid_from": _day(-1),
        "valid_to": _day(730),
    }
    return body | changes


def _publish(api: Api, bank: Caller, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return api.client.post("/v1/finance-products", json=body, headers=headers or bank.headers)


def _published(api: Api, bank: Caller, body: dict[str, Any]) -> dict[str, Any]:
    r = _publish(api, bank, body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _list(api: Api, **params: Any) -> list[dict[str, Any]]:
    r = api.client.get("/v1/finance-products", params=params)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _fields(r: Any) -> list[str]:
    assert r.status_code == 422, r.text
    return [e["field"] for e in r.json()["errors"]]


def _audited(api: Api) -> list[tuple[str, str]]:
    async def fetch() -> list[tuple[str, str]]:
        conn = await asyncpg.connect(dsn(api.settings.database_url))
        try:
            rows = await conn.fetch(
                "SELECT target, detail->>'version' AS v FROM audit_events WHERE action = 'finance_product.publish' "
                "ORDER BY id"
            )
        finally:
            await conn.close()
        return [(r["target"], r["v"]) for r in rows]

    return asyncio.run(fetch())


@pytest.fixture
def banks(api: Api) -> tuple[Caller, Caller, Caller]:
    """Two banks and the administrator who made them."""
    admin = api.bootstrap(OrgKind.ADMIN)
    return api.admin_created(admin, "bank"), api.admin_created(admin, "bank"), admin


def test_a_bank_publishes_versions_and_every_version_stays_readable(api: Api, banks: tuple[Caller, ...]) -> None:
    bank, other, _ = banks
    key = {**bank.headers, "Idempotency-Key": "product-1"}
    r = _publish(api, bank, green_loan(), key)
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert (v1["code"], v1["version"], v1["latest_version"], v1["bank_org_id"]) == ("green-loan", 1, 1, bank.org_id)
    assert v1["bank_name"] and len(v1["sha256"]) == 64 and v1["created_at"]
    assert v1["terms"] == {"reference_rate": "LPR 1Y", "margin_bp_by_colour": GREEN, "max_amount_yuan": "50000000",
                           "max_term_months": 36}  # fmt: skip
    assert v1["eligibility"][1] == {"kind": "grade_at_most", "grade": 3}
    replay = _publish(api, bank, green_loan(), key)
    assert replay.status_code == 201 and replay.json()["id"] == v1["id"]
    assert replay.headers.get("Idempotent-Replayed") == "true"

    same = _publish(api, bank, green_loan())  # the same content as the latest version
    assert same.status_code == 409 and "version 1" in same.json()["detail"] and v1["id"] in same.json()["detail"]

    new_terms = green_loan(terms={**green_loan()["terms"], "margin_bp_by_colour": {"dark_green": -40}})
    v2 = _published(api, bank, new_terms)
    assert (v2["version"], v2["latest_version"], v2["code"]) == (2, 2, "green-loan") and v2["id"] != v1["id"]
    assert v2["sha256"] != v1["sha256"]
    old = api.client.get(f"/v1/finance-products/{v1['id']}")
    assert old.status_code == 200
    assert {**old.json(), "latest_version": 1} == v1  # unchanged, only marked superseded
    assert old.json()["latest_version"] == 2
    assert api.client.get(f"/v1/finance-products/{v2['id']}").json()["terms"]["margin_bp_by_colour"] == {
        "dark_green": -40
    }

    mine = _published(api, other, green_loan())  # codes are per bank: the other bank's own version 1
    assert (mine["version"], mine["bank_org_id"]) == (1, other.org_id) and mine["sha256"] == v1["sha256"]
    assert _published(api, bank, green_loan())["version"] == 3  # v1's content again, after v2: a new version

    for method in ("PUT", "PATCH", "DELETE"):  # terms change only by a new version
        r = api.client.request(method, f"/v1/finance-products/{v1['id']}", json=green_loan(), headers=bank.headers)
        assert r.status_code == 405, (method, r.status_code)
    assert [v for _, v in _audited(api)] == ["1", "2", "1", "3"]  # the replay wrote nothing
    assert api.client.get("/v1/finance-products/00000000-0000-4000-8000-000000000000").status_code == 404


def test_refusals_name_the_field(api: Api, banks: tuple[Caller, ...]) -> None:
    bank, _, admin = banks
    rule = {"kind": "colour_in", "colours": ["light_green", "emerald"]}
    r = _publish(api, bank, green_loan(eligibility=[rule]))
    assert _fields(r) == ["eligibility[0].colours"] and "emerald" in r.json()["errors"][0]["detail"]
    assert _fields(_publish(api, bank, green_loan(valid_to=_day(-31)))) == ["valid_to"]
    r = _publish(api, bank, {**green_loan(), "rate_percent": "3.1"})
    assert _fields(r) == ["rate_percent"]
    tiers = [{"kind": "finance_tier_in", "tiers": ["prime"]}]
    assert _fields(_publish(api, bank, green_loan(eligibility=tiers))) == ["eligibility[0].tiers"]
    kinds = [{"kind": "consequences_any", "consequences": ["bankrupt"]}]
    assert _fields(_publish(api, bank, green_loan(eligibility=kinds))) == ["eligibility[0].consequences"]
    margins = green_loan(terms={"margin_bp_by_colour": {"green": -10}})
    assert _fields(_publish(api, bank, margins)) == ["terms.margin_bp_by_colour"]
    assert _fields(_publish(api, bank, green_loan(terms={"max_amount_yuan": "0"}))) == ["terms.max_amount_yuan"]
    for bad in ({"kind": "gold_loan"}, {"code": "Green Loan"}, {"eligibility": [{"kind": "sector_in"}]}):
        assert _publish(api, bank, green_loan(**bad)).status_code == 422, bad
    assert _list(api, all_versions="true", bank_org_id=bank.org_id) == []  # nothing refused was stored

    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    for caller in (admin, regulator, ent):
        assert _publish(api, caller, green_loan()).status_code == 403
    assert api.client.post("/v1/finance-products", json=green_loan()).status_code == 401


def test_the_public_list_shows_each_codes_latest_version_valid_today(api: Api, banks: tuple[Caller, ...]) -> None:
    bank, other, _ = banks
    g1 = _published(api, bank, green_loan())
    g2 = _published(api, bank, green_loan(name="碳效贷 二期"))
    t1 = _published(api, other, transition_loan())
    expired = _published(api, other, green_loan(code="old-loan", valid_from=_day(-400), valid_to=_day(-1)))
    future = _published(api, bank, transition_loan(code="next-year", valid_from=_day(30)))
    withdrawn = _published(api, other, green_loan(code="withdrawn"))  # then a version whose validity ended
    ended = _published(api, other, green_loan(code="withdrawn", valid_from=_day(-30), valid_to=_day(-1)))

    def ids(**params: Any) -> set[str]:
        return {p["id"] for p in _list(api, **params)}

    assert ids() == {g2["id"], t1["id"]}  # no g1 (superseded), no expired, future or withdrawn code
    assert ids(kind="transition_loan") == {t1["id"]}
    assert ids(bank_org_id=bank.org_id) == {g2["id"]}
    assert ids(valid_on=_day(60)) == {g2["id"], t1["id"], future["id"]}
    assert ids(valid_on=_day(-100)) == {expired["id"]}
    everything = {g1["id"], g2["id"], t1["id"], expired["id"], future["id"], withdrawn["id"], ended["id"]}
    assert ids(all_versions="true") == everything
    assert ids(all_versions="true", valid_on=str(TODAY)) == {g1["id"], g2["id"], t1["id"], withdrawn["id"]}
    assert ids(all_versions="true", bank_org_id=other.org_id, kind="green_loan") == {
        expired["id"], withdrawn["id"], ended["id"]}  # fmt: skip
    listed = {p["id"]: p for p in _list(api, all_versions="true")}
    assert listed[g1["id"]]["latest_version"] == 2 and listed[withdrawn["id"]]["latest_version"] == 2

    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"all_versions": "true", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.client.get("/v1/finance-products", params=params).json()
        assert len(page["items"]) <= 2
        seen += [(p["bank_org_id"], p["code"], p["version"]) for p in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == len(everything)  # by bank, code, version; each once
    for bad in ({"limit": 201}, {"limit": 0}, {"cursor": "nonsense"}, {"kind": "gold_loan"},
                {"valid_on": "2027-02-30"}, {"bank_org_id": "x"}):  # fmt: skip
        r = api.client.get("/v1/finance-products", params=bad)
        assert r.status_code == 422, (bad, r.status_code, r.text)


# --- offers ------------------------------------------------------------------------------


def _content(i: int, year: int) -> dict[str, Any]:
    # clinker 800 000 t: enterprise 0 burns 100 000 tce → 125 kgce/t, below 基准 (117): red,
    # retrofit_required; the others 85 000 tce → 106.25: light green, grade 3
    return cement(value_added=str(40000 + 5000 * i), clinker_energy="100000" if i == 0 else "85000")


@pytest.fixture
def town(api: Api) -> City:
    city = build_city(api, 6, years=(2024,), content=_content)
    assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
    return city


def _offers(api: Api, ent: Caller, who: Caller | None = None) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/finance-offers", headers=(who or ent).headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _item(offers: dict[str, Any], code: str) -> dict[str, Any]:
    [item] = [i for i in offers["items"] if i["product"]["code"] == code]
    return item


def _checks(item: dict[str, Any]) -> dict[str, bool]:
    return {c["rule"]: c["passed"] for c in item["checks"]}


def _plan(api: Api, ent: Caller) -> None:
    body = {"year": 2024, "product": "cement_clinker", "target_unit_energy_use": "110", "measures": "余热发电",
            "investment_wan": "1200", "completion_date": "2025-12-31", "document_sha256": "ab" * 32}  # fmt: skip
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/retrofit-plans", json=body, headers=ent.headers)
    assert r.status_code == 201, r.text


def test_offers_for_a_green_enterprise_and_one_below_the_baseline_with_a_plan(
    api: Api, town: City, banks: tuple[Caller, ...]
) -> None:
    bank, other, _ = banks
    green = _published(api, bank, green_loan())
    _published(api, other, transition_loan())
    _published(api, bank, green_loan(code="expired", valid_from=_day(-60), valid_to=_day(-1)))  # not offered
    below, fine = town.enterprises[0], town.enterprises[1]

    offers = _offers(api, fine)
    assert offers["uscc"] == fine.uscc and offers["on"] == str(TODAY)
    rating = offers["rating"]
    assert (rating["year"], rating["colour"], rating["grade"], rating["finance_tier"], rating["consequences"]) == (
        2024, "light_green", 3, "eligible", [])  # fmt: skip
    assert rating["rating_id"] == api.client.get(f"/v1/enterprises/{fine.uscc}/ratings/latest",
                                                 headers=fine.headers).json()["id"]  # fmt: skip
    assert [i["product"]["code"] for i in offers["items"]] == ["green-loan", "transition-loan"]  # eligible first
    item = _item(offers, "green-loan")
    assert item["eligible"] is True and item["margin_bp"] == -15  # light green's margin
    assert item["product"] | {"terms": None} == {
        "id": green["id"], "code": "green-loan", "version": 1, "bank_org_id": bank.org_id,
        "bank_name": green["bank_name"], "kind": "green_loan", "name": green["name"], "terms": None,
        "valid_from": green["valid_from"], "valid_to": green["valid_to"]}  # fmt: skip
    assert [(c["rule"], c["passed"], c["found"]) for c in item["checks"]] == [
        ("validity", True, str(TODAY)), ("rated", True, "rating of 2024"), ("colour_in", True, "light_green"),
        ("grade_at_most", True, "3"), ("consequences_none", True, "none")]  # fmt: skip
    assert item["checks"][2]["needed"] == "colour in dark_green, light_green"
    t = _item(offers, "transition-loan")
    assert t["eligible"] is False and t["margin_bp"] is None  # no margin stated for light green
    assert _checks(t) == {"validity": True, "rated": True, "consequences_any": False, "consequences_none": True}
    assert offers["eligible"] == 1

    before = _offers(api, below)  # red, retrofit_required, no plan yet: not yet a transition candidate
    assert before["rating"]["colour"] == "red" and "retrofit_required" in before["rating"]["consequences"]
    assert before["eligible"] == 0 and not _item(before, "transition-loan")["eligible"]
    _plan(api, below)
    after = _offers(api, below)
    assert "transition_finance_candidate" in after["rating"]["consequences"]
    assert [i["product"]["code"] for i in after["items"]] == ["transition-loan", "green-loan"]
    t = _item(after, "transition-loan")
    assert t["eligible"] is True and t["margin_bp"] == 60  # red's margin
    [any_check] = [c for c in t["checks"] if c["rule"] == "consequences_any"]
    assert any_check == {"rule": "consequences_any", "passed": True, "needed": "one of transition_finance_candidate",
                         "found": "transition_finance_candidate"}  # fmt: skip
    g = _item(after, "green-loan")
    assert g["eligible"] is False and g["margin_bp"] is None
    assert _checks(g) == {"validity": True, "rated": True, "colour_in": False, "grade_at_most": False,
                          "consequences_none": False}  # fmt: skip
    [none_check] = [c for c in g["checks"] if c["rule"] == "consequences_none"]
    assert none_check["found"] == "green_credit_ineligible, retrofit_required"

    v2 = _published(api, bank, green_loan(terms={"margin_bp_by_colour": {"light_green": -25}}))
    item = _item(_offers(api, fine), "green-loan")  # the latest version only, at once
    assert (item["product"]["id"], item["product"]["version"], item["margin_bp"]) == (v2["id"], 2, -25)


def test_an_unrated_enterprise_is_eligible_for_nothing(api: Api, banks: tuple[Caller, ...]) -> None:
    bank, other, _ = banks
    _published(api, bank, green_loan(eligibility=[]))  # no rules at all
    _published(api, other, transition_loan())
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    offers = _offers(api, ent)
    assert offers["rating"] == {"rating_id": None, "year": None, "colour": "unrated", "grade": None,
                                "finance_tier": "unrated", "consequences": []}  # fmt: skip
    assert offers["eligible"] == 0 and len(offers["items"]) == 2
    for item in offers["items"]:
        [rated] = [c for c in item["checks"] if c["rule"] == "rated"]
        assert item["eligible"] is False and rated == {"rule": "rated", "passed": False, "needed": "an active rating",
                                                       "found": "no active rating"}  # fmt: skip


def test_who_may_read_offers_and_the_supervisors_reads_are_logged(api: Api, town: City) -> None:
    ent, other = town.enterprises[0], town.enterprises[1]
    path = f"/v1/enterprises/{ent.uscc}/finance-offers"
    assert api.client.get(path, headers=other.headers).status_code == 404  # another enterprise's
    assert api.client.get(path, headers=town.regulator.headers).status_code == 200
    assert api.client.get("/v1/enterprises/91370303MA3C0000XX/finance-offers",
                          headers=town.regulator.headers).status_code == 404  # fmt: skip
    bank = api.admin_created(town.admin, "bank")
    assert api.client.get(path, headers=bank.headers).status_code == 403  # not banks, even with consent
    assert api.client.get(path).status_code == 401
    assert api.client.get(path, headers=town.rating_authority.headers).status_code == 200
    _offers(api, ent)  # the enterprise's own read is not logged
    log = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", headers=ent.headers).json()["items"]
    reads = [(e["org_kind"], e["resource_id"]) for e in log if e["what"] == "finance_offers"]
    assert sorted(reads) == [("rating_authority", ent.uscc), ("regulator", ent.uscc)]
