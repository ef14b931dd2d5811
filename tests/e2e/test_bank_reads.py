"""Banks read ratings under consent: the directory, granting and withdrawing, refusals that look
like nothing exists and are never logged, scopes, the access log, and a bank's consent sync."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from httpx import Response

from domain.organisations import OrgKind
from tests.helpers import Api, Caller, Filings, cement, new_uscc, run_round

CST = dt.timezone(dt.timedelta(hours=8))
PROBLEM_JSON = "application/problem+json"
# What a grade-only answer may carry: the summary, its scope, the signing key and the grade token.
GRADE_ONLY_KEYS = {
    "id", "round_id", "uscc", "year", "status", "colour", "grade", "band", "finance_tier",
    "methodology_version", "issued_at", "expires_at", "revoked_reason", "scope", "kid", "grade_token",
}  # fmt: skip
# No key or value of a grade-only answer may so much as mention an emissions figure.
FIGURE_WORDS = ("figures", "co2", "scope1", "scope2", "intensity", "emission", "energy_tce", "value_added")


@dataclass
class World:
    regulator: Caller
    ra: Caller
    bank: Caller
    other_bank: Caller
    ents: list[Caller]


@pytest.fixture
def world(api: Api) -> World:
    """Six verified cement enterprises rated in a 2023 round; two banks; a regulator."""
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator, ra = api.bootstrap(OrgKind.REGULATOR), api.bootstrap(OrgKind.RATING_AUTHORITY)
    verifier = api.admin_created(admin, "verifier")
    bank, other_bank = api.admin_created(admin, "bank"), api.admin_created(admin, "bank")
    f = Filings(api)
    ents: list[Caller] = []
    for i in range(6):
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        f.engage(ent, verifier)
        f.verify(verifier, f.submitted(ent, 2023, cement(value_added=str(40000 + 5000 * i)))["id"])
        ents.append(ent)
    assert run_round(api, ra, 2023)["status"] == "completed"
    return World(regulator=regulator, ra=ra, bank=bank, other_bank=other_bank, ents=ents)


# --- helpers --------------------------------------------------------------------------------


def ahead(**delta: float) -> str:
    return (dt.datetime.now(CST) + dt.timedelta(**delta)).isoformat()


def grant(
    api: Api, ent: Caller, bank: Caller, scope: str = "full", purpose: str = "credit", expires_at: str | None = None
) -> dict[str, Any]:
    body = {"bank_org_id": bank.org_id, "purpose": purpose, "scope": scope, "expires_at": expires_at or ahead(days=365)}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def withdraw(api: Api, ent: Caller, consent_id: str) -> Response:
    return api.client.delete(f"/v1/enterprises/{ent.uscc}/consents/{consent_id}", headers=ent.headers)


def own_log(api: Api, ent: Caller) -> list[dict[str, Any]]:
    """The enterprise's access log, read by the enterprise (its own reads are not logged)."""
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/access-log", params={"limit": 200}, headers=ent.headers)
    assert r.status_code == 200, r.text
    assert r.json().get("next_cursor") is None
    return list(r.json()["items"])


def all_log(api: Api, regulator: Caller) -> list[dict[str, Any]]:
    r = api.client.get("/v1/access-log", params={"limit": 200}, headers=regulator.headers)
    assert r.status_code == 200, r.text
    assert r.json().get("next_cursor") is None
    return list(r.json()["items"])


def own_latest(api: Api, ent: Caller) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def latest(api: Api, caller: Caller, uscc: str | None) -> Response:
    return api.client.get(f"/v1/enterprises/{uscc}/ratings/latest", headers=caller.headers)


def by_id(api: Api, caller: Caller, rating_id: str) -> Response:
    return api.client.get(f"/v1/ratings/{rating_id}", headers=caller.headers)


def problem(r: Response) -> tuple[Any, Any, Any]:
    """A 404 problem document's (type, title, detail)."""
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith(PROBLEM_JSON), r.headers
    body = r.json()
    assert body["status"] == 404
    return body["type"], body["title"], body["detail"]


