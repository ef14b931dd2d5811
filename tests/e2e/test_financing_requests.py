"""Financing requests end to end (issue 18.3): one request to two banks grants both, and no other
bank, a consent that ends when the request closes; each bank answers once finally; the
enterprise sees every answer and its access log each bank's reads; refusals name the field."""

from __future__ import annotations

from typing import Any

import pytest

from domain.organisations import OrgKind
from tests.helpers import Api, Caller, City, build_city, run_round

EXPIRES = "2030-01-01T00:00:00+08:00"


@pytest.fixture
def town(api: Api) -> City:
    city = build_city(api, 2, years=(2024,))
    assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
    return city


def _body(*banks: Caller, **changes: Any) -> dict[str, Any]:
    body = {
        "amount_yuan": "50000000",
        "purpose": "credit",
        "use_of_proceeds": "窑系统节能改造",
        "term_months": 36,
        "expires_at": EXPIRES,
        "banks": [{"bank_org_id": str(b.org_id)} for b in banks],
    }
    return {**body, **changes}


def _send(api: Api, ent: Caller, body: dict[str, Any]) -> Any:
    return api.client.post(f"/v1/enterprises/{ent.uscc}/financing-requests", json=body, headers=ent.headers)


def _answer(api: Api, bank: Caller, request_id: str, **body: Any) -> Any:
    return api.client.post(f"/v1/financing-requests/{request_id}/answers", json=body, headers=bank.headers)


def _active_banks(api: Api, ent: Caller) -> set[str]:
    consents = api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers).json()
    return {c["bank_org_id"] for c in consents if c["active"]}


def _reads_rating(api: Api, bank: Caller, ent: Caller) -> bool:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=bank.headers)
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


def test_a_request_to_two_banks_consents_both_until_it_closes(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    one, two, other = (api.admin_created(town.admin, "bank") for _ in range(3))
    hook = api.client.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/h", "events": ["financing.requested"]}, headers=one.headers
    ).json()

    r = _send(api, ent, _body(one, two))
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["status"], req["amount_yuan"], req["scope"]) == ("open", "50000000", "full")
    latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    assert (req["rating_id"], req["rating_year"], req["colour"]) == (latest["id"], 2024, latest["colour"])
    assert [x["status"] for x in req["recipients"]] == ["received", "received"]
    assert _active_banks(api, ent) == {str(one.org_id), str(two.org_id)}  # both, and no other bank
    assert _reads_rating(api, one, ent) and _reads_rating(api, two, ent) and not _reads_rating(api, other, ent)
    [delivery] = api.client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=one.headers).json()
    assert delivery["event_type"] == "financing.requested"
    assert delivery["payload"]["data"] == {"request_id": req["id"], "uscc": ent.uscc, "amount_yuan": "50000000",
                                           "purpose": "credit", "product_id": None}  # fmt: skip

    # each bank sees the request with its own answer only; another bank sees nothing of it
    mine = api.client.get("/v1/financing-requests", headers=one.headers).json()["items"]
    assert [x["id"] for x in mine] == [req["id"]] and [b["bank_org_id"] for b in mine[0]["recipients"]] == [
        str(one.org_id)
    ]
    assert api.client.get("/v1/financing-requests", headers=other.headers).json()["items"] == []
    assert api.client.get(f"/v1/financing-requests/{req['id']}", headers=other.headers).status_code == 404
    assert _answer(api, other, req["id"], status="under_review").status_code == 404

    theirs = api.client.get(f"/v1/financing-requests/{req['id']}", headers=two.headers).json()
    assert [b["bank_org_id"] for b in theirs["recipients"]] == [str(two.org_id)]
    assert _answer(api, one, req["id"], status="under_review").status_code == 200
    r = _answer(api, one, req["id"], status="approved", amount_yuan="40000000", rate_percent="3.15", margin_bp=-20)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "open"  # the second bank has not answered
    again = _answer(api, one, req["id"], status="declined", reason="改主意")
    assert again.status_code == 409 and "final" in again.json()["detail"]
    assert _answer(api, one, req["id"], status="under_review").status_code == 409

    no_reason = _answer(api, two, req["id"], status="declined")
    assert no_reason.status_code == 422 and [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    closed = _answer(api, two, req["id"], status="declined", reason="行业限额已满")
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["closed_reason"]) == ("closed", "answered")
    assert _active_banks(api, ent) == set()  # the consents ended with the request
    assert not _reads_rating(api, one, ent) and not _reads_rating(api, two, ent)

    seen = api.client.get(f"/v1/enterprises/{ent.uscc}/financing-requests", headers=ent.headers).json()
    [answers] = [{x["bank_org_id"]: [(a["status"], a["amount_yuan"], a["rate_percent"], a["margin_bp"]) for a in x["answers"]]
                  for x in s["recipients"]} for s in seen]  # fmt: skip
    assert answers == {
        str(one.org_id): [("under_review", None, None, None), ("approved", "40000000", "3.15", -20)],
        str(two.org_id): [("declined", None, None, None)],
    }
    log = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", headers=ent.headers).json()["items"]
    reads = {(e["org_id"], e["what"]) for e in log}
    for bank in (one, two):
        assert {(str(bank.org_id), "financing_request"), (str(bank.org_id), "financing_answer")} <= reads
        assert (str(bank.org_id), "rating") in reads
    assert str(other.org_id) not in {e["org_id"] for e in log}


