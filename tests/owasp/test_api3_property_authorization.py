"""OWASP API3:2023 Broken Object Property Level Authorization.

Mass assignment: every JSON body of the API (the access matrix's valid request, sent by a
caller the matrix lets in) with one more property that a client must never set -- id,
status, version, org_id, enterprise_id, created_by_client_id, created_at, verification,
grade, colour, secret, client_secret -- and the same inside the nested objects (a filing's
lines, a portfolio's loans): each is a 422 naming that property (bodies are msgspec Structs
with forbid_unknown_fields), and nothing at all is written. Enumerated properties cannot
be widened (consent scope and purpose, the kind of organisation an admin creates, the
decisions). The token form cannot choose the token's subject, organisation, audience,
lifetime or scope; query parameters cannot widen a list to another party's rows.

Excessive data exposure: secrets appear once, in the answer that creates them (client
secrets, webhook secrets) and in no later answer; and no GET answer of the API, for any
caller, carries a secret, a hash or salt, a sealed or private key (the JWKS publishes only
public members), or the service's secret key.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import jwt

from tests.e2e.test_access_matrix import MATRIX
from tests.helpers import Api, Caller
from tests.owasp.common import assert_problem, fill, row_counts
from tests.owasp.estate import Estate

SENSITIVE_KEYS = {
    "client_secret",
    "secret",
    "secret_hash",
    "secret_salt",
    "secret_encrypted",
    "private_encrypted",
    "private_key",
    "private_pem",
    "password",
    "d",  # a JWK's private member
}
SECRET_VALUE = re.compile(r"^(cas_|whsec_)|PRIVATE KEY")


def _forbidden(estate: Estate) -> dict[str, Any]:
    world = estate.world
    return {
        "id": str(uuid.uuid4()),
        "status": "active",
        "version": 99,
        "org_id": world.admin.org_id,
        "enterprise_id": world.other.org_id,
        "created_by_client_id": world.admin.client_id,
        "created_at": "2020-01-01T00:00:00Z",
        "verification": {"outcome": "verified", "verifier_org_id": world.verifier.org_id},
        "grade": 1,
        "colour": "dark_green",
        "secret": "whsec_" + "A" * 43 + "=",
        "client_secret": "cas_chosen-by-the-client",
    }


def _allowed_caller(estate: Estate, operation: str) -> Caller | None:
    """A caller the access matrix lets in (2xx), preferring the owner's own side."""
    expect = MATRIX[operation]["expect"]
    for role in ("enterprise_own", "bank", "verifier", "rating_authority", "regulator", "admin", "anonymous"):
        if 200 <= expect[role] < 300:
            return estate.world.callers[role]
    raise AssertionError(f"{operation}: nobody is let in")


def _post(estate: Estate, operation: str, body: Any, caller: Caller | None) -> Any:
    method, template, _, values = estate.request(operation)
    path = fill(template, values)
    headers = caller.headers if caller else {}
    return estate.api.client.request(method, path, json=body, headers=headers)


def _named(r: Any, field: str) -> bool:
    return r.status_code == 422 and field in [e["field"] for e in r.json().get("errors") or []]


def test_no_body_property_beyond_the_schema_is_accepted_and_nothing_is_written(api: Api) -> None:
    estate = Estate(api)
    forbidden = _forbidden(estate)
    json_operations = sorted(op for op, e in MATRIX.items() if "json" in (e.get("request") or {}))
    assert len(json_operations) >= 15, json_operations
    before, counts = estate.snapshot(), row_counts(api.settings)
    problems: list[str] = []
    for operation in json_operations:
        caller = _allowed_caller(estate, operation)
        _, _, request, _ = estate.request(operation)
        body = request["json"]
        for field, value in forbidden.items():
            if field in body:
                continue
            r = _post(estate, operation, {**body, field: value}, caller)
            if not _named(r, field):
                problems.append(f"{operation} + {field}: {r.status_code} {r.text[:200]}")
            else:
                assert_problem(r, 422)
    nested = {
        "POST /v1/enterprises/{uscc}/filings": ("energy", "energy[0]"),
        "PUT /v1/filings/{filing_id}": ("energy", "energy[0]"),
        "POST /v1/portfolio/financed-emissions": ("loans", "loans[0]"),
    }
    for operation, (key, where) in nested.items():
        caller = _allowed_caller(estate, operation)
        body = estate.request(operation)[2]["json"]
        for field in ("status", "grade", "enterprise_id"):
            line = {**body[key][0], field: forbidden[field]}
            r = _post(estate, operation, {**body, key: [line]}, caller)
            if not _named(r, f"{where}.{field}"):
                problems.append(f"{operation} {where}.{field}: {r.status_code} {r.text[:200]}")
    assert not problems, "\n".join(problems)
    assert estate.snapshot() == before
    after = row_counts(api.settings)
    assert after == counts, {t: (counts[t], after[t]) for t in counts if counts[t] != after[t]}


