"""A finance regulator (金融监管局, the PBoC branch) reads every rating, certificate and
aggregate, never a filing or an account, and each of its reads is in the access log."""

from __future__ import annotations

from domain.organisations import OrgKind
from tests.helpers import Api, build_city, run_round


def test_reads_ratings_and_aggregates_but_not_filings_and_is_logged(api: Api) -> None:
    city = build_city(api, 5)
    assert run_round(api, city.rating_authority, 2023)["status"] == "completed"
    finance = api.bootstrap(OrgKind.FINANCE_REGULATOR)
    ent = city.enterprises[0]

    latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=finance.headers)
    assert latest.status_code == 200, latest.text
    assert latest.json()["scope"] == "full"  # no consent needed: it supervises the lenders
    history = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings", headers=finance.headers)
    assert history.status_code == 200 and len(history.json()) == 1
    rating_id = latest.json()["id"]
    assert api.client.get(f"/v1/ratings/{rating_id}", headers=finance.headers).status_code == 200
    assert api.client.get("/v1/stats/overview", params={"year": 2023}, headers=finance.headers).status_code == 200

    filings = api.client.get(f"/v1/enterprises/{ent.uscc}/filings", headers=finance.headers)
    assert filings.status_code == 403 and filings.headers["content-type"] == "application/problem+json"
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/account", headers=finance.headers).status_code == 403
    assert api.client.get("/v1/objections", headers=finance.headers).status_code == 403
    assert api.client.get("/v1/access-log", headers=finance.headers).status_code == 403

    log = api.client.get(
        "/v1/access-log", params={"org_id": finance.org_id, "limit": 50}, headers=city.regulator.headers
    )
    assert log.status_code == 200, log.text
    entries = log.json()["items"]
    assert {e["what"] for e in entries} == {"rating", "rating_history"}
    assert all(e["org_kind"] == "finance_regulator" and e["uscc"] == ent.uscc for e in entries)
    assert len(entries) == 3  # latest, history, the rating by id


def test_an_admin_cannot_create_one_it_is_bootstrapped(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    r = api.client.post(
        "/v1/admin/organisations", json={"kind": "finance_regulator", "name": "淄博金融监管局"}, headers=admin.headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
