"""Access tokens end to end: who gets one, and which tokens the guard refuses.

The API's whole security rests on two doors: `POST /v1/auth/token` (client id and
secret for a short-lived EdDSA `at+jwt`) and the guard that checks every bearer token
(signature, algorithm, type, key id, issuer, audience, expiry) and then the database
(client revoked or rotated, organisation rejected). These tests drive the live app on a
real database. Forged tokens are signed with the service's own access key, unsealed from
`signing_keys` as the app does, so that each refusal is shown against an otherwise
identical token that the same test shows IS accepted.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from domain.organisations import OrgKind
from service.auth.keystore import KeyPair, current_key
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import SigningKey
from service.settings import Settings
from tests.helpers import Api, Caller

PROBLEM = "urn:carbon-account:problem:"
TTL = 321  # not the default 900: expires_in must follow the settings


@pytest.fixture
def settings(database: tuple[str, str]) -> Settings:
    owner, app_url = database
    return Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        access_token_ttl_seconds=TTL,
    )


@pytest.fixture
def regulator(api: Api) -> Caller:
    return api.bootstrap(OrgKind.REGULATOR)


@pytest.fixture
def admin(api: Api) -> Caller:
    return api.bootstrap(OrgKind.ADMIN)


# --- helpers -------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _jws(header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    """A compact JWS built by hand (for algorithms PyJWT will not sign with)."""
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing_input + "." + _b64(sign(signing_input.encode()))


async def _load_access_key(settings: Settings) -> tuple[KeyPair, str]:
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session:
            key = await current_key(session, "access", settings.secret_key)
            pem = (await session.execute(select(SigningKey.public_pem).where(SigningKey.kid == key.kid))).scalar_one()
            return key, pem
    finally:
        await engine.dispose()


class Forger:
    """Signs tokens for a caller with the service's real access key (or another)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.key, self.public_pem = asyncio.run(_load_access_key(settings))

    def claims(self, caller: Caller, *, drop: tuple[str, ...] = (), **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.settings.issuer,
            "aud": self.settings.audience,
            "sub": caller.client_id,
            "org": caller.org_id,
            "ver": 1,
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_hex(8),
        }
        claims.update(changes)
        for name in drop:
            del claims[name]
        return claims

    def sign(self, claims: dict[str, Any], *, typ: str = "at+jwt", private: Ed25519PrivateKey | None = None) -> str:
        return jwt.encode(
            claims, private or self.key.private, algorithm="EdDSA", headers={"typ": typ, "kid": self.key.kid}
        )

    def token(self, caller: Caller, **changes: Any) -> str:
        return self.sign(self.claims(caller, **changes))


@pytest.fixture
def forger(api: Api) -> Forger:
    return Forger(api.settings)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _list_enterprises(api: Api, headers: dict[str, str]) -> httpx.Response:
    """A regulator-only operation: the probe for whether a token is accepted."""
    return api.client.get("/v1/enterprises", headers=headers)


def _assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].split(";")[0] == "application/problem+json"
    body = dict(r.json())
    assert body["type"] == PROBLEM + code, body
    assert body["status"] == status
    assert "access_token" not in body
    return body


def _assert_accepted(api: Api, token: str) -> None:
    r = _list_enterprises(api, _bearer(token))
    assert r.status_code == 200, r.text


def _assert_authenticated_bank(api: Api, token: str) -> None:
    """A bank may not list enterprises: a working bank token gets 403, a refused one 401."""
    _assert_problem(_list_enterprises(api, _bearer(token)), 403, "forbidden")


def _assert_refused(api: Api, token: str) -> None:
    response = _list_enterprises(api, _bearer(token))
    _assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer ")  # RFC 6750, 3


def _token_request(api: Api, client_id: str, secret: str, **extra: str) -> httpx.Response:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra}
    return api.client.post("/v1/auth/token", data=form)


# --- 1. the token endpoint -----------------------------------------------------------