def test_enumerated_properties_cannot_be_widened(api: Api) -> None:
    estate = Estate(api)
    c, world, own = api.client, estate.world, estate.owner
    consent = estate.request("POST /v1/enterprises/{uscc}/consents")[2]["json"]
    counts = row_counts(api.settings)
    cases: list[tuple[str, str, dict[str, Any], Caller, str]] = [
        ("POST", f"/v1/enterprises/{own.uscc}/consents", {**consent, "scope": s}, own, "scope")
        for s in ("all", "full,grade_only", "FULL", "*", ["full"], None)
    ]
    cases += [("POST", f"/v1/enterprises/{own.uscc}/consents", {**consent, "purpose": "any"}, own, "purpose")]
    cases += [
        ("POST", "/v1/admin/organisations", {"kind": kind, "name": "escalation"}, world.admin, "kind")
        for kind in ("admin", "regulator", "rating_authority", "enterprise")
    ]
    pending = world.pending.uscc
    cases += [
        ("POST", f"/v1/enterprises/{pending}/approval", {"decision": d}, world.regulator, "decision")
        for d in ("active", "approve_and_verify", True)
    ]
    problems = []
    for method, path, body, who, field in cases:
        r = c.request(method, path, json=body, headers=who.headers)
        if not _named(r, field):
            problems.append(f"{path} {body}: {r.status_code} {r.text[:200]}")
    assert not problems, "\n".join(problems)
    assert row_counts(api.settings) == counts
    assert c.get(f"/v1/enterprises/{pending}", headers=world.regulator.headers).json()["status"] == "pending"


def test_the_token_form_cannot_choose_the_tokens_subject_or_rights(api: Api) -> None:
    estate = Estate(api)
    bank, admin = estate.bank, estate.world.admin
    r = api.client.post(
        "/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": estate.values["client_id"],
            "client_secret": estate.values["client_secret"],
            "scope": "admin regulator",
            "sub": admin.client_id,
            "org": admin.org_id,
            "kind": "admin",
            "aud": "another-api",
            "expires_in": "31536000",
            "ttl": "31536000",
        },
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["sub"], claims["org"]) == (estate.values["client_id"], bank.org_id)
    assert claims["aud"] == api.settings.audience and "scope" not in claims and "kind" not in claims
    ttl = api.settings.access_token_ttl_seconds
    assert r.json()["expires_in"] == ttl and claims["exp"] - claims["iat"] in (ttl, ttl + 1)  # exp rounds up
    assert_problem(api.client.get("/v1/admin/organisations", headers={"Authorization": f"Bearer {token}"}), 403)


def test_query_parameters_cannot_widen_a_list(api: Api) -> None:
    estate = Estate(api)
    c, own = api.client, estate.owner
    bank2, other = estate.attackers["another bank"], estate.attackers["another enterprise"]
    widen = {"bank_org_id": estate.bank.org_id, "org_id": estate.bank.org_id, "uscc": own.uscc, "all": "true"}
    assert c.get("/v1/consents", params=widen, headers=bank2.headers).json()["items"] == []
    widen = {"uscc": own.uscc, "enterprise_id": own.org_id, "status": "open"}
    assert c.get("/v1/objections", params=widen, headers=other.headers).json() == []
    log = c.get(f"/v1/enterprises/{other.uscc}/access-log", params={"uscc": own.uscc}, headers=other.headers)
    assert log.status_code == 200 and all(e["uscc"] == other.uscc for e in log.json()["items"])
    assert c.get("/v1/webhooks", params={"bank_org_id": estate.bank.org_id}, headers=bank2.headers).json() == []


def _scan(value: Any, where: str, found: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in SENSITIVE_KEYS and v:
                found.append(f"{where}: key {k!r}")
            _scan(v, f"{where}.{k}", found)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _scan(v, f"{where}[{i}]", found)
    elif isinstance(value, str) and SECRET_VALUE.search(value):
        found.append(f"{where}: {value[:20]}...")


def test_secrets_are_shown_once_and_no_answer_exposes_one(api: Api) -> None:
    estate = Estate(api)
    c, world, bank = api.client, estate.world, estate.bank
    client = c.post(
        f"/v1/admin/organisations/{bank.org_id}/clients", json={"name": "once"}, headers=world.admin.headers
    )
    hook = c.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/once", "events": ["rating.issued"]}, headers=bank.headers
    )
    assert client.status_code == hook.status_code == 201
    client_secret, hook_secret = client.json()["client_secret"], hook.json()["secret"]
    assert client_secret.startswith("cas_") and hook_secret.startswith("whsec_")
    known = {
        "a client secret": client_secret,
        "a webhook secret": hook_secret,
        "the bank's secret": estate.values["client_secret"],
        "the service secret key": api.settings.secret_key,
    }
    found: list[str] = []
    reads = 0
    for operation in sorted(MATRIX):
        method = operation.partition(" ")[0]
        if method != "GET":
            continue
        _, template, request, values = estate.request(operation)
        path = fill(template, values)
        expect = MATRIX[operation]["expect"]
        for role in ("anonymous", "admin", "regulator", "rating_authority", "bank", "verifier", "enterprise_own"):
            if not 200 <= expect[role] < 300:
                continue
            caller = world.callers[role]
            r = c.get(path, params=request.get("query"), headers=caller.headers if caller else {})
            if r.status_code != 200:
                continue
            reads += 1
            for label, secret in known.items():
                if secret in r.text:
                    found.append(f"{operation} as {role}: {label}")
            if r.headers.get("content-type", "").startswith("application/json"):
                _scan(r.json(), f"{operation} as {role}", found)
    assert reads >= 40, reads
    assert not found, "\n".join(found)
    jwks = c.get("/.well-known/jwks.json").json()["keys"]
    assert jwks and all(set(k) == {"kty", "crv", "x", "kid", "alg", "use"} for k in jwks), jwks
