"""OWASP API2:2023 Broken Authentication.

tests/e2e/test_tokens.py already refuses: alg none, HS256 keyed with the access key's
public PEM, a foreign key under the real kid, the real key under a foreign kid, a wrong
audience or issuer, an expired token, one without exp, a payload altered by one
character, typ JWT, malformed claims, the tokens of revoked and rotated clients and of
rejected enterprises; and the token endpoint's one answer for every bad credential.
This module adds, against the live app and database:
  - HS256 keyed with secrets an attacker may guess or hold (the service secret's test
    value, "secret", the empty key, the caller's own client secret, the kid) and with
    the public rating key the JWKS publishes;
  - an access token signed with the service's own *rating* key (purpose confusion), and
    the signed rating tokens themselves (full and grade-only) used as bearer tokens;
  - nbf in the future; a missing, path-traversing, SQL-bearing or 10 kB kid; an embedded
    `jwk`, a `jku` or an `x5u` header naming the attacker's key;
  - a correctly signed token joining one client's id to another organisation, and one
    minted for a revoked client;
  - tokens sent anywhere but the Authorization header (query, cookie, other headers, body);
  - the token endpoint: one indistinguishable 401 for injection strings, huge or empty
    ids, malformed HTTP Basic; never a 5xx for a NUL byte in the credentials; and a rate
    limit per client address (an attacker cannot try secrets without bound).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from domain.organisations import OrgKind
from service.auth.keystore import KeyPair, signing_key
from service.db.engine import make_engine, make_sessionmaker
from service.settings import Settings
from tests.e2e.test_tokens import Forger
from tests.helpers import Api, Caller, build_city, run_round
from tests.owasp.common import app_with, assert_problem, pin_rate_window

PROBE = "/v1/enterprises"  # regulator-only: 200 for an accepted regulator token, 401 for a refused one


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jws(header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing_input + "." + _b64(sign(signing_input.encode()))


def _hs256(key: bytes) -> Callable[[bytes], bytes]:
    return lambda data: hmac.new(key, data, hashlib.sha256).digest()


def _status(api: Api, token: str, **kwargs: Any) -> int:
    return api.client.get(PROBE, headers={"Authorization": f"Bearer {token}"}, **kwargs).status_code


def _refused(api: Api, label: str, token: str) -> str | None:
    r = api.client.get(PROBE, headers={"Authorization": f"Bearer {token}"})
    if r.status_code != 401:
        return f"{label}: {r.status_code} {r.text[:200]}"
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer ")
    return None


@pytest.fixture
def regulator(shared: Api) -> Caller:
    return shared.bootstrap(OrgKind.REGULATOR)


@pytest.fixture(scope="module")
def forger(shared: Api) -> Forger:
    return Forger(shared.settings)


def test_hs256_keyed_with_guessable_or_held_secrets_is_refused(shared: Api, regulator: Caller, forger: Forger) -> None:
    api = shared
    claims = forger.claims(regulator)
    assert _status(api, forger.sign(claims)) == 200  # the control: these claims, properly signed, work
    header = {"alg": "HS256", "typ": "at+jwt", "kid": forger.key.kid}
    guesses = {
        "the configured secret key": api.settings.secret_key.encode(),
        "'secret'": b"secret",
        "the empty key": b"",
        "the caller's own client secret": regulator.client_secret.encode(),
        "the kid": forger.key.kid.encode(),
        "the audience": api.settings.audience.encode(),
    }
    problems = [
        _refused(api, f"HS256 keyed with {label}", _jws(header, claims, _hs256(key))) for label, key in guesses.items()
    ]
    for alg, digest in (("HS384", hashlib.sha384), ("HS512", hashlib.sha512)):
        token = _jws({**header, "alg": alg}, claims, lambda d, h=digest: hmac.new(b"secret", d, h).digest())
        problems.append(_refused(api, alg, token))
    assert not [p for p in problems if p], problems


def test_nbf_in_the_future_is_refused(shared: Api, regulator: Caller, forger: Forger) -> None:
    api = shared
    now = int(time.time())
    assert _status(api, forger.token(regulator, nbf=now - 10)) == 200
    assert _refused(api, "nbf in an hour", forger.token(regulator, nbf=now + 3600)) is None


def test_odd_kids_and_key_bearing_headers_are_refused(shared: Api, regulator: Caller, forger: Forger) -> None:
    api = shared
    claims = forger.claims(regulator)
    attacker = Ed25519PrivateKey.generate()
    attacker_jwk = json.loads(OKPAlgorithm.to_jwk(attacker.public_key()))
    real = {"typ": "at+jwt", "kid": forger.key.kid}
    cases = {
        "no kid": jwt.encode(claims, forger.key.private, algorithm="EdDSA", headers={"typ": "at+jwt"}),
        "kid ../../../../dev/null": jwt.encode(
            claims, forger.key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": "../../../../dev/null"}
        ),
        "kid with SQL": jwt.encode(
            claims, forger.key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": "' OR '1'='1' --"}
        ),
        "a 10 kB kid": jwt.encode(
            claims, forger.key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": "k" * 10_000}
        ),
        "an embedded jwk": jwt.encode(claims, attacker, algorithm="EdDSA", headers={**real, "jwk": attacker_jwk}),
        "a jku": jwt.encode(
            claims, attacker, algorithm="EdDSA", headers={**real, "jku": "https://attacker.example/jwks.json"}
        ),
        "an x5u": jwt.encode(
            claims, attacker, algorithm="EdDSA", headers={**real, "x5u": "https://attacker.example/c.pem"}
        ),
    }
    problems = [_refused(api, label, token) for label, token in cases.items()]
    assert not [p for p in problems if p], problems


def test_claims_joining_two_clients_and_a_revoked_clients_fresh_token_are_refused(
    shared: Api, regulator: Caller, forger: Forger
) -> None:
    api = shared
    admin = api.bootstrap(OrgKind.ADMIN)
    bank = api.admin_created(admin, "bank")
    assert _status(api, forger.token(regulator)) == 200
    problems = [
        _refused(api, "regulator's client id in the admin's organisation", forger.token(regulator, org=admin.org_id)),
        _refused(api, "a bank client's id in the regulator's organisation", forger.token(bank, org=regulator.org_id)),
    ]
    r = api.client.post(f"/v1/admin/clients/{bank.client_id}/revocation", headers=admin.headers)
    assert r.status_code == 200, r.text
    problems.append(_refused(api, "a token minted after revocation", forger.token(bank)))
    assert not [p for p in problems if p], problems


def test_tokens_anywhere_but_the_authorization_header_are_ignored(shared: Api, regulator: Caller) -> None:
    api = shared
    token = regulator.token
    assert _status(api, token) == 200
    c = api.client
    answers = {
        "query access_token": c.get(PROBE, params={"access_token": token}),
        "cookie": c.get(PROBE, headers={"Cookie": f"access_token={token}; token={token}"}),
        "X-Access-Token": c.get(PROBE, headers={"X-Access-Token": token}),
        "X-Authorization": c.get(PROBE, headers={"X-Authorization": f"Bearer {token}"}),
        "Proxy-Authorization": c.get(PROBE, headers={"Proxy-Authorization": f"Bearer {token}"}),
        "form body access_token": c.post("/v1/rating-rounds", data={"access_token": token, "year": "2023"}, headers={}),
    }
    problems = [f"{k}: {r.status_code}" for k, r in answers.items() if r.status_code != 401]
    assert not problems, problems
    for r in answers.values():
        assert_problem(r, 401)


async def _rating_key(settings: Settings) -> KeyPair:
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await signing_key(session, "rating", settings.secret_key)
    finally:
        await engine.dispose()


def test_rating_artefacts_are_no_access_tokens(api: Api) -> None:
    """The rating tokens (signed by the service, handed to banks), the JWKS key and the rating
    private key itself: none of them makes an access token."""
    town = build_city(api, 1)
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    ent = town.enterprises[0]
    rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    jwks = api.client.get("/.well-known/jwks.json").json()["keys"]
    assert jwks and rating["token"] and rating["grade_token"]
    regulator, forger = town.regulator, Forger(api.settings)
    claims = forger.claims(regulator)
    assert _status(api, forger.sign(claims)) == 200
    rating_key = asyncio.run(_rating_key(api.settings))
    assert rating_key.kid == jwks[-1]["kid"] != forger.key.kid
    x = base64.urlsafe_b64decode(jwks[-1]["x"] + "==")
    cases = {
        "the full rating token": rating["token"],
        "the grade-only rating token": rating["grade_token"],
        "HS256 keyed with the JWKS key's bytes": _jws(
            {"alg": "HS256", "typ": "at+jwt", "kid": forger.key.kid}, claims, _hs256(x)
        ),
        "HS256 keyed with the JWKS document": _jws(
            {"alg": "HS256", "typ": "at+jwt", "kid": rating_key.kid}, claims, _hs256(json.dumps(jwks[-1]).encode())
        ),
        "signed by the rating key under its own kid": jwt.encode(
            claims, rating_key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": rating_key.kid}
        ),
        "signed by the rating key under the access kid": jwt.encode(
            claims, rating_key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": forger.key.kid}
        ),
    }
    problems = [_refused(api, label, token) for label, token in cases.items()]
    assert not [p for p in problems if p], problems
    # and the rating token is no key to the enterprise's own data either
    r = api.client.get(f"/v1/enterprises/{ent.uscc}", headers={"Authorization": f"Bearer {rating['token']}"})
    assert_problem(r, 401)


def _token(api: Api, form: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
    return api.client.post("/v1/auth/token", data={"grant_type": "client_credentials", **(form or {})}, **kwargs)


def test_the_token_endpoint_gives_one_answer_to_every_bad_credential(shared: Api, regulator: Caller) -> None:
    api = shared
    attempts = {
        "SQL in the client id": _token(api, {"client_id": "' OR '1'='1' --", "client_secret": "x"}),
        "SQL in the secret": _token(api, {"client_id": regulator.client_id, "client_secret": "' OR '1'='1' --"}),
        "a 200 kB client id": _token(api, {"client_id": "c" * 200_000, "client_secret": "x"}),
        "no credentials": _token(api),
        "an empty secret": _token(api, {"client_id": regulator.client_id, "client_secret": ""}),
        "the secret's prefix": _token(
            api, {"client_id": regulator.client_id, "client_secret": regulator.client_secret[:-1]}
        ),
        "Basic, not base64": _token(api, headers={"Authorization": "Basic %%%not-base64%%%"}),
        "Basic, no colon": _token(
            api, headers={"Authorization": "Basic " + base64.b64encode(regulator.client_id.encode()).decode()}
        ),
        "Basic, latin-1 bytes": _token(
            api, headers={"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:x").decode()}
        ),
    }
    bodies = {label: assert_problem(r, 401) for label, r in attempts.items()}
    first = next(iter(bodies.values()))
    assert all(body == first for body in bodies.values()), bodies
    assert all("access_token" not in r.text for r in attempts.values())
    ok = _token(api, {"client_id": regulator.client_id, "client_secret": regulator.client_secret})
    assert ok.status_code == 200 and ok.headers["cache-control"] == "no-store"


def test_a_nul_byte_in_the_credentials_is_refused_not_a_server_error(shared: Api, regulator: Caller) -> None:
    api = shared
    for form in (
        {"client_id": "ca_\u0000", "client_secret": "x"},
        {"client_id": regulator.client_id, "client_secret": "cas_\u0000"},
    ):
        r = _token(api, form)
        assert r.status_code in (400, 401, 422), f"{form}: {r.status_code} {r.text[:200]}"
        assert_problem(r)


def test_the_token_endpoint_is_rate_limited_per_address(
    shared_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five failed attempts a minute (the configured limit), then 429 with Retry-After -- even for
    the right secret, so that guessing stops rather than slows. The request budget is not it."""
    with app_with(shared_settings, token_failures_per_minute=5, rate_limit_per_minute=100_000) as api:
        pin_rate_window(monkeypatch)
        regulator = api.bootstrap(OrgKind.REGULATOR)  # its token request may count as the first
        answers = [
            _token(api, {"client_id": regulator.client_id, "client_secret": f"cas_guess{i}"}).status_code
            for i in range(8)
        ]
        right = _token(api, {"client_id": regulator.client_id, "client_secret": regulator.client_secret})
    assert 429 in answers, f"no rate limit on the token endpoint: {answers}"
    first = answers.index(429)
    assert first <= 5 and set(answers[:first]) == {401} and set(answers[first:]) == {429}, answers
    assert_problem(right, 429)
    assert 1 <= int(right.headers["retry-after"]) <= 60