def test_form_client_credentials_issue_a_bearer_token_with_the_configured_ttl(api: Api, regulator: Caller) -> None:
    r = _token_request(api, regulator.client_id, regulator.client_secret)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == api.settings.access_token_ttl_seconds == TTL
    header = jwt.get_unverified_header(body["access_token"])
    assert (header["alg"], header["typ"]) == ("EdDSA", "at+jwt")
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] in (TTL, TTL + 1)  # exp rounds up: at least TTL from issue
    assert (claims["sub"], claims["org"], claims["ver"]) == (regulator.client_id, regulator.org_id, 1)
    _assert_accepted(api, body["access_token"])


def test_http_basic_client_credentials_issue_a_working_token(api: Api, regulator: Caller) -> None:
    r = api.client.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(regulator.client_id, regulator.client_secret),
    )
    assert r.status_code == 200, r.text
    assert r.json()["token_type"] == "Bearer"
    _assert_accepted(api, r.json()["access_token"])


def test_bad_credentials_get_one_indistinguishable_invalid_client_answer(
    api: Api, admin: Caller, regulator: Caller
) -> None:
    wrong_secret = _token_request(api, regulator.client_id, regulator.client_secret + "x")
    unknown_client = _token_request(api, "ca_" + "0" * 24, regulator.client_secret)
    wrong_basic = api.client.post(
        "/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(regulator.client_id, "cas_wrong")
    )
    assert _token_request(api, regulator.client_id, regulator.client_secret).status_code == 200
    revoked = api.client.post(f"/v1/admin/clients/{regulator.client_id}/revocation", headers=admin.headers)
    assert revoked.status_code == 200, revoked.text
    revoked_secret = _token_request(api, regulator.client_id, regulator.client_secret)

    answers = [wrong_secret, unknown_client, wrong_basic, revoked_secret]
    bodies = [_assert_problem(r, 401, "invalid-client") for r in answers]
    assert all(b == bodies[0] for b in bodies), bodies  # same detail: no hint which part was wrong
    assert len({r.headers.get("www-authenticate") for r in answers}) == 1


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "refresh_token"])
def test_grant_types_other_than_client_credentials_are_refused(api: Api, regulator: Caller, grant_type: str) -> None:
    r = _token_request(api, regulator.client_id, regulator.client_secret, grant_type=grant_type)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].split(";")[0] == "application/problem+json"
    assert r.json()["type"].startswith(PROBLEM)
    assert "access_token" not in r.json()


# --- 2. tokens the guard refuses -------------------------------------------------------


def test_a_request_without_authorization_is_refused(api: Api, regulator: Caller) -> None:
    _assert_problem(_list_enterprises(api, {}), 401, "unauthorized")
    assert _list_enterprises(api, regulator.headers).status_code == 200


@pytest.mark.parametrize("scheme", ["Token", "Basic", "JWT", "Bearer-"])
def test_a_valid_token_under_a_non_bearer_scheme_is_refused(api: Api, regulator: Caller, scheme: str) -> None:
    r = _list_enterprises(api, {"Authorization": f"{scheme} {regulator.token}"})
    _assert_problem(r, 401, "unauthorized")
    assert _list_enterprises(api, regulator.headers).status_code == 200


def test_a_token_forged_with_the_real_key_and_correct_claims_is_accepted(
    api: Api, regulator: Caller, forger: Forger
) -> None:
    """The control for every forgery below: the crafting itself yields a valid token."""
    _assert_accepted(api, forger.token(regulator))
    assert forger.key.kid == hashlib.sha256(forger.public_pem.encode()).hexdigest()[:16]
    assert jwt.get_unverified_header(regulator.token)["kid"] == forger.key.kid


def test_an_expired_token_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    now = int(time.time())
    _assert_accepted(api, forger.token(regulator, iat=now - 120, exp=now + 60))
    _assert_refused(api, forger.token(regulator, iat=now - 120, exp=now - 60))