def test_a_withdrawn_request_ends_its_consent_and_takes_no_answer(api: Api, town: City) -> None:
    ent = town.enterprises[1]
    bank = api.admin_created(town.admin, "bank")
    req = _send(api, ent, _body(bank, scope="grade_only", purpose="bond")).json()
    assert _active_banks(api, ent) == {str(bank.org_id)}
    consent = next(c for c in api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers).json())
    assert (consent["scope"], consent["purpose"]) == ("grade_only", "bond")
    other = town.enterprises[0]
    url = f"/v1/financing-requests/{req['id']}/withdrawal"
    assert api.client.post(url, headers=other.headers).status_code == 404  # not its request
    r = api.client.post(url, headers=ent.headers)
    assert r.status_code == 200 and (r.json()["status"], r.json()["closed_reason"]) == ("closed", "withdrawn")
    assert _active_banks(api, ent) == set()
    late = _answer(api, bank, req["id"], status="under_review")
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert api.client.post(url, headers=ent.headers).status_code == 409


def test_the_finance_bureau_lists_every_request(api: Api, town: City) -> None:
    bank = api.admin_created(town.admin, "bank")
    a = _send(api, town.enterprises[0], _body(bank)).json()
    b = _send(api, town.enterprises[1], _body(bank)).json()
    finance = api.bootstrap(OrgKind.FINANCE_REGULATOR)
    page = api.client.get("/v1/financing-requests", params={"year": a["year"]}, headers=finance.headers).json()
    assert [x["id"] for x in page["items"]] == [a["id"], b["id"]]
    assert (
        api.client.get("/v1/financing-requests", params={"status": "closed"}, headers=finance.headers).json()["items"]
        == []
    )
    assert api.client.get("/v1/financing-requests", headers=town.enterprises[0].headers).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_yuan": "0"}, "amount_yuan"),
        ({"expires_at": "2020-01-01T00:00:00+08:00"}, "expires_at"),
        ({"banks": []}, "banks"),
        ({"term_months": 0}, "term_months"),
        ({"use_of_proceeds": "   "}, "use_of_proceeds"),
        ({"purpose": "monitoring"}, "purpose"),
        ({"banks": [{"bank_org_id": "00000000-0000-0000-0000-000000000000"}]}, "banks[0].bank_org_id"),
        ({"banks": [{"bank_org_id": "{bank}", "product_id": "00000000-0000-0000-0000-000000000000"}]},
         "banks[0].product_id"),
        ({"banks": [{"bank_org_id": "{bank}"}, {"bank_org_id": "{bank}"}]}, "banks"),
    ],
)  # fmt: skip
def test_refusals_name_the_field_and_change_nothing(api: Api, town: City, change: dict[str, Any], field: str) -> None:
    ent = town.enterprises[0]
    bank = api.admin_created(town.admin, "bank")
    if "banks" in change:
        change = {"banks": [{k: v.replace("{bank}", str(bank.org_id)) for k, v in b.items()} for b in change["banks"]]}
    r = _send(api, ent, _body(bank, **change))
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/financing-requests", headers=ent.headers).json() == []
    assert _active_banks(api, ent) == set()
