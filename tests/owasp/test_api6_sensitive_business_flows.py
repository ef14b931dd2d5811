"""OWASP API6:2023 Unrestricted Access to Sensitive Business Flows.

The flows an automated caller could abuse, against the live app and database:
  - registration (`POST /v1/enterprises`, public: each one creates an organisation, an
    enterprise and an API client with a secret): limited per client address, 429 with
    Retry-After and nothing written beyond the limit; X-Forwarded-For and friends do not
    buy a new budget. (Its validation -- USCC check characters, district, industry,
    duplicates -- is tests/e2e/test_registration_errors.py.)
  - public verification (`POST /v1/verify`, `GET /verify/{no}`): limited per address,
    one budget for both, and numbers nobody holds count too, so certificate numbers
    cannot be enumerated at speed; spoofed forwarding headers do not help;
  - rating rounds: one running round per year (a second start is 409, nothing queued);
  - objections: one open objection per rating -- an enterprise cannot flood the rating
    authority's queue with copies -- and a statement is at most 4000 characters;
  - the city's rating round: one enterprise's absurd figure (1e400 t of coal) is refused
    when filed and cannot make the round fail for every enterprise.
"""

from __future__ import annotations

import pytest

from domain.organisations import OrgKind
from service.settings import Settings
from tests.helpers import Api, build_city, cement, new_uscc, run_round
from tests.owasp.common import app_with, assert_problem, pin_rate_window, row_counts

LIMIT = 5
SPOOFED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Real-IP": "203.0.113.8",
    "Forwarded": "for=203.0.113.9",
    "True-Client-IP": "203.0.113.10",
}


def _registration() -> dict[str, str]:
    return {"uscc": new_uscc(), "name": "淄博注册限速测试有限公司", "district": "370303", "industry": "3011"}


def test_registration_is_rate_limited_per_address(shared_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    retry = pin_rate_window(monkeypatch)
    with app_with(shared_settings, rate_limit_per_minute=LIMIT) as api:
        codes = [api.client.post("/v1/enterprises", json=_registration()).status_code for _ in range(LIMIT)]
        assert codes == [201] * LIMIT, codes
        counts = row_counts(api.settings)
        over = api.client.post("/v1/enterprises", json=_registration())
        assert over.status_code == 429, f"registration is not rate limited: {over.status_code} {over.text[:200]}"
        assert_problem(over, 429)
        assert int(over.headers["retry-after"]) == retry
        spoofed = api.client.post("/v1/enterprises", json=_registration(), headers=SPOOFED)
        assert_problem(spoofed, 429)
        assert row_counts(api.settings) == counts


def test_public_verification_is_limited_per_address_whatever_it_asks(
    shared_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_rate_window(monkeypatch)
    with app_with(shared_settings, rate_limit_per_minute=LIMIT) as api:
        answers = [
            api.client.post("/v1/verify", json={"certificate_no": f"ZB-NONE-0000-0000-000{i}"}).status_code
            for i in range(3)
        ]
        answers += [api.client.get(f"/verify/ZB-NONE-0000-0000-001{i}").status_code for i in range(2)]
        assert 429 not in answers and answers[:3] == [200] * 3 and answers[3:] == [404] * 2, answers
        for r in (
            api.client.post("/v1/verify", json={"certificate_no": "ZB-NONE-0000-0000-0100"}),
            api.client.get("/verify/ZB-NONE-0000-0000-0101"),
            api.client.get("/verify/ZB-NONE-0000-0000-0102", headers={"Accept": "application/json", **SPOOFED}),
            api.client.post("/v1/verify", json={"certificate_no": "ZB-NONE-0000-0000-0103"}, headers=SPOOFED),
        ):
            assert_problem(r, 429)
            assert 1 <= int(r.headers["retry-after"]) <= 60


def test_one_running_round_per_year(shared: Api) -> None:
    """The shared app runs no jobs: a started round stays running."""
    authority = shared.bootstrap(OrgKind.RATING_AUTHORITY)
    first = shared.client.post("/v1/rating-rounds", json={"year": 2023}, headers=authority.headers)
    assert first.status_code == 202, first.text
    counts = row_counts(shared.settings)
    for key in (None, "another-key"):
        headers = {**authority.headers, **({"Idempotency-Key": key} if key else {})}
        again = shared.client.post("/v1/rating-rounds", json={"year": 2023}, headers=headers)
        assert_problem(again, 409)
    assert row_counts(shared.settings) == counts
    running = [r for r in shared.client.get("/v1/rating-rounds", headers=authority.headers).json() if r["year"] == 2023]
    assert [r["id"] for r in running if r["status"] == "running"] == [first.json()["id"]]


def test_one_open_objection_per_rating(api: Api) -> None:
    town = build_city(api, 1)
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    ent = town.enterprises[0]
    rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    url = f"/v1/ratings/{rating['id']}/objections"
    assert_problem(api.client.post(url, json={"statement": "异" * 4001}, headers=ent.headers), 422)
    first = api.client.post(url, json={"statement": "增加值有误"}, headers=ent.headers)
    assert first.status_code == 201, first.text
    copies = [api.client.post(url, json={"statement": f"增加值有误 {i}"}, headers=ent.headers) for i in range(3)]
    listed = api.client.get("/v1/objections", params={"status": "open"}, headers=town.rating_authority.headers).json()
    assert [c.status_code for c in copies] == [409] * 3, (
        f"an enterprise files copy after copy: {[c.status_code for c in copies]}; {len(listed)} open objections"
    )
    for c in copies:
        assert_problem(c, 409)
    assert [o["id"] for o in listed] == [first.json()["id"]]
    # once decided, the enterprise may object again
    decided = api.client.post(
        f"/v1/objections/{first.json()['id']}/decision",
        json={"decision": "dismiss", "reply": "符合方法学"},
        headers=town.rating_authority.headers,
    )
    assert decided.status_code == 200, decided.text
    assert api.client.post(url, json={"statement": "补充材料"}, headers=ent.headers).status_code == 201


def test_one_enterprises_absurd_figures_cannot_stop_the_citys_round(api: Api) -> None:
    """The rating round rates every active enterprise in one job: a figure no plant can have
    (10^400 t of coal) must be refused when filed, not break everyone's rating."""
    town = build_city(api, 3)
    rogue, _ = api.register()
    api.decide(town.regulator, rogue.uscc or "", "approve")
    content = cement()
    content["energy"] = [{"carrier": "bituminous_coal", "quantity": "1e400", "unit": "t"}]
    created = api.client.post(
        f"/v1/enterprises/{rogue.uscc}/filings", json={"period": 2023, **content}, headers=rogue.headers
    )
    if created.status_code == 201:
        submitted = api.client.post(f"/v1/filings/{created.json()['id']}/submit", headers=rogue.headers)
        assert submitted.status_code in (200, 422), submitted.text
    state = run_round(api, town.rating_authority, 2023)
    assert state["status"] == "completed", (
        f"the city's round {state['status']} ({state['error']}) because one enterprise filed 1e400 t of coal "
        f"(its filing was answered {created.status_code})"
    )
    for ent in town.enterprises:
        assert api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).status_code == 200
    doc = assert_problem(created, 422)
    assert [e["field"] for e in doc["errors"]] == ["energy[0].quantity"], doc