def test_a_token_for_another_audience_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    _assert_accepted(api, forger.token(regulator))
    _assert_refused(api, forger.token(regulator, aud="some-other-api"))


def test_a_token_from_another_issuer_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    _assert_accepted(api, forger.token(regulator))
    _assert_refused(api, forger.token(regulator, iss="https://issuer.evil.example"))


def test_a_token_without_exp_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    _assert_accepted(api, forger.sign(forger.claims(regulator)))
    _assert_refused(api, forger.sign(forger.claims(regulator, drop=("exp",))))


def test_an_unsigned_alg_none_token_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    claims = forger.claims(regulator)
    _assert_accepted(api, forger.sign(claims))
    header = {"alg": "none", "typ": "at+jwt", "kid": forger.key.kid}
    _assert_refused(api, _jws(header, claims, lambda _: b""))
    _assert_refused(api, jwt.encode(claims, None, algorithm="none", headers={"typ": "at+jwt", "kid": forger.key.kid}))


def test_hs256_keyed_with_the_public_pem_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    """Algorithm confusion: the public key, which an attacker may know, as an HMAC secret."""
    claims = forger.claims(regulator)
    _assert_accepted(api, forger.sign(claims))
    header = {"alg": "HS256", "typ": "at+jwt", "kid": forger.key.kid}
    for secret in (forger.public_pem.encode(), forger.public_pem.strip().encode()):
        token = _jws(header, claims, lambda data, key=secret: hmac.new(key, data, hashlib.sha256).digest())
        _assert_refused(api, token)


def test_a_token_signed_by_another_ed25519_key_under_the_same_kid_is_refused(
    api: Api, regulator: Caller, forger: Forger
) -> None:
    claims = forger.claims(regulator)
    _assert_accepted(api, forger.sign(claims))
    _assert_refused(api, forger.sign(claims, private=Ed25519PrivateKey.generate()))


def test_a_token_signed_by_the_real_key_under_a_foreign_kid_is_refused(
    api: Api, regulator: Caller, forger: Forger
) -> None:
    claims = forger.claims(regulator)
    _assert_accepted(api, forger.sign(claims))
    token = jwt.encode(claims, forger.key.private, algorithm="EdDSA", headers={"typ": "at+jwt", "kid": "0" * 16})
    _assert_refused(api, token)


def test_an_issued_token_with_one_payload_character_altered_is_refused(api: Api, regulator: Caller) -> None:
    _assert_accepted(api, regulator.token)
    head, payload, signature = regulator.token.split(".")
    raw = _unb64(payload)
    jti = json.loads(raw)["jti"]
    altered = raw.replace(jti.encode(), (("0" if jti[0] != "0" else "1") + jti[1:]).encode())
    assert sum(a != b for a, b in zip(raw, altered, strict=True)) == 1
    _assert_refused(api, f"{head}.{_b64(altered)}.{signature}")


def test_a_token_typed_jwt_instead_of_at_jwt_is_refused(api: Api, regulator: Caller, forger: Forger) -> None:
    claims = forger.claims(regulator)
    _assert_accepted(api, forger.sign(claims, typ="at+jwt"))
    _assert_refused(api, forger.sign(claims, typ="JWT"))


@pytest.mark.parametrize(
    "claim",
    [{"org": "not-a-uuid"}, {"org": 5}, {"org": [1]}, {"ver": True}, {"ver": "1"}, {"sub": 7}],
    ids=["org-string", "org-integer", "org-list", "ver-bool", "ver-string", "sub-integer"],
)
def test_a_signed_token_with_malformed_claims_is_refused_not_a_server_error(
    api: Api, regulator: Caller, forger: Forger, claim: dict[str, Any]
) -> None:
    """Even a correctly signed token has its claims' types checked: 401, never a 500 or a match."""
    _assert_accepted(api, forger.token(regulator))
    _assert_refused(api, forger.token(regulator, **claim))