def assert_refused_unlogged(api: Api, ent: Caller, bank: Caller, rating_id: str) -> None:
    """Both bank reads are a 404 problem document, and the enterprise's access log gains nothing."""
    before = own_log(api, ent)
    problem(latest(api, bank, ent.uscc))
    problem(by_id(api, bank, rating_id))
    assert own_log(api, ent) == before


def assert_no_figures(body: dict[str, Any]) -> None:
    assert {k for k, v in body.items() if v is not None} <= GRADE_ONLY_KEYS, body
    assert body["scope"] == "grade_only"
    assert "token" not in body or body["token"] is None
    assert "rating" not in body or body["rating"] is None
    # The serialized body, and the grade token's claims (its base64 text could hold any 3 letters).
    text = json.dumps({k: v for k, v in body.items() if k != "grade_token"}, ensure_ascii=False).lower()
    claims = jwt.decode(body["grade_token"], options={"verify_signature": False})
    claims_text = json.dumps(claims, ensure_ascii=False).lower()
    for word in FIGURE_WORDS:
        assert word not in text, (word, text)
        assert word not in claims_text, (word, claims_text)
    assert claims["scope"] == "grade_only"


# --- directory, grant, list, withdraw ---------------------------------------------------------


def test_directory_grant_list_and_withdraw(api: Api, world: World) -> None:
    ent, bank = world.ents[0], world.bank
    directory = api.client.get("/v1/banks", headers=ent.headers)
    assert directory.status_code == 200, directory.text
    assert {b["org_id"] for b in directory.json()} == {bank.org_id, world.other_bank.org_id}
    assert all(b["name"] for b in directory.json())

    expires = ahead(days=180)
    consent = grant(api, ent, bank, scope="grade_only", purpose="bond", expires_at=expires)
    assert (consent["uscc"], consent["bank_org_id"], consent["purpose"], consent["scope"]) == (
        ent.uscc, bank.org_id, "bond", "grade_only",
    )  # fmt: skip
    assert dt.datetime.fromisoformat(consent["expires_at"]) == dt.datetime.fromisoformat(expires)
    assert consent["active"] is True and consent["withdrawn_at"] is None
    second = grant(api, ent, world.other_bank, scope="full", purpose="monitoring")

    listed = api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers)
    assert listed.status_code == 200, listed.text
    assert [c["id"] for c in listed.json()] == [second["id"], consent["id"]]  # newest first

    gone = withdraw(api, ent, consent["id"])
    assert gone.status_code == 200, gone.text
    assert gone.json()["withdrawn_at"] is not None and gone.json()["active"] is False
    twice = withdraw(api, ent, consent["id"])
    assert twice.status_code == 409, twice.text
    assert twice.headers["content-type"].startswith(PROBLEM_JSON)
    after = {c["id"]: c for c in api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers).json()}
    assert after[consent["id"]]["withdrawn_at"] is not None and after[second["id"]]["withdrawn_at"] is None


@pytest.mark.parametrize(
    ("expires_at", "reason"),
    [
        ("2020-01-01T00:00:00+08:00", "must be in the future"),
        ("2030-01-01T00:00:00", "time zone"),
        ("2099-01-01T00:00:00+08:00", "days ahead"),
    ],
)
def test_a_bad_expiry_is_refused(api: Api, world: World, expires_at: str, reason: str) -> None:
    ent = world.ents[0]
    body = {"bank_org_id": world.bank.org_id, "purpose": "credit", "scope": "full", "expires_at": expires_at}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
    assert r.status_code == 422, r.text
    assert any(e["field"] == "expires_at" and reason in e["detail"] for e in r.json()["errors"]), r.json()


def test_consent_only_to_an_active_bank(api: Api, world: World) -> None:
    ent = world.ents[0]
    for org_id in (world.regulator.org_id, world.ents[1].org_id):
        body = {"bank_org_id": org_id, "purpose": "credit", "scope": "full", "expires_at": ahead(days=30)}
        r = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["bank_org_id"]


# --- refusals: 404, the same for an enterprise that does not exist, never logged ---------------


