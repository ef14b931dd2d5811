"""A filing's life through the API: draft, edit, submit, correction, verification, account."""

from __future__ import annotations

from typing import Any

import pytest

from domain.organisations import OrgKind
from tests.helpers import CEMENT_CONTENT, Api, Caller, Filings


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    admin = api.bootstrap(OrgKind.ADMIN)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    return {"regulator": regulator, "ent": ent, "verifier": api.admin_created(admin, "verifier")}


def test_draft_edit_submit_verify_and_account(api: Api, world: dict[str, Any]) -> None:
    f = Filings(api)
    ent: Caller = world["ent"]
    draft = f.create(ent, 2023, {**CEMENT_CONTENT, "value_added_wan": None})
    assert (draft["status"], draft["version"], draft["supersedes_id"]) == ("draft", 1, None)
    r = api.client.put(f"/v1/filings/{draft['id']}", json=CEMENT_CONTENT, headers=ent.headers)
    assert r.status_code == 200, r.text
    assert r.json()["content"]["value_added_wan"] == "50000"
    submitted = f.submit(ent, draft["id"])
    assert submitted["status"] == "submitted" and submitted["submitted_at"]
    f.engage(ent, world["verifier"])
    verified = f.verify(world["verifier"], draft["id"])
    assert verified["status"] == "verified"
    assert verified["verification"]["report_sha256"] == "ab" * 32
    result = api.client.get(f"/v1/filings/{draft['id']}/result", headers=ent.headers)
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["factor_set"]["year"] == 2023
    # 100 000 t 烟煤 × 23.204 GJ/t × 0.02618 tC/GJ × 0.93 × 44/12 = 207 150.92552 tCO2
    assert body["result"]["emissions"]["combustion"] == "207150.9255200000"
    account = api.client.get(f"/v1/enterprises/{ent.uscc}/account", headers=ent.headers)
    assert account.status_code == 200, account.text
    (year,) = account.json()["years"]
    assert year["current"]["filing"]["id"] == draft["id"]


def test_a_correction_supersedes_the_latest_version(api: Api, world: dict[str, Any]) -> None:
    f = Filings(api)
    ent: Caller = world["ent"]
    first = f.submitted(ent, 2023)
    second = f.create(ent, 2023, supersedes=1)
    assert (second["version"], second["supersedes_id"]) == (2, first["id"])
    f.submit(ent, second["id"])
    listed = api.client.get(f"/v1/enterprises/{ent.uscc}/filings", params={"period": 2023}, headers=ent.headers)
    assert [i["version"] for i in listed.json()["items"]] == [1, 2]
    account = api.client.get(f"/v1/enterprises/{ent.uscc}/account", params={"year": 2023}, headers=ent.headers)
    assert account.json()["years"][0]["current"]["filing"]["version"] == 2
