"""Retrofit plans end to end (issue 17.4): an enterprise below 基准 files a plan, its sheet makes it
a transition-finance candidate at once; refusals; a regulator decides once; progress shows in a
later year's sheet."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from tests.db import dsn
from tests.helpers import Api, Caller, City, build_city, cement

CANDIDATE = ("transition.retrofit-plan", "transition_finance_candidate")


def _content(i: int, year: int) -> dict[str, Any]:
    # clinker 800 000 t (基准 117, 标杆 100 kgce/t): enterprise 0 burns 100 000 tce in 2024 → 125,
    # below 基准; 85 000 tce otherwise → 106.25, between 标杆 and 基准
    return cement(value_added=str(40000 + 5000 * i), clinker_energy="100000" if (i, year) == (0, 2024) else "85000")


@pytest.fixture
def town(api: Api) -> City:
    return build_city(api, 2, years=(2024, 2025), content=_content)


def _plan(**changes: Any) -> dict[str, Any]:
    body = {
        "year": 2024,
        "product": "cement_clinker",
        "target_unit_energy_use": "110",
        "measures": "窑系统节能改造、余热发电",
        "investment_wan": "3500.5",
        "completion_date": "2025-10-31",
        "document_sha256": "ab" * 32,
    }
    return {**body, **changes}


def _file(api: Api, ent: Caller, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return api.client.post(f"/v1/enterprises/{ent.uscc}/retrofit-plans", json=body, headers=headers or ent.headers)


def _sheet(api: Api, ent: Caller, year: int = 2024) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/policy", params={"year": year}, headers=ent.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _kinds(sheet: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["rule_id"], c["kind"]) for c in sheet["consequences"]}


def _decide(api: Api, town: City, plan_id: str, body: dict[str, Any]) -> Any:
    return api.client.post(f"/v1/retrofit-plans/{plan_id}/decision", json=body, headers=town.regulator.headers)


def _stored(api: Api, uscc: str, year: int) -> set[str]:
    """The rule ids of the enterprise-year's stored sheet (what the regulator lists and webhooks read)."""

    async def fetch() -> set[str]:
        conn = await asyncpg.connect(dsn(api.settings.database_url))
        try:
            rows = await conn.fetch(
                "SELECT c.rule_id FROM policy_consequences c JOIN enterprises e USING (enterprise_id) "
                "WHERE e.uscc = $1 AND c.year = $2",
                uscc,
                year,
            )
        finally:
            await conn.close()
        return {r["rule_id"] for r in rows}

    return asyncio.run(fetch())


