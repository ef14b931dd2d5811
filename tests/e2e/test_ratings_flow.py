"""A rating round end to end: filings → round (a job) → signed ratings → verify → revoke."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from tests.helpers import Api, build_city, run_round


@pytest.fixture
def city(api: Api) -> dict[str, Any]:
    town = build_city(api, 6)
    return {
        "regulator": town.regulator,
        "ra": town.rating_authority,
        "ents": town.enterprises,
        "verifier": town.verifier,
    }


def test_a_round_rates_every_enterprise_and_signs_twice(api: Api, city: dict[str, Any]) -> None:
    state = run_round(api, city["ra"], 2023)
    assert (state["status"], state["rated"], state["progress_done"]) == ("completed", 6, 6), state
    ent = city["ents"][0]
    latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
    assert latest.status_code == 200, latest.text
    body = latest.json()
    assert body["status"] == "active" and body["rating"]["peer_group"]["size"] == 6
    assert jwt.get_unverified_header(body["token"])["typ"] == "rating+jwt"
    verdict = api.client.post("/v1/verify", json={"token": body["grade_token"]}).json()
    assert verdict["valid"] and verdict["status"] == "active" and verdict["scope"] == "grade_only"

    second = run_round(api, city["ra"], 2023)
    assert second["status"] == "completed"
    verdict = api.client.post("/v1/verify", json={"token": body["token"]}).json()
    assert verdict["status"] == "superseded"
    newest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    revoked = api.client.post(
        f"/v1/ratings/{newest['id']}/revoke", json={"reason": "数据造假"}, headers=city["ra"].headers
    )
    assert revoked.status_code == 200, revoked.text
    verdict = api.client.post("/v1/verify", json={"token": newest["token"]}).json()
    assert (verdict["status"], verdict["revoked_reason"]) == ("revoked", "数据造假")


def test_the_rating_authority_chooses_the_methodology_of_a_round(api: Api, city: dict[str, Any]) -> None:
    ra = city["ra"].headers
    published = [m["version"] for m in api.client.get("/v1/methodologies").json()]
    r = api.client.post("/v1/rating-rounds", json={"year": 2023, "methodology": 999}, headers=ra)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["methodology"]
    assert all(v in r.json()["errors"][0]["detail"] for v in published)
    assert api.client.get("/v1/rating-rounds", headers=ra).json() == []  # refused: nothing started
    r = api.client.post("/v1/rating-rounds", json={"year": 2023, "methodology": 1}, headers=ra)
    assert r.status_code == 202 and r.json()["methodology_version"] == "1", r.text
    latest = max(published, key=int)
    default = api.client.post("/v1/rating-rounds", json={"year": 2024}, headers=ra)
    assert default.status_code == 202 and default.json()["methodology_version"] == latest, default.text
