"""Objections (异议): the enterprise objects to its rating; the rating authority answers once."""

from __future__ import annotations

from domain.organisations import OrgKind
from tests.helpers import Api, Filings, cement, run_round


def test_object_list_and_decide(api: Api) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    ent, _ = api.register()
    other, _ = api.register()
    for e in (ent, other):
        api.decide(regulator, e.uscc or "", "approve")
        Filings(api).submitted(e, 2023, cement())
    assert run_round(api, ra, 2023)["status"] == "completed"
    rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    assert rating["colour"] == "unrated"  # two enterprises are no peer group

    r = api.client.post(
        f"/v1/ratings/{rating['id']}/objections", json={"statement": "同行业企业数量不足"}, headers=ent.headers
    )
    assert r.status_code == 201, r.text
    objection = r.json()
    assert objection["status"] == "open"
    assert (
        api.client.post(
            f"/v1/ratings/{rating['id']}/objections", json={"statement": "x"}, headers=other.headers
        ).status_code
        == 404
    )  # not its rating
    assert [o["id"] for o in api.client.get("/v1/objections", headers=ent.headers).json()] == [objection["id"]]
    assert api.client.get("/v1/objections", headers=other.headers).json() == []
    assert len(api.client.get("/v1/objections", params={"status": "open"}, headers=ra.headers).json()) == 1

    decided = api.client.post(
        f"/v1/objections/{objection['id']}/decision",
        json={"decision": "dismiss", "reply": "符合方法学"},
        headers=ra.headers,
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["reply"]) == ("dismissed", "符合方法学")
    again = api.client.post(
        f"/v1/objections/{objection['id']}/decision", json={"decision": "uphold", "reply": "x"}, headers=ra.headers
    )
    assert again.status_code == 409
    listed = api.client.get("/v1/objections", headers=ent.headers).json()
    assert listed[0]["status"] == "dismissed"