def test_a_filed_plan_makes_the_enterprise_a_transition_finance_candidate(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    before = _sheet(api, ent)
    assert ("ndrc-2021-areas.retrofit", "retrofit_required") in _kinds(before)
    assert CANDIDATE not in _kinds(before) and before["plans"] == []
    assert CANDIDATE[0] not in _stored(api, ent.uscc, 2024)

    key = {**ent.headers, "Idempotency-Key": "plan-1"}
    r = _file(api, ent, _plan(), key)
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["status"] == "submitted" and plan["unit"] == "kgce/t" and plan["uscc"] == ent.uscc
    assert plan["target_unit_energy_use"] == "110" and plan["investment_wan"] == "3500.5"
    replay = _file(api, ent, _plan(), key)
    assert replay.status_code == 201 and replay.json()["id"] == plan["id"]

    after = _sheet(api, ent)
    assert CANDIDATE in _kinds(after)
    candidate = next(c for c in after["consequences"] if c["rule_id"] == CANDIDATE[0])
    assert candidate["figures"]["enterprise.plans_cover_below_baseline"] is True
    assert [(p["plan_id"], p["status"], p["target_met"]) for p in after["plans"]] == [(plan["id"], "submitted", None)]
    assert CANDIDATE[0] in _stored(api, ent.uscc, 2024)  # refreshed in the filing's transaction

    again = _file(api, ent, _plan(measures="另一份方案"))
    assert again.status_code == 409 and plan["id"] in again.json()["detail"]  # one still submitted
    listed = api.client.get(f"/v1/enterprises/{ent.uscc}/retrofit-plans", headers=ent.headers)
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [plan["id"]]


def _field_error(r: Any) -> tuple[int, list[str], str]:
    body = r.json()
    return r.status_code, [e["field"] for e in body.get("errors", [])], body.get("detail", "")


def test_plans_are_refused_unless_below_the_baseline_with_a_target_that_reaches_it(api: Api, town: City) -> None:
    ent, fine = town.enterprises
    status, fields, detail = _field_error(_file(api, fine, _plan()))  # 106.25: not below 基准
    assert (status, fields) == (422, ["product"]) and "baseline" in detail
    status, fields, _ = _field_error(_file(api, ent, _plan(year=2025)))  # 2025: 106.25 too
    assert (status, fields) == (422, ["product"])
    status, fields, _ = _field_error(_file(api, ent, _plan(product="flat_glass")))  # not in the account
    assert (status, fields) == (422, ["product"])
    status, fields, _ = _field_error(_file(api, ent, _plan(year=2023)))  # nothing filed
    assert (status, fields) == (422, ["year"])
    status, fields, detail = _field_error(_file(api, ent, _plan(target_unit_energy_use="120")))
    assert (status, fields) == (422, ["target_unit_energy_use"]) and "117" in detail and "kgce/t" in detail
    assert _field_error(_file(api, ent, _plan(target_unit_energy_use="117")))[0] == 201  # at 基准 is enough
    for change, field in (
        ({"target_unit_energy_use": "0"}, "target_unit_energy_use"),
        ({"investment_wan": "-1"}, "investment_wan"),
        ({"document_sha256": "AB" * 32}, "document_sha256"),
        ({"document_sha256": "ab" * 31}, "document_sha256"),
        ({"measures": ""}, "measures"),
        ({"measures": "x" * 4001}, "measures"),
    ):
        status, fields, _ = _field_error(_file(api, fine, _plan(**change)))
        assert status == 422 and field in fields[0], (change, fields)
    assert _file(api, ent, _plan(), fine.headers).status_code == 404  # another enterprise's uscc
    assert _file(api, ent, _plan(), town.regulator.headers).status_code == 403
    plans = api.client.get(f"/v1/enterprises/{ent.uscc}/retrofit-plans", headers=ent.headers).json()
    assert [p["target_unit_energy_use"] for p in plans] == ["117"]  # only the one at 基准 was filed


def test_who_may_read_an_enterprises_plans(api: Api, town: City) -> None:
    ent, other = town.enterprises
    assert _file(api, ent, _plan()).status_code == 201
    path = f"/v1/enterprises/{ent.uscc}/retrofit-plans"
    assert api.client.get(path, headers=other.headers).status_code == 404
    assert len(api.client.get(path, headers=town.regulator.headers).json()) == 1
    assert len(api.client.get(path, headers=town.rating_authority.headers).json()) == 1
    bank = api.admin_created(town.admin, "bank")
    assert api.client.get(path, headers=bank.headers).status_code == 404  # no consent
    grant = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "grade_only",
             "expires_at": "2030-01-01T00:00:00+08:00"}  # fmt: skip
    assert api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=grant, headers=ent.headers).status_code == 201
    assert api.client.get(path, headers=bank.headers).status_code == 404  # grade_only is not enough
    grant["scope"] = "full"
    assert api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=grant, headers=ent.headers).status_code == 201
    r = api.client.get(path, headers=bank.headers)
    assert r.status_code == 200 and r.json()[0]["product"] == "cement_clinker"
    log = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", headers=ent.headers).json()["items"]
    assert {(e["what"], e["org_kind"]) for e in log} >= {("retrofit_plan", "bank"), ("retrofit_plan", "regulator")}
    assert api.client.get("/v1/retrofit-plans", headers=bank.headers).status_code == 403


