"""Signed ratings verify with nothing but PyJWT and the served JWKS, across key rotations;
altered tokens fail; revoked, superseded and expired ratings verify as such."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest

from tests.helpers import Api, Caller, build_city, cement, run_round
from tests.integration.test_cli import run_cli

REQUIRED = {"require": ["iss", "sub", "iat", "exp"]}


@pytest.fixture
def rated(api: Api) -> dict[str, Any]:
    """Six verified cement enterprises filing 2023 and 2024, one 2023 round."""
    town = build_city(
        api,
        6,
        years=(2023, 2024),
        content=lambda i, year: cement(value_added=str(40000 + 5000 * i + (year - 2023) * 1000)),
    )
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    return {"ra": town.rating_authority, "ents": town.enterprises}


def latest(api: Api, ent: Caller) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def verify_offline(api: Api, token: str) -> dict[str, Any]:
    """What a bank does: fetch the JWKS, pick the key by kid, verify with PyJWT alone."""
    keys = jwt.PyJWKSet.from_dict(api.client.get("/.well-known/jwks.json").json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    return dict(jwt.decode(token, key.key, algorithms=["EdDSA"], options=REQUIRED))


def verdict(api: Api, token: str) -> dict[str, Any]:
    r = api.client.post("/v1/verify", json={"token": token})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_bank_verifies_both_tokens_with_pyjwt_and_the_jwks(api: Api, rated: dict[str, Any]) -> None:
    rating = latest(api, rated["ents"][0])
    full = verify_offline(api, rating["token"])
    grade = verify_offline(api, rating["grade_token"])
    assert full["sub"] == grade["sub"] == rated["ents"][0].uscc
    assert full["colour"] == grade["colour"] == rating["colour"]
    assert "figures" in full and "figures" not in grade
    assert full["exp"] > full["iat"] + 17 * 30 * 86400  # 18 months
    assert jwt.get_unverified_header(rating["token"])["typ"] == "rating+jwt"


def _altered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["colour"] = "dark_green"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_an_altered_token_fails(api: Api, rated: dict[str, Any]) -> None:
    token = latest(api, rated["ents"][0])["token"]
    with pytest.raises(jwt.InvalidSignatureError):
        verify_offline(api, _altered(token))
    answer = verdict(api, _altered(token))
    assert answer["valid"] is False and "signature" in answer["reason"]
    assert verdict(api, "not-a-token")["valid"] is False


def test_after_a_rotation_old_and_new_ratings_verify(api: Api, rated: dict[str, Any]) -> None:
    old = latest(api, rated["ents"][0])
    pending = run_cli("keys", "rotate", "--delay", "3600", database_url=api.settings.database_url)
    assert pending.returncode == 0, pending.stderr
    pending_kid = json.loads(pending.stdout)["kid"]
    published = {k["kid"] for k in api.client.get("/.well-known/jwks.json").json()["keys"]}
    assert {old["kid"], pending_kid} <= published  # published before it signs
    assert run_round(api, rated["ra"], 2023)["status"] == "completed"
    assert latest(api, rated["ents"][0])["kid"] == old["kid"]  # still inside the delay: the old key signs

    rotated = run_cli("keys", "rotate", "--delay", "0", "--unsafe-short-delay", database_url=api.settings.database_url)
    assert rotated.returncode == 0, rotated.stderr
    new_kid = json.loads(rotated.stdout)["kid"]
    assert run_round(api, rated["ra"], 2023)["status"] == "completed"
    new = latest(api, rated["ents"][0])
    assert new["kid"] == new_kid != old["kid"]
    assert verify_offline(api, old["token"])["rating_id"] == old["id"]
    assert verify_offline(api, new["token"])["rating_id"] == new["id"]
    assert verdict(api, old["token"])["status"] == "superseded"
    assert verdict(api, new["token"])["status"] == "active"


def test_revoked_and_expired_ratings_verify_as_such(api: Api, rated: dict[str, Any]) -> None:
    first, second = latest(api, rated["ents"][0]), latest(api, rated["ents"][1])
    r = api.client.post(
        f"/v1/ratings/{first['id']}/revoke", json={"reason": "核查发现数据错误"}, headers=rated["ra"].headers
    )
    assert r.status_code == 200, r.text
    again = api.client.post(f"/v1/ratings/{first['id']}/revoke", json={"reason": "twice"}, headers=rated["ra"].headers)
    assert again.status_code == 409
    assert verdict(api, first["token"])["status"] == "revoked"
    history = api.client.get(f"/v1/enterprises/{rated['ents'][0].uscc}/ratings", headers=rated["ents"][0].headers)
    assert history.json()[0]["status"] == "revoked"
    # A round for 2024 completes: the 2023 ratings read expired (revoked still wins).
    assert run_round(api, rated["ra"], 2024)["status"] == "completed"
    assert verdict(api, second["token"])["status"] == "expired"
    assert verdict(api, first["token"])["status"] == "revoked"