def test_no_consent_is_refused_and_not_logged(api: Api, world: World) -> None:
    ent = world.ents[0]
    assert_refused_unlogged(api, ent, world.bank, own_latest(api, ent)["id"])


def test_an_expired_consent_is_refused_and_not_logged(api: Api, world: World) -> None:
    ent = world.ents[0]
    rating_id = own_latest(api, ent)["id"]
    consent = grant(api, ent, world.bank, expires_at=ahead(seconds=2))
    time.sleep(2.5)
    listed = api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers).json()
    assert [(c["id"], c["active"]) for c in listed] == [(consent["id"], False)]
    assert_refused_unlogged(api, ent, world.bank, rating_id)


def test_a_withdrawn_consent_is_refused_and_not_logged(api: Api, world: World) -> None:
    ent = world.ents[0]
    rating_id = own_latest(api, ent)["id"]
    consent = grant(api, ent, world.bank)
    assert latest(api, world.bank, ent.uscc).status_code == 200  # logged: one row
    assert len(own_log(api, ent)) == 1
    assert withdraw(api, ent, consent["id"]).status_code == 200
    assert_refused_unlogged(api, ent, world.bank, rating_id)
    assert len(own_log(api, ent)) == 1


def test_a_uscc_nobody_holds_reads_as_an_enterprise_without_consent(api: Api, world: World) -> None:
    ent = world.ents[0]
    existing = problem(latest(api, world.bank, ent.uscc))
    nobody = problem(latest(api, world.bank, new_uscc()))
    assert existing == nobody
    assert own_log(api, ent) == []
    assert all_log(api, world.regulator) == []


def test_consent_to_another_bank_does_not_let_this_one_read(api: Api, world: World) -> None:
    ent = world.ents[0]
    rating_id = own_latest(api, ent)["id"]
    grant(api, ent, world.other_bank, scope="full")
    assert by_id(api, world.other_bank, rating_id).status_code == 200
    before = own_log(api, ent)
    assert len(before) == 1
    # Another enterprise's consent to this bank does not reach this enterprise's rating either.
    grant(api, world.ents[1], world.bank, scope="full")
    assert_refused_unlogged(api, ent, world.bank, rating_id)
    assert own_log(api, ent) == before


# --- scopes -------------------------------------------------------------------------------------


def test_grade_only_carries_no_figures(api: Api, world: World) -> None:
    ent = world.ents[0]
    own = own_latest(api, ent)
    grant(api, ent, world.bank, scope="grade_only")
    for r in (latest(api, world.bank, ent.uscc), by_id(api, world.bank, own["id"])):
        assert r.status_code == 200, r.text
        body = r.json()
        assert_no_figures(body)
        assert body["id"] == own["id"] and body["grade_token"] == own["grade_token"]
        assert (body["colour"], body["grade"], body["band"]) == (own["colour"], own["grade"], own["band"])


def test_full_carries_the_rating_and_its_token(api: Api, world: World) -> None:
    ent = world.ents[0]
    own = own_latest(api, ent)
    grant(api, ent, world.bank, scope="full")
    for r in (latest(api, world.bank, ent.uscc), by_id(api, world.bank, own["id"])):
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["scope"] == "full"
        assert body["token"] == own["token"] and body["grade_token"] == own["grade_token"]
        assert body["rating"] == own["rating"] and "scope1" in body["rating"]["figures"]


def test_full_wins_over_grade_only_when_both_are_active(api: Api, world: World) -> None:
    ent = world.ents[0]
    grant(api, ent, world.bank, scope="grade_only")
    full = grant(api, ent, world.bank, scope="full", purpose="bond")
    r = latest(api, world.bank, ent.uscc)
    assert r.status_code == 200 and r.json()["scope"] == "full"
    [row] = own_log(api, ent)
    assert (row["consent_id"], row["scope"], row["purpose"]) == (full["id"], "full", "bond")