def test_a_regulator_decides_a_plan_once_and_a_returned_plan_is_followed_by_a_new_one(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    first = _file(api, ent, _plan()).json()
    assert _decide(api, town, first["id"], {"decision": "return"}).status_code == 422  # a return says why
    assert _decide(api, town, first["id"], {"decision": "return", "reason": "  "}).status_code == 422
    assert api.client.post(f"/v1/retrofit-plans/{first['id']}/decision", json={"decision": "accept"},
                           headers=ent.headers).status_code == 403  # fmt: skip
    r = _decide(api, town, first["id"], {"decision": "return", "reason": "目标应以标杆水平为准"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "returned" and r.json()["decision_reason"] == "目标应以标杆水平为准"
    assert r.json()["decided_at"]
    assert _decide(api, town, first["id"], {"decision": "accept"}).status_code == 409  # decided once
    assert CANDIDATE not in _kinds(_sheet(api, ent))  # a returned plan covers nothing
    assert CANDIDATE[0] not in _stored(api, ent.uscc, 2024)

    second = _file(api, ent, _plan(target_unit_energy_use="100")).json()  # the returned one stays
    assert CANDIDATE in _kinds(_sheet(api, ent))
    worklist = api.client.get("/v1/retrofit-plans", params={"status": "submitted"}, headers=town.regulator.headers)
    assert [p["id"] for p in worklist.json()["items"]] == [second["id"]]
    accepted = _decide(api, town, second["id"], {"decision": "accept"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["decision_reason"] is None
    assert CANDIDATE in _kinds(_sheet(api, ent)) and CANDIDATE[0] in _stored(api, ent.uscc, 2024)
    plans = api.client.get(f"/v1/enterprises/{ent.uscc}/retrofit-plans", headers=ent.headers).json()
    assert [(p["id"], p["status"]) for p in plans] == [(first["id"], "returned"), (second["id"], "accepted")]
    unknown = _decide(api, town, "00000000-0000-4000-8000-000000000000", {"decision": "accept"})
    assert unknown.status_code == 404


def test_the_worklist_pages_by_status_and_district(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    a = _file(api, ent, _plan()).json()
    _decide(api, town, a["id"], {"decision": "return", "reason": "措施不具体"})
    b = _file(api, ent, _plan()).json()
    seen, cursor = [], None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = api.client.get("/v1/retrofit-plans", params=params, headers=town.rating_authority.headers).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert seen == [a["id"], b["id"]]

    def ids(**params: str) -> list[str]:
        r = api.client.get("/v1/retrofit-plans", params=params, headers=town.regulator.headers)
        assert r.status_code == 200, r.text
        return [p["id"] for p in r.json()["items"]]

    assert ids(status="returned") == [a["id"]] and ids(status="submitted") == [b["id"]]
    assert ids(district="370303") == [a["id"], b["id"]] and ids(district="370302") == []
    for bad in ({"cursor": "nonsense"}, {"status": "lost"}):
        assert api.client.get("/v1/retrofit-plans", params=bad, headers=town.regulator.headers).status_code == 422

    def worklist_reads(who: Caller) -> list[tuple[str, str]]:
        log = api.client.get(f"/v1/enterprises/{who.uscc}/access-log", headers=who.headers).json()["items"]
        return [(e["org_kind"], e["resource_id"]) for e in log if e["what"] == "retrofit_plan"]

    assert ("regulator", "worklist") in worklist_reads(ent) and ("rating_authority", "worklist") in worklist_reads(ent)
    assert worklist_reads(town.enterprises[1]) == []  # no plan: never listed, never read


def test_progress_shows_in_a_later_years_sheet(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    plan = _file(api, ent, _plan(target_unit_energy_use="110")).json()
    later = _sheet(api, ent, 2025)  # clinker at 106.25 kgce/t in 2025
    [progress] = later["plans"]
    assert progress["plan_id"] == plan["id"] and progress["filed_for_year"] == 2024
    assert Decimal(progress["unit_energy_use"]) == Decimal("106.25")
    assert progress["target_unit_energy_use"] == "110"  # as filed, not the column's 12 places
    assert progress["target_met"] is True and progress["unit"] == "kgce/t"
    assert _sheet(api, ent)["plans"][0]["target_met"] is None  # the plan's own year: no progress yet
    assert CANDIDATE not in _kinds(later)  # nothing below 基准 in 2025: no transition finance needed
    account = api.client.get(f"/v1/enterprises/{ent.uscc}/account", headers=ent.headers).json()
    by_year = {y["year"]: y["retrofit_plans"] for y in account["years"]}
    assert [(p["plan_id"], p["unit_energy_use"], p["target_met"]) for p in by_year[2025]] == [
        (plan["id"], progress["unit_energy_use"], True)
    ]  # the account of a later year shows the plan's progress too
    assert [p["target_met"] for p in by_year[2024]] == [None]


def test_a_plan_counts_from_its_own_year_not_in_earlier_sheets(api: Api) -> None:
    """Below 基准 in 2024 and 2025, a plan filed for 2025: the 2025 sheet makes the enterprise a
    transition-finance candidate, the 2024 sheet (and its stored rows) does not."""
    city = build_city(api, 1, years=(2024, 2025), content=lambda i, y: cement(clinker_energy="100000"))
    ent = city.enterprises[0]
    plan = _file(api, ent, _plan(year=2025, completion_date="2026-10-31"))
    assert plan.status_code == 201, plan.text
    assert CANDIDATE in _kinds(_sheet(api, ent, 2025)) and CANDIDATE[0] in _stored(api, ent.uscc, 2025)
    earlier = _sheet(api, ent, 2024)
    assert CANDIDATE not in _kinds(earlier) and earlier["plans"] == []
    assert ("ndrc-2021-areas.retrofit", "retrofit_required") in _kinds(earlier)
    assert CANDIDATE[0] not in _stored(api, ent.uscc, 2024)
