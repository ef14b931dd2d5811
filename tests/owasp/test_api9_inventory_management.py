"""OWASP API9:2023 Improper Inventory Management.

Covered, against the app as service.app.create_app builds it:
  - every route the app serves (but the /schema documentation routes and the automatic
    OPTIONS answers) is an operation of the OpenAPI document and a row of the access
    matrix (tests/access_matrix.yaml) -- nothing is served that is not documented and
    walked by the access tests; every operation has a unique operationId and a tag;
  - the usual debug, admin-console, metrics, environment, VCS and alternative-docs paths
    answer 404 problem documents (the app has no undocumented routes to find); the web
    console's pages are all under /console and all declared as pages;
  - the documentation itself: /schema (one UI) and /schema/openapi.json (OpenAPI 3.1,
    version "1") are served; the other UIs and the YAML are not;
  - versions: no operation is deprecated; every path is under /v1 but the four public
    documents that are unversioned by convention (health, readiness, JWKS, the QR page);
    no /v0 or /v2 exists, and no unversioned alias of a /v1 operation answers.
"""

from __future__ import annotations

import collections

from service.auth.access import ACCESS_OPT
from tests.e2e.test_access_matrix import MATRIX
from tests.helpers import Api, new_uscc
from tests.owasp.common import assert_problem, fill, openapi_operations, placeholders

UNVERSIONED = {"/healthz", "/readyz", "/.well-known/jwks.json", "/verify/{certificate_no}"}
PROBES = [
    "/debug",
    "/_debug",
    "/__debug__/",
    "/console/debug",
    "/console/admin",
    "/admin",
    "/admin/",
    "/v1/admin",
    "/v1/debug",
    "/v1/internal",
    "/internal",
    "/metrics",
    "/prometheus",
    "/status",
    "/health",
    "/env",
    "/.env",
    "/config",
    "/settings",
    "/actuator",
    "/actuator/env",
    "/server-status",
    "/.git/config",
    "/.git/HEAD",
    "/phpinfo.php",
    "/wp-admin/",
    "/graphql",
    "/api",
    "/api/v1/enterprises",
    "/v0/enterprises",
    "/v2/enterprises",
    "/v1.1/enterprises",
    "/docs",
    "/redoc",
    "/swagger",
    "/swagger-ui.html",
    "/swagger.json",
    "/openapi.json",
    "/openapi.yaml",
    "/v1/schema",
    "/v1/openapi.json",
    "/static/",
    "/../etc/passwd",
]


def test_every_served_route_is_documented_and_in_the_access_matrix(shared: Api) -> None:
    documented = set(openapi_operations(shared))
    served = {
        f"{method} {route.path_format}"
        for route in shared.client.app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in handler.http_methods
        if method != "OPTIONS" and not (route.path == "/schema" or route.path.startswith("/schema/"))
    }
    assert served, "no routes"
    # The web console's pages are not API operations: each declares itself a page (a session's,
    # walked by tests/e2e/test_console_matrix.py), and only under /console.
    pages = {op for op in served if op.partition(" ")[2].startswith("/console")}
    for route in shared.client.app.routes:
        for handler in getattr(route, "route_handlers", []):
            decl = handler.opt.get(ACCESS_OPT)
            if handler.http_methods == {"OPTIONS"}:
                continue
            if route.path.startswith("/console"):
                assert decl is not None and decl.console, f"{route.path}: a console route that is not a page"
            else:
                assert decl is None or not decl.console, f"{route.path}: a page outside /console"
    served -= pages
    assert not served - documented, f"served but not in the OpenAPI document: {sorted(served - documented)}"
    assert not documented - served, f"documented but not served: {sorted(documented - served)}"
    assert not served - set(MATRIX), f"served but not in the access matrix: {sorted(served - set(MATRIX))}"
    ops = openapi_operations(shared).values()
    ids = collections.Counter(op.get("operationId") for op in ops)
    assert all(ids) and max(ids.values()) == 1, {k: n for k, n in ids.items() if n > 1 or not k}
    assert all(op.get("tags") for op in ops)


def test_no_debug_or_undocumented_path_answers(shared: Api) -> None:
    problems = []
    for path in PROBES:
        for method in ("GET", "POST"):
            r = shared.client.request(method, path)
            if r.status_code not in (404, 405):
                problems.append(f"{method} {path}: {r.status_code} {r.text[:100]}")
                continue
            assert_problem(r)
    assert not problems, "\n".join(problems)


def test_the_documentation_is_served_once(shared: Api) -> None:
    doc = shared.client.get("/schema/openapi.json")
    assert doc.status_code == 200
    assert doc.json()["openapi"].startswith("3.1") and doc.json()["info"]["version"] == "1"
    ui = shared.client.get("/schema")
    assert ui.status_code == 200 and ui.headers["content-type"].startswith("text/html")
    for path in (
        "/schema/swagger",
        "/schema/redoc",
        "/schema/elements",
        "/schema/rapidoc",
        "/schema/openapi.yaml",
        "/schema/openapi.yml",
        "/schema/oauth2-redirect.html",
    ):
        assert shared.client.get(path).status_code == 404, path


def test_no_deprecated_or_unversioned_operations(shared: Api) -> None:
    operations = openapi_operations(shared)
    deprecated = sorted(op for op, spec in operations.items() if spec.get("deprecated"))
    assert not deprecated, deprecated
    paths = {op.partition(" ")[2] for op in operations}
    unversioned = sorted(p for p in paths if not p.startswith("/v1/") and p not in UNVERSIONED)
    assert not unversioned, unversioned
    samples = {"uscc": new_uscc(), "version": "1"}
    problems = []
    for operation in sorted(operations):
        method, _, path = operation.partition(" ")
        if method != "GET" or not path.startswith("/v1/"):
            continue
        concrete = fill(path, {n: samples.get(n, "00000000-0000-4000-8000-000000000000") for n in placeholders(path)})
        for alias in (
            concrete.removeprefix("/v1"),
            "/v2" + concrete.removeprefix("/v1"),
            "/v0" + concrete.removeprefix("/v1"),
        ):
            if alias in ("", "/"):
                continue
            r = shared.client.get(alias)
            if r.status_code != 404:
                problems.append(f"{alias}: {r.status_code}")
    assert not problems, problems