def test_grade_only_consent_gives_no_financed_emissions(api: Api, world: World) -> None:
    ent = world.ents[0]
    grant(api, ent, world.bank, scope="grade_only")
    loans = [{"uscc": ent.uscc, "outstanding_yuan": "1000000", "equity_plus_debt_yuan": "50000000"}]
    r = api.client.post("/v1/portfolio/financed-emissions", json={"loans": loans}, headers=world.bank.headers)
    assert r.status_code == 200, r.text
    [loan] = r.json()["loans"]
    assert loan["status"] == "no_consent"
    assert all(loan.get(k) is None for k in ("attribution_factor", "scope1_tco2", "scope2_tco2", "pcaf_score"))
    assert r.json()["loans_with_figures"] == 0
    assert own_log(api, ent) == []


# --- the access log ----------------------------------------------------------------------------


def test_every_read_is_logged_once_naming_its_consent(api: Api, world: World) -> None:
    ent, other = world.ents[0], world.ents[1]
    own = own_latest(api, ent)
    consent = grant(api, ent, world.bank, scope="grade_only", purpose="monitoring")

    assert latest(api, world.bank, ent.uscc).status_code == 200
    log = own_log(api, ent)
    assert len(log) == 1
    row = log[0]
    assert (row["consent_id"], row["purpose"], row["scope"], row["what"]) == (
        consent["id"], "monitoring", "grade_only", "rating",
    )  # fmt: skip
    assert (row["resource_id"], row["org_id"], row["org_kind"], row["uscc"]) == (
        own["id"], world.bank.org_id, "bank", ent.uscc,
    )  # fmt: skip
    assert row["client_id"] == world.bank.client_id

    assert by_id(api, world.bank, own["id"]).status_code == 200
    log = own_log(api, ent)
    assert len(log) == 2 and log[0]["id"] > log[1]["id"]
    assert (log[0]["consent_id"], log[0]["what"], log[0]["resource_id"]) == (consent["id"], "rating", own["id"])

    # A regulator's read: one row, for supervision, relying on no consent.
    assert latest(api, world.regulator, ent.uscc).status_code == 200
    log = own_log(api, ent)
    assert len(log) == 3
    assert (log[0]["org_id"], log[0]["org_kind"], log[0]["purpose"], log[0]["consent_id"]) == (
        world.regulator.org_id, "regulator", "supervision", None,
    )  # fmt: skip
    assert (log[0]["what"], log[0]["resource_id"], log[0]["scope"]) == ("rating", own["id"], "full")

    # The enterprise's own reads add nothing.
    own_latest(api, ent)
    assert by_id(api, ent, own["id"]).status_code == 200
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/ratings", headers=ent.headers).status_code == 200
    assert len(own_log(api, ent)) == 3

    # Another enterprise's read by the regulator: in the regulator's list, not in this enterprise's log.
    assert by_id(api, world.regulator, own_latest(api, other)["id"]).status_code == 200
    everything = all_log(api, world.regulator)
    assert len(everything) == 4
    assert [e["id"] for e in everything] == sorted((e["id"] for e in everything), reverse=True)
    ats = [dt.datetime.fromisoformat(e["at"]) for e in everything]
    assert ats == sorted(ats, reverse=True)
    assert everything[0]["uscc"] == other.uscc
    assert everything[1:] == own_log(api, ent)
    assert [e["uscc"] for e in own_log(api, other)] == [other.uscc]

    # The enterprise sees only its own log; another enterprise's is not found.
    refused = api.client.get(f"/v1/enterprises/{other.uscc}/access-log", headers=ent.headers)
    assert refused.status_code == 404, refused.text
    by_bank = api.client.get("/v1/access-log", params={"org_id": world.bank.org_id}, headers=world.regulator.headers)
    assert [e["org_id"] for e in by_bank.json()["items"]] == [world.bank.org_id] * 2


def test_the_access_log_pages_newest_first(api: Api, world: World) -> None:
    ent = world.ents[0]
    rating_id = own_latest(api, ent)["id"]
    for _ in range(5):
        assert by_id(api, world.regulator, rating_id).status_code == 200
    expected = [e["id"] for e in own_log(api, ent)]
    assert len(expected) == 5
    for path, caller in ((f"/v1/enterprises/{ent.uscc}/access-log", ent), ("/v1/access-log", world.regulator)):
        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = api.client.get(path, params=params, headers=caller.headers)
            assert page.status_code == 200, page.text
            seen += [e["id"] for e in page.json()["items"]]
            cursor = page.json().get("next_cursor")
            if cursor is None:
                break
        assert seen == expected
        bad = api.client.get(path, params={"cursor": "%%%"}, headers=caller.headers)
        assert bad.status_code == 422, bad.text


