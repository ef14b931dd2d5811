"""Every refused filing step answers a 4xx problem document naming what is wrong, and writes nothing.

A refusal that wrote anyway (a draft created, lines changed, a status moved) would leave
filed data that nobody meant to file; so each case reads back through the API afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import Response

from domain.organisations import OrgKind
from tests.helpers import CEMENT_CONTENT, REPORT_SHA256, Api, Caller, Filings

PROBLEM = "application/problem+json"
VERDICT = {"outcome": "verified", "opinion": "核查无误 (test)", "report_sha256": REPORT_SHA256}


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    admin = api.bootstrap(OrgKind.ADMIN)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    return {"regulator": regulator, "ent": ent, "verifier": api.admin_created(admin, "verifier")}


def assert_problem(r: Response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    doc = r.json()
    assert doc["status"] == status and doc["type"] == f"urn:carbon-account:problem:{code}", doc
    if field is not None:
        assert doc["errors"][0]["field"] == field, doc
    return dict(doc)


def listed(api: Api, ent: Caller) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/filings", headers=ent.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def read(api: Api, caller: Caller, filing_id: str) -> dict[str, Any]:
    r = api.client.get(f"/v1/filings/{filing_id}", headers=caller.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def create(api: Api, ent: Caller, body: dict[str, Any]) -> Response:
    return api.client.post(f"/v1/enterprises/{ent.uscc}/filings", json=body, headers=ent.headers)


def with_line(key: str, line: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"period": 2023, **CEMENT_CONTENT, key: [line], **extra}


# --- creates refused: no filing appears -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        pytest.param(
            with_line("energy", {"carrier": "moon_rock", "quantity": "1", "unit": "t"}),
            "invalid-field",
            "energy[0].carrier",
            id="unknown-carrier",
        ),
        pytest.param(
            with_line("products", {"product": "moon_cheese", "output": "1"}),
            "invalid-field",
            "products[0].product",
            id="unknown-product",
        ),
        pytest.param(
            with_line("energy", {"carrier": "natural_gas", "quantity": "10", "unit": "t"}),
            "invalid-field",
            "energy[0].unit",
            id="natural-gas-in-tonnes",
        ),
        pytest.param(
            with_line("energy", {"carrier": "bituminous_coal", "quantity": "10", "unit": "Nm3"}),
            "invalid-field",
            "energy[0].unit",
            id="coal-in-Nm3",
        ),
        pytest.param(
            with_line("energy", {"carrier": "bituminous_coal", "quantity": "-1", "unit": "t"}),
            "invalid-field",
            "energy[0].quantity",
            id="negative-quantity",
        ),
        pytest.param(
            with_line("heat", {"direction": "purchased", "quantity": "100", "unit": "t_steam", "temperature_c": "250"}),
            "invalid-field",
            "heat[0].pressure_mpa",
            id="steam-without-pressure",
        ),
        pytest.param({"period": 2019, **CEMENT_CONTENT}, "invalid-field", "period", id="year-without-factor-set"),
        pytest.param({"period": 2023, **CEMENT_CONTENT, "colour": "red"}, "validation", "colour", id="unknown-field"),
    ],
)
def test_a_wrong_line_is_refused_and_creates_nothing(
    api: Api, world: dict[str, Any], body: dict[str, Any], code: str, field: str
) -> None:
    ent: Caller = world["ent"]
    assert_problem(create(api, ent, body), 422, code, field)
    assert listed(api, ent) == []


def test_a_second_draft_for_a_year_is_a_conflict(api: Api, world: dict[str, Any]) -> None:
    ent: Caller = world["ent"]
    Filings(api).create(ent, 2023)
    before = listed(api, ent)
    assert_problem(create(api, ent, {"period": 2023, **CEMENT_CONTENT}), 409, "conflict")
    assert listed(api, ent) == before


@pytest.mark.parametrize("supersedes", [None, 1], ids=["names-none", "names-a-stale-version"])
def test_a_correction_must_name_the_latest_version(api: Api, world: dict[str, Any], supersedes: int | None) -> None:
    f, ent = Filings(api), world["ent"]
    first = f.submitted(ent, 2023)
    f.submit(ent, f.create(ent, 2023, supersedes=first["version"])["id"])
    before = listed(api, ent)
    body = {"period": 2023, **CEMENT_CONTENT, "supersedes": supersedes}
    assert_problem(create(api, ent, body), 409, "state-conflict")
    assert listed(api, ent) == before


# --- life-cycle refusals: the filing is unchanged ---------------------------------------


def test_submit_without_value_added_names_it_and_stays_a_draft(api: Api, world: dict[str, Any]) -> None:
    ent: Caller = world["ent"]
    draft = Filings(api).create(ent, 2023, {**CEMENT_CONTENT, "value_added_wan": None})
    r = api.client.post(f"/v1/filings/{draft['id']}/submit", headers=ent.headers)
    assert_problem(r, 422, "invalid-field", "value_added_wan")
    assert read(api, ent, draft["id"]) == draft


def test_raw_coal_without_carbon_content_is_a_draft_but_not_submittable(api: Api, world: dict[str, Any]) -> None:
    """No national default carbon content for 原煤: a draft may lack it, a submission may not.

    The oxidation is filed (raw coal has no default for it either) so that the carbon
    content is the one value missing.
    """
    ent: Caller = world["ent"]
    line = {"carrier": "raw_coal", "quantity": "1000", "unit": "t", "oxidation": "0.98"}
    draft = Filings(api).create(ent, 2023, {**CEMENT_CONTENT, "energy": [line]})
    r = api.client.post(f"/v1/filings/{draft['id']}/submit", headers=ent.headers)
    assert_problem(r, 422, "invalid-field", "energy[0].carbon_content")
    assert read(api, ent, draft["id"]) == draft


def test_submitting_twice_is_a_conflict_and_keeps_the_first_submission(api: Api, world: dict[str, Any]) -> None:
    ent: Caller = world["ent"]
    submitted = Filings(api).submitted(ent, 2023)
    r = api.client.post(f"/v1/filings/{submitted['id']}/submit", headers=ent.headers)
    assert_problem(r, 409, "state-conflict")
    after = read(api, ent, submitted["id"])
    assert after == submitted and after["submitted_at"] == submitted["submitted_at"]


def test_a_submitted_filing_is_never_edited(api: Api, world: dict[str, Any]) -> None:
    ent: Caller = world["ent"]
    submitted = Filings(api).submitted(ent, 2023)
    changed = {**CEMENT_CONTENT, "value_added_wan": "1"}
    r = api.client.put(f"/v1/filings/{submitted['id']}", json=changed, headers=ent.headers)
    assert_problem(r, 409, "state-conflict")
    assert read(api, ent, submitted["id"]) == submitted


# --- verification refusals ----------------------------------------------------------------


def test_a_verifier_not_engaged_neither_sees_nor_verifies(api: Api, world: dict[str, Any]) -> None:
    ent, verifier = world["ent"], world["verifier"]
    submitted = Filings(api).submitted(ent, 2023)
    r = api.client.post(f"/v1/filings/{submitted['id']}/verification", json=VERDICT, headers=verifier.headers)
    assert_problem(r, 404, "not-found")
    assert_problem(api.client.get(f"/v1/filings/{submitted['id']}", headers=verifier.headers), 404, "not-found")
    assert read(api, ent, submitted["id"]) == submitted


def test_a_draft_is_not_verified(api: Api, world: dict[str, Any]) -> None:
    f, ent, verifier = Filings(api), world["ent"], world["verifier"]
    f.engage(ent, verifier)
    draft = f.create(ent, 2023)
    r = api.client.post(f"/v1/filings/{draft['id']}/verification", json=VERDICT, headers=verifier.headers)
    assert_problem(r, 409, "state-conflict")
    assert read(api, ent, draft["id"]) == draft


def test_verifying_twice_is_a_conflict_and_keeps_the_first_verdict(api: Api, world: dict[str, Any]) -> None:
    f, ent, verifier = Filings(api), world["ent"], world["verifier"]
    f.engage(ent, verifier)
    verified = f.verify(verifier, f.submitted(ent, 2023)["id"])
    again = {**VERDICT, "outcome": "rejected", "opinion": "second thoughts"}
    r = api.client.post(f"/v1/filings/{verified['id']}/verification", json=again, headers=verifier.headers)
    assert_problem(r, 409, "state-conflict")
    assert read(api, ent, verified["id"]) == verified


def engaged(api: Api, ent: Caller) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/verifiers", headers=ent.headers)
    assert r.status_code == 200, r.text
    return list(r.json())


@pytest.mark.parametrize("who", ["regulator", "unknown"])
def test_engaging_what_is_not_a_verifier_is_refused(api: Api, world: dict[str, Any], who: str) -> None:
    ent: Caller = world["ent"]
    org_id = world["regulator"].org_id if who == "regulator" else str(uuid.uuid4())
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/verifiers", json={"verifier_org_id": org_id}, headers=ent.headers)
    assert_problem(r, 422, "invalid-field", "verifier_org_id")
    assert engaged(api, ent) == []


def test_engaging_the_same_verifier_twice_is_a_conflict(api: Api, world: dict[str, Any]) -> None:
    ent, verifier = world["ent"], world["verifier"]
    Filings(api).engage(ent, verifier)
    before = engaged(api, ent)
    body = {"verifier_org_id": verifier.org_id}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/verifiers", json=body, headers=ent.headers)
    assert_problem(r, 409, "conflict")
    assert engaged(api, ent) == before


# --- a pending enterprise ----------------------------------------------------------------


def test_a_pending_enterprise_drafts_but_neither_submits_nor_engages(api: Api, world: dict[str, Any]) -> None:
    pending, _ = api.register()
    f = Filings(api)
    draft = f.create(pending, 2023, {**CEMENT_CONTENT, "value_added_wan": None})
    r = api.client.put(f"/v1/filings/{draft['id']}", json=CEMENT_CONTENT, headers=pending.headers)
    assert r.status_code == 200, r.text
    edited = r.json()
    assert_problem(
        api.client.post(f"/v1/filings/{draft['id']}/submit", headers=pending.headers), 403, "registration-pending"
    )
    assert read(api, pending, draft["id"]) == edited and edited["status"] == "draft"
    body = {"verifier_org_id": world["verifier"].org_id}
    r = api.client.post(f"/v1/enterprises/{pending.uscc}/verifiers", json=body, headers=pending.headers)
    assert_problem(r, 403, "registration-pending")
    assert engaged(api, pending) == []