def test_rotation_stops_the_old_token_and_old_secret_and_the_new_secret_works(api: Api, admin: Caller) -> None:
    bank = api.admin_created(admin, "bank")  # admins rotate banks' and verifiers' secrets
    _assert_authenticated_bank(api, bank.token)
    r = api.client.post(f"/v1/admin/clients/{bank.client_id}/rotation", headers=admin.headers)
    assert r.status_code == 200, r.text
    new_secret = r.json()["client_secret"]
    assert new_secret and new_secret != bank.client_secret

    _assert_refused(api, bank.token)  # its `ver` is now stale
    new_token = api.token_for(bank.client_id, new_secret)
    assert jwt.decode(new_token, options={"verify_signature": False})["ver"] == 2
    _assert_authenticated_bank(api, new_token)
    _assert_problem(_token_request(api, bank.client_id, bank.client_secret), 401, "invalid-client")


def test_a_forged_token_with_a_stale_ver_is_refused_after_rotation(api: Api, admin: Caller, forger: Forger) -> None:
    bank = api.admin_created(admin, "bank")
    r = api.client.post(f"/v1/admin/clients/{bank.client_id}/rotation", headers=admin.headers)
    assert r.status_code == 200, r.text
    _assert_authenticated_bank(api, forger.token(bank, ver=2))
    _assert_refused(api, forger.token(bank, ver=1))


def test_a_revoked_clients_token_is_refused_at_once(api: Api, admin: Caller, regulator: Caller) -> None:
    _assert_accepted(api, regulator.token)
    r = api.client.post(f"/v1/admin/clients/{regulator.client_id}/revocation", headers=admin.headers)
    assert r.status_code == 200, r.text
    _assert_refused(api, regulator.token)


# --- 3. the enterprise life cycle ------------------------------------------------------


def test_a_pending_enterprise_reaches_only_its_own_profile(api: Api, regulator: Caller) -> None:
    ent, _ = api.register()
    other, _ = api.register()
    own = api.client.get(f"/v1/enterprises/{ent.uscc}", headers=ent.headers)
    assert own.status_code == 200, own.text
    assert own.json()["status"] == "pending"

    _assert_problem(_list_enterprises(api, ent.headers), 403, "forbidden")
    _assert_problem(api.client.get(f"/v1/enterprises/{other.uscc}", headers=ent.headers), 404, "not-found")
    # the other profile exists: the 404 hides it, it does not report absence
    assert api.client.get(f"/v1/enterprises/{other.uscc}", headers=regulator.headers).status_code == 200


def test_a_rejected_enterprise_loses_its_token_and_cannot_get_another(api: Api, regulator: Caller) -> None:
    ent, _ = api.register()
    assert api.client.get(f"/v1/enterprises/{ent.uscc}", headers=ent.headers).status_code == 200
    assert api.decide(regulator, ent.uscc, "reject")["status"] == "rejected"

    _assert_problem(api.client.get(f"/v1/enterprises/{ent.uscc}", headers=ent.headers), 401, "unauthorized")
    _assert_problem(_token_request(api, ent.client_id, ent.client_secret), 401, "invalid-client")


def test_an_approved_enterprise_reaches_its_profile_and_cannot_be_approved_twice(api: Api, regulator: Caller) -> None:
    ent, _ = api.register()
    assert api.decide(regulator, ent.uscc, "approve")["status"] == "active"
    own = api.client.get(f"/v1/enterprises/{ent.uscc}", headers=ent.headers)
    assert own.status_code == 200, own.text
    assert own.json()["status"] == "active"

    again = api.client.post(
        f"/v1/enterprises/{ent.uscc}/approval", json={"decision": "approve"}, headers=regulator.headers
    )
    _assert_problem(again, 409, "state-conflict")
    assert api.client.get(f"/v1/enterprises/{ent.uscc}", headers=regulator.headers).json()["status"] == "active"
