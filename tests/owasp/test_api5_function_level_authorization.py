"""OWASP API5:2023 Broken Function Level Authorization.

The function-level rules are the access matrix (tests/access_matrix.yaml): every operation
x every kind of caller, walked against the live app by tests/e2e/test_access_matrix.py
(which also checks that the table and the OpenAPI document name the same operations).
This module adds:
  - the table itself encodes the rules, so it cannot drift towards permissive: /v1/admin
    is the administrator's alone; the rating authority's actions (rounds, revocations,
    objection decisions, reference data) are refused to the regulator; no operation that
    changes state is open without a token but registration, the token grant and the
    public verification;
  - live: every admin operation, sent with a valid body by every other kind of caller, is
    403 and writes nothing; every rating-authority action sent by a regulator is 403 and
    changes nothing;
  - HTTP method tampering: on every documented path, every undocumented method (GET, POST,
    PUT, PATCH, DELETE, TRACE, HEAD, and a made-up verb) is 405 with an Allow header and,
    where a body is sent, a problem document -- never 2xx, for an anonymous caller or the
    administrator; method-override headers and parameters are ignored.
"""

from __future__ import annotations

import uuid

from tests.e2e.test_access_matrix import MATRIX, ROLES, World
from tests.helpers import Api, new_uscc
from tests.owasp.common import assert_problem, fill, openapi_operations, placeholders, row_counts
from tests.owasp.estate import Estate

ANONYMOUS_WRITES = {"POST /v1/auth/token", "POST /v1/enterprises", "POST /v1/verify"}
RATING_AUTHORITY_ACTIONS = {
    "POST /v1/rating-rounds",
    "POST /v1/ratings/{rating_id}/revoke",
    "POST /v1/objections/{objection_id}/decision",
    "POST /v1/factor-sets",
    "POST /v1/benchmark-editions",
}
OTHER_ROLES = [r for r in ROLES if r not in ("anonymous", "admin")]


def test_the_access_matrix_encodes_the_function_level_rules() -> None:
    problems = []
    for operation, entry in MATRIX.items():
        method, _, path = operation.partition(" ")
        expect = entry["expect"]
        if path.startswith("/v1/admin/"):
            wrong = {r: expect[r] for r in OTHER_ROLES if expect[r] != 403}
            if wrong or expect["anonymous"] != 401 or not 200 <= expect["admin"] < 300:
                problems.append(f"{operation}: not the administrator's alone: {expect}")
        if method != "GET" and expect["anonymous"] != 401 and operation not in ANONYMOUS_WRITES:
            problems.append(f"{operation}: changes state without a token ({expect['anonymous']})")
    ra_only = {
        op
        for op, e in MATRIX.items()
        if 200 <= e["expect"]["rating_authority"] < 300 and e["expect"]["regulator"] == 403
    }
    if not ra_only >= RATING_AUTHORITY_ACTIONS:
        problems.append(f"rating-authority actions open to the regulator: {sorted(RATING_AUTHORITY_ACTIONS - ra_only)}")
    assert not problems, "\n".join(problems)


def _request(world: World, operation: str) -> tuple[str, str, dict[str, object]]:
    method, _, template = operation.partition(" ")
    request = MATRIX[operation].get("request") or {}
    body = {k: request[k] for k in ("json", "form", "query") if k in request}
    client_id, secret = world._client_of(world.bank_org_id, True)  # a fresh bank client for each operation
    values = {
        "org_id": world.bank_org_id,
        "client_id": client_id,
        "client_secret": secret,
        "n": uuid.uuid4().hex[:6],
    }
    return method, fill(template, values), fill(body, values)


def test_admin_operations_refuse_every_other_role_and_write_nothing(shared: Api) -> None:
    world = World(shared)
    admin_ops = sorted(op for op in MATRIX if op.partition(" ")[2].startswith("/v1/admin/"))
    assert len(admin_ops) >= 7, admin_ops
    prepared = {op: _request(world, op) for op in admin_ops}
    counts = row_counts(shared.settings)
    problems = []
    for operation, (method, path, body) in prepared.items():
        for role in OTHER_ROLES:
            caller = world.callers[role]
            assert caller is not None
            r = shared.client.request(
                method, path, headers=caller.headers, json=body.get("json"), params=body.get("query")
            )
            if r.status_code != 403:
                problems.append(f"{operation} as {role}: {r.status_code} {r.text[:150]}")
            else:
                assert_problem(r, 403)
    assert not problems, "\n".join(problems)
    assert row_counts(shared.settings) == counts
    # the control: the administrator is let in with the very same requests
    method, path, body = prepared["POST /v1/admin/organisations"]
    assert shared.client.request(method, path, headers=world.admin.headers, json=body["json"]).status_code == 201


def test_rating_authority_actions_are_refused_to_the_regulator(api: Api) -> None:
    estate = Estate(api)
    regulator = estate.world.regulator
    before, counts = estate.snapshot(), row_counts(api.settings)
    for operation in sorted(RATING_AUTHORITY_ACTIONS):
        method, template, request, values = estate.request(operation)
        r = api.client.request(method, fill(template, values), json=request.get("json"), headers=regulator.headers)
        assert_problem(r, 403)
    assert estate.snapshot() == before
    assert row_counts(api.settings) == counts


def _sample(name: str) -> str:
    return {"uscc": new_uscc(), "version": "1", "certificate_no": "ZB-TEST-0000-0000-0000"}.get(name, str(uuid.uuid4()))


def test_undocumented_methods_are_405_never_2xx(shared: Api) -> None:
    world = World(shared)
    documented: dict[str, set[str]] = {}
    for operation in openapi_operations(shared):
        method, _, path = operation.partition(" ")
        documented.setdefault(path, set()).add(method)
    problems = []
    for path, methods in sorted(documented.items()):
        url = fill(path, {name: _sample(name) for name in placeholders(path)})
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "HEAD", "PROPFIND"):
            if method in methods:
                continue
            for who in (None, world.admin):
                r = shared.client.request(method, url, headers=who.headers if who else {}, json={"status": "active"})
                where = f"{method} {path} as {'admin' if who else 'anonymous'}"
                allow = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
                if r.status_code != 405 or not methods <= allow or method in allow:
                    problems.append(f"{where}: {r.status_code} allow={sorted(allow)} {r.text[:120]}")
                elif method != "HEAD":
                    assert_problem(r, 405)
    assert not problems, "\n".join(problems)


def test_method_override_headers_and_parameters_are_ignored(shared: Api) -> None:
    world = World(shared)
    bank = world.callers["bank"]
    assert bank is not None
    hook = shared.client.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/override", "events": ["rating.issued"]}, headers=bank.headers
    )
    assert hook.status_code == 201, hook.text
    url = f"/v1/webhooks/{hook.json()['id']}"
    for header in ("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"):
        r = shared.client.post(url, headers={**bank.headers, header: "DELETE"})
        assert_problem(r, 405)
        r = shared.client.get("/v1/webhooks", params={"_method": "DELETE"}, headers={**bank.headers, header: "DELETE"})
        assert r.status_code == 200
    # an enterprise's GET of its own profile with an override does not approve or change it
    own = world.own
    r = shared.client.get(
        f"/v1/enterprises/{own.uscc}/approval", headers={**own.headers, "X-HTTP-Method-Override": "POST"}
    )
    assert_problem(r, 405)
    listed = shared.client.get("/v1/webhooks", headers=bank.headers).json()
    assert hook.json()["id"] in [w["id"] for w in listed]
