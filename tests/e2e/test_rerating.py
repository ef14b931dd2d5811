"""A targeted re-rating (issue 15.8): after an upheld objection and a verified correction, the
rating authority re-rates one enterprise against its round's pinned peer groups; only that
rating is superseded, with its reason and objection; banks holding its consent are told."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest

from domain.canonical import canonical_json
from domain.organisations import OrgKind
from service.db.engine import make_engine, make_sessionmaker
from service.ratings.recompute import recompute_claims
from service.settings import Settings
from tests.helpers import Api, Caller, City, Filings, build_city, cement, run_round

EVENTS = ["rating.issued", "rating.superseded", "rating.colour_changed", "rating.revoked"]


def _grant(api: Api, ent: Caller, bank: Caller) -> None:
    body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "full", "expires_at": "2030-01-01T00:00:00+08:00"}
    assert api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers).status_code == 201


def _hook(api: Api, bank: Caller) -> str:
    r = api.client.post("/v1/webhooks", json={"url": "https://8.8.8.8/hook", "events": EVENTS}, headers=bank.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _events(api: Api, bank: Caller, hook: str) -> list[tuple[str, dict[str, Any]]]:
    r = api.client.get(f"/v1/webhooks/{hook}/deliveries", params={"limit": 100}, headers=bank.headers)
    assert r.status_code == 200, r.text
    return [(d["event_type"], d["payload"]["data"]) for d in r.json()]


def _latest(api: Api, city: City, ent: Caller) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=city.regulator.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _recomputed(settings: Settings, rating_ids: list[str]) -> list[bytes]:
    async def go() -> list[bytes]:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as db:
                return [canonical_json(await recompute_claims(db, uuid.UUID(i))) for i in rating_ids]
        finally:
            await engine.dispose()

    return asyncio.run(go())


@pytest.fixture
def rated(api: Api) -> tuple[City, list[dict[str, Any]]]:
    city = build_city(api, 5)
    assert run_round(api, city.rating_authority, 2023)["status"] == "completed"
    return city, [_latest(api, city, e) for e in city.enterprises]


def _uphold(api: Api, city: City, ent: Caller, rating_id: str) -> str:
    made = api.client.post(
        f"/v1/ratings/{rating_id}/objections", json={"statement": "熟料产量少报"}, headers=ent.headers
    )
    assert made.status_code == 201, made.text
    decided = api.client.post(
        f"/v1/objections/{made.json()['id']}/decision",
        json={"decision": "uphold", "reply": "核实后予以更正"},
        headers=city.rating_authority.headers,
    )
    assert decided.status_code == 200, decided.text
    return str(made.json()["id"])


def test_one_enterprise_is_re_rated_against_the_pinned_peers(
    api: Api, settings: Settings, rated: tuple[City, list[dict[str, Any]]]
) -> None:
    city, before = rated
    ent, old = city.enterprises[0], before[0]
    admin = api.bootstrap(OrgKind.ADMIN)
    its_bank, other_bank = api.admin_created(admin, "bank"), api.admin_created(admin, "bank")
    _grant(api, ent, its_bank)
    _grant(api, city.enterprises[1], other_bank)
    its_hook, other_hook = _hook(api, its_bank), _hook(api, other_bank)
    objection_id = _uphold(api, city, ent, old["id"])

    # The correction: value added was 40 000 万元, it is 80 000 (a new version, verified).
    f = Filings(api)
    corrected = f.submit(ent, f.create(ent, 2023, cement(value_added="80000"), supersedes=1)["id"])
    assert corrected["version"] == 2
    f.verify(city.verifier, corrected["id"])

    r = api.client.post(
        f"/v1/ratings/{old['id']}/rerating",
        json={"reason": "异议成立：增加值更正", "objection_id": objection_id},
        headers=city.rating_authority.headers,
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["supersedes_rating_id"] == old["id"] and new["objection_id"] == objection_id
    assert new["rerating_reason"] == "异议成立：增加值更正" and new["status"] == "active"
    assert new["round_id"] == old["round_id"] and new["expires_at"] == old["expires_at"]
    shipped = api.client.get("/v1/policy-sets").json()[-1]["id"]
    assert new["policy_set_id"] == shipped and new["policy_consequences"] == []  # issued now: pins today's set
    claims, old_claims = new["rating"], old["rating"]
    assert claims["pins"]["filing_version"] == 2 and claims["round_id"] == old_claims["round_id"]
    # Pinned: the peer group is the round's (its own old filing in it), though its intensity halved.
    assert claims["peer_group"] == old_claims["peer_group"]
    assert claims["figures"] != old_claims["figures"]

    # Only that rating moved; the others are still the round's, untouched.
    assert api.client.get(f"/v1/ratings/{old['id']}", headers=city.regulator.headers).json()["status"] == "superseded"
    after = [_latest(api, city, e) for e in city.enterprises]
    assert after[0]["id"] == new["id"]
    assert [a["id"] for a in after[1:]] == [b["id"] for b in before[1:]]
    assert all(a["status"] == "active" for a in after)

    # Both recompute byte for byte: the re-rating, and the round's other ratings (not re-peered).
    ids = [new["id"], before[1]["id"], before[4]["id"]]
    stored = [canonical_json(api.client.get(f"/v1/ratings/{i}", headers=city.regulator.headers).json()["rating"])
              for i in ids]  # fmt: skip
    assert _recomputed(settings, ids) == stored

    # The consenting bank hears of it; the other bank of nothing.
    events = _events(api, its_bank, its_hook)
    assert ("rating.issued", {"rating_id": new["id"], "uscc": ent.uscc, "year": 2023, "round_id": old["round_id"]}) in [
        (t, {k: d[k] for k in ("rating_id", "uscc", "year", "round_id")}) for t, d in events if t == "rating.issued"
    ]
    superseded = [d for t, d in events if t == "rating.superseded"]
    assert [(d["rating_id"], d["superseded_by"]) for d in superseded] == [(old["id"], new["id"])]
    assert _events(api, other_bank, other_hook) == []

    # A certificate of its own, whose number the rating now names.
    deadline = time.monotonic() + 60
    while (read := api.client.get(f"/v1/ratings/{new['id']}", headers=city.regulator.headers).json())[
        "certificate_no"
    ] is None:
        assert time.monotonic() < deadline, "the re-rating's certificate was never rendered"
        time.sleep(0.2)
    assert read["verify_url"].endswith(f"/verify/{read['certificate_no']}")
    old_read = api.client.get(f"/v1/ratings/{old['id']}", headers=city.regulator.headers).json()
    assert old_read["certificate_no"] not in (None, read["certificate_no"])


def test_refusals_change_nothing(api: Api, rated: tuple[City, list[dict[str, Any]]]) -> None:
    city, before = rated
    ra = city.rating_authority.headers
    first, second = before[0]["id"], before[1]["id"]

    open_objection = api.client.post(
        f"/v1/ratings/{first}/objections", json={"statement": "不服"}, headers=city.enterprises[0].headers
    ).json()["id"]
    r = api.client.post(
        f"/v1/ratings/{first}/rerating", json={"reason": "x", "objection_id": open_objection}, headers=ra
    )
    assert r.status_code == 409 and "open" in r.json()["detail"], r.text
    r = api.client.post(
        f"/v1/ratings/{second}/rerating", json={"reason": "x", "objection_id": open_objection}, headers=ra
    )
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["objection_id"], r.text
    r = api.client.post(f"/v1/ratings/{first}/rerating", json={"reason": ""}, headers=ra)
    assert r.status_code == 422, r.text
    r = api.client.post(f"/v1/ratings/{first}/rerating", json={"reason": "x", "period": 2023}, headers=ra)
    assert r.status_code == 422, r.text
    r = api.client.post(f"/v1/ratings/{uuid.uuid4()}/rerating", json={"reason": "x"}, headers=ra)
    assert r.status_code == 404, r.text
    assert [_latest(api, city, e)["id"] for e in city.enterprises] == [b["id"] for b in before]

    # A verified correction without an objection; then the superseded rating cannot be re-rated again.
    r = api.client.post(f"/v1/ratings/{second}/rerating", json={"reason": "核查更正"}, headers=ra)
    assert r.status_code == 201 and r.json()["objection_id"] is None, r.text
    again = api.client.post(f"/v1/ratings/{second}/rerating", json={"reason": "核查更正"}, headers=ra)
    assert again.status_code == 409 and "superseded" in again.json()["detail"], again.text
    revoked = api.client.post(f"/v1/ratings/{before[2]['id']}/revoke", json={"reason": "撤销"}, headers=ra)
    assert revoked.status_code == 200
    r = api.client.post(f"/v1/ratings/{before[2]['id']}/rerating", json={"reason": "x"}, headers=ra)
    assert r.status_code == 409 and "revoked" in r.json()["detail"], r.text