# --- the bank's consent sync ---------------------------------------------------------------------


def consents_page(api: Api, bank: Caller, **params: Any) -> Response:
    return api.client.get("/v1/consents", params=params, headers=bank.headers)


def test_a_bank_lists_and_syncs_its_consents(api: Api, world: World) -> None:
    a, b, c = world.ents[0], world.ents[1], world.ents[2]
    first = grant(api, a, world.bank, scope="grade_only")
    second = grant(api, b, world.bank, scope="full", purpose="bond")
    grant(api, c, world.other_bank)  # another bank's: never listed here
    time.sleep(0.05)
    withdrawn = withdraw(api, a, first["id"])
    assert withdrawn.status_code == 200, withdrawn.text
    third = grant(api, c, world.bank, scope="full", purpose="monitoring")

    everything = consents_page(api, world.bank)
    assert everything.status_code == 200, everything.text
    items = everything.json()["items"]
    assert everything.json().get("next_cursor") is None
    # Oldest change first: the second grant, then the withdrawal of the first, then the third.
    assert [i["id"] for i in items] == [second["id"], first["id"], third["id"]]
    by_id_ = {i["id"]: i for i in items}
    assert by_id_[first["id"]]["withdrawn_at"] is not None and by_id_[first["id"]]["active"] is False
    assert (by_id_[second["id"]]["uscc"], by_id_[second["id"]]["scope"]) == (b.uscc, "full")
    assert all(i["bank_org_id"] == world.bank.org_id for i in items)

    # A time between the second grant and the withdrawal: only the later changes.
    t_second = dt.datetime.fromisoformat(by_id_[second["id"]]["updated_at"])
    t_withdrawn = dt.datetime.fromisoformat(by_id_[first["id"]]["updated_at"])
    assert t_second < t_withdrawn
    between = t_second + (t_withdrawn - t_second) / 2
    since = consents_page(api, world.bank, updated_since=between.isoformat())
    assert since.status_code == 200, since.text
    assert [i["id"] for i in since.json()["items"]] == [first["id"], third["id"]]
    later = consents_page(api, world.bank, updated_since=ahead(days=1))
    assert later.json()["items"] == []

    # Pages of one walk everything, each once.
    seen, cursor, pages = [], None, 0
    while True:
        params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = consents_page(api, world.bank, **params)
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 1
        seen += [i["id"] for i in page.json()["items"]]
        pages += 1
        cursor = page.json().get("next_cursor")
        if cursor is None:
            break
    assert seen == [i["id"] for i in items] and pages == 3
    # ... and with updated_since too.
    page = consents_page(api, world.bank, limit=1, updated_since=between.isoformat())
    nxt = consents_page(api, world.bank, limit=1, updated_since=between.isoformat(), cursor=page.json()["next_cursor"])
    assert [page.json()["items"][0]["id"], nxt.json()["items"][0]["id"]] == [first["id"], third["id"]]
    assert nxt.json().get("next_cursor") is None


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "not-a-cursor",
        "YWZ0ZXI6bm90LWEtdGltZXxub3QtYS11dWlk",  # after:not-a-time|not-a-uuid, well encoded
        "c29tZXRoaW5nIGVsc2U",  # "something else": no prefix
    ],
)
def test_a_malformed_consent_cursor_is_refused(api: Api, world: World, cursor: str) -> None:
    r = consents_page(api, world.bank, cursor=cursor)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM_JSON)
    assert [e["field"] for e in r.json()["errors"]] == ["query.cursor"]


def test_a_bad_updated_since_is_refused(api: Api, world: World) -> None:
    r = consents_page(api, world.bank, updated_since="yesterday")
    assert r.status_code == 422, r.text
    assert "query.updated_since" in [e["field"] for e in r.json()["errors"]]
