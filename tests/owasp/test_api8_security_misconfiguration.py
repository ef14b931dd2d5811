"""OWASP API8:2023 Security Misconfiguration.

Covered, against the app as service.app.create_app builds it:
  - security headers (service/security_headers.py, a before_send hook) on every kind of
    answer -- JSON 200/201, problem documents 401/403/404/405/413/422/500, the router's
    own 404 and 405, the public HTML certificate page and its JSON form, the OpenAPI
    document and its UI, a certificate PDF, csv, PEM, the JWKS, the token grant, an
    OPTIONS answer: X-Content-Type-Options nosniff, Referrer-Policy no-referrer,
    X-Frame-Options DENY, a Content-Security-Policy fitting the body (nothing may load
    for JSON and files; only inline styles on the certificate page, which has no script;
    frame-ancestors 'none' everywhere), Cache-Control no-store (the token grant's own
    no-store kept; the JWKS cacheable for 5 minutes), no Server or X-Powered-By;
  - Strict-Transport-Security exactly when PUBLIC_BASE_URL is https;
  - CORS closed: no Access-Control-Allow-* for a preflight or a request from any origin;
  - debug off: a 500 is a problem document with nothing of the exception in it; and the
    server `carbon-account serve` runs sends no Server banner;
  - across the API, error bodies carry no stack trace, SQL or driver message, and inputs
    that upset the database or the decoder are the client's error (4xx), never a 500:
    NUL bytes in JSON bodies, form fields, query parameters and paths; a 10,000-character
    USCC; numbers like 1e400; JSON nested 100,000 deep.

The headers come from service/app.py passing `before_send=[security_headers(settings)]`.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from typing import Any

import httpx
import pytest

from domain.organisations import OrgKind
from service.security_headers import API_CSP, CONSOLE_CSP, DOCS_CSP, HSTS, JWKS_CACHE_CONTROL, PAGE_CSP
from service.settings import Settings
from tests.helpers import Api, Caller, build_city, new_uscc, run_round
from tests.owasp.common import app_with, assert_clean_error, assert_problem, leaks, row_counts

FIXED = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY"}


def _header_problems(label: str, r: httpx.Response, csp: str, cache: str = "no-store") -> list[str]:
    problems = []
    for name, value in {**FIXED, "content-security-policy": csp, "cache-control": cache}.items():
        if r.headers.get(name) != value:
            problems.append(f"{label} ({r.status_code}): {name} is {r.headers.get(name)!r}, not {value!r}")
    for name in ("server", "x-powered-by", "strict-transport-security"):
        if name in r.headers:
            problems.append(f"{label}: carries {name}: {r.headers[name]}")
    if "frame-ancestors 'none'" not in r.headers.get("content-security-policy", "frame-ancestors 'none'"):
        problems.append(f"{label}: may be framed")
    return problems


def _broken_methodologies(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def get(self, version: str) -> Any:
            raise RuntimeError('SELECT private_encrypted FROM signing_keys -- File "/srv/app.py", line 1')

    monkeypatch.setattr("service.api.published.METHODOLOGIES", Broken())


def _certified(api: Api) -> tuple[Caller, Caller, str, str]:
    """An enterprise with a rating and its issued certificate: (enterprise, regulator, rating id, number)."""
    town = build_city(api, 1)
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    ent = town.enterprises[0]
    rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    deadline = time.monotonic() + 60
    while (
        pdf := api.client.get(f"/v1/ratings/{rating['id']}/certificate.pdf", headers=ent.headers)
    ).status_code != 200:
        assert time.monotonic() < deadline, "no certificate"
        time.sleep(0.05)
    number = pdf.headers["content-disposition"].split('filename="')[1].removesuffix('.pdf"')
    return ent, town.regulator, rating["id"], number


def test_every_kind_of_answer_carries_the_security_headers(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    ent, regulator, rating_id, number = _certified(api)
    c = api.client
    bank = api.admin_created(api.bootstrap(OrgKind.ADMIN), "bank")
    answers: dict[str, tuple[httpx.Response, str, str]] = {
        "JSON 200": (c.get("/v1/enterprises", headers=regulator.headers), API_CSP, "no-store"),
        "JSON 201": (
            c.post(
                "/v1/enterprises", json={"uscc": new_uscc(), "name": "头部", "district": "370303", "industry": "3011"}
            ),
            API_CSP,
            "no-store",
        ),
        "401": (c.get("/v1/enterprises"), API_CSP, "no-store"),
        "403": (c.get("/v1/enterprises", headers=bank.headers), API_CSP, "no-store"),
        "404 of a handler": (c.get(f"/v1/ratings/{uuid.uuid4()}", headers=regulator.headers), API_CSP, "no-store"),
        "404 of the router": (c.get("/v1/no-such-thing"), API_CSP, "no-store"),
        "405 of the router": (c.put("/healthz"), API_CSP, "no-store"),
        "413": (
            c.post(
                "/v1/enterprises", content=b"{" + b" " * (2 << 20) + b"}", headers={"Content-Type": "application/json"}
            ),
            API_CSP,
            "no-store",
        ),
        "422": (c.post("/v1/enterprises", json={"uscc": "x"}), API_CSP, "no-store"),
        "the certificate page": (c.get(f"/verify/{number}"), PAGE_CSP, "no-store"),
        "the certificate page as JSON": (
            c.get(f"/verify/{number}", headers={"Accept": "application/json"}),
            API_CSP,
            "no-store",
        ),
        "the certificate PDF": (
            c.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=ent.headers),
            API_CSP,
            "no-store",
        ),
        "the csv template": (c.get("/v1/filings/template.csv"), API_CSP, "no-store"),
        "the CA certificate": (c.get("/v1/pki/ca.pem"), API_CSP, "no-store"),
        "the JWKS": (c.get("/.well-known/jwks.json"), API_CSP, JWKS_CACHE_CONTROL),
        "the token grant": (
            c.post(
                "/v1/auth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": ent.client_id,
                    "client_secret": ent.client_secret,
                },
            ),
            API_CSP,
            "no-store",
        ),
        "the OpenAPI document": (c.get("/schema/openapi.json"), API_CSP, "no-store"),
        "the OpenAPI UI": (c.get("/schema"), DOCS_CSP, "no-store"),
        "the console's login page": (c.get("/console/login"), CONSOLE_CSP, "no-store"),
        "OPTIONS": (c.options("/v1/enterprises"), API_CSP, "no-store"),
    }
    _broken_methodologies(monkeypatch)
    answers["500"] = (c.get("/v1/methodologies/1"), API_CSP, "no-store")
    statuses = {label: r.status_code for label, (r, _, _) in answers.items()}
    assert statuses["500"] == 500 and statuses["413"] == 413 and statuses["the certificate page"] == 200, statuses
    problems = [p for label, (r, csp, cache) in answers.items() for p in _header_problems(label, r, csp, cache)]
    assert not problems, "\n".join(problems)
    page = answers["the certificate page"][0]
    assert "<script" not in page.text.lower() and "<style>" in page.text  # what PAGE_CSP allows, and no more


def test_hsts_is_sent_exactly_when_served_over_https(shared_settings: Settings) -> None:
    with app_with(shared_settings, public_base_url="https://carbon.zibo.example") as api:
        for r in (api.client.get("/healthz"), api.client.get("/v1/enterprises"), api.client.put("/healthz")):
            assert r.headers.get("strict-transport-security") == HSTS, (r.status_code, dict(r.headers))
    with app_with(shared_settings, public_base_url="http://127.0.0.1:8000") as api:
        assert "strict-transport-security" not in api.client.get("/healthz").headers


def test_cors_is_closed_to_other_origins(shared: Api) -> None:
    regulator = shared.bootstrap(OrgKind.REGULATOR)
    c = shared.client
    answers = [
        c.options(
            "/v1/enterprises",
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        ),
        c.options("/v1/auth/token", headers={"Origin": "null", "Access-Control-Request-Method": "POST"}),
        c.get("/v1/enterprises", headers={**regulator.headers, "Origin": "https://evil.example"}),
        c.get("/.well-known/jwks.json", headers={"Origin": "https://evil.example"}),
        c.post("/v1/verify", json={"certificate_no": "ZB-X"}, headers={"Origin": "https://evil.example"}),
    ]
    for r in answers:
        cors = {k: v for k, v in r.headers.items() if k.lower().startswith("access-control-")}
        assert not cors, (r.request.method, r.request.url.path, cors)


def test_debug_is_off_and_a_500_shows_nothing_of_the_exception(shared: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert shared.client.app.debug is False
    _broken_methodologies(monkeypatch)
    r = shared.client.get("/v1/methodologies/1")
    body = assert_problem(r, 500)
    assert body["detail"] == "An unexpected error occurred; it has been logged.", body
    assert "private_encrypted" not in r.text and "RuntimeError" not in r.text


def test_the_served_app_sends_no_server_banner(shared_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """`carbon-account serve` (the Docker image's command) as it configures uvicorn."""
    import uvicorn

    import service.cli as cli

    captured: dict[str, Any] = {}

    def capture(self: uvicorn.Server, sockets: Any = None) -> None:  # serve's uvicorn.Config, not run here
        captured["config"] = self.config
        self.started = True

    monkeypatch.setattr(cli, "load_settings", lambda *a, **k: shared_settings)
    monkeypatch.setattr(uvicorn.Server, "run", capture)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli.main(["serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]) == 0
    monkeypatch.undo()
    server = uvicorn.Server(captured["config"])
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        r = httpx.get(f"http://127.0.0.1:{port}/healthz")
        missing = httpx.get(f"http://127.0.0.1:{port}/v1/nothing")
    finally:
        server.should_exit = True
        thread.join(10)
    assert r.status_code == 200 and missing.status_code == 404
    for answer in (r, missing):
        assert "server" not in answer.headers, f"Server banner: {answer.headers['server']!r}"
        assert "x-powered-by" not in answer.headers


# --- error bodies across the API ---------------------------------------------------------------


@pytest.fixture(scope="module")
def people(shared: Api) -> dict[str, Caller]:
    admin = shared.bootstrap(OrgKind.ADMIN)
    regulator = shared.bootstrap(OrgKind.REGULATOR)
    ent, _ = shared.register()
    shared.decide(regulator, ent.uscc or "", "approve")
    return {"admin": admin, "regulator": regulator, "enterprise": ent, "bank": shared.admin_created(admin, "bank")}


def _sweep(shared: Api, cases: list[tuple[str, httpx.Response]]) -> None:
    problems = []
    for label, r in cases:
        if r.status_code >= 500 or r.status_code < 400:
            problems.append(f"{label}: {r.status_code} {r.text[:160]}")
        elif r.headers.get("content-type", "").split(";")[0] != "application/problem+json":
            problems.append(f"{label}: {r.status_code} as {r.headers.get('content-type')}")
        elif leaks(r.text):
            problems.append(f"{label}: leaks {leaks(r.text)}")
    assert not problems, "\n".join(problems)


def test_nul_bytes_are_refused_as_the_clients_error(shared: Api, people: dict[str, Caller]) -> None:
    """PostgreSQL stores no U+0000 in text: a NUL that reaches the database must come back as 4xx."""
    c, ent, admin, reg = shared.client, people["enterprise"], people["admin"], people["regulator"]
    bank = people["bank"]
    counts = row_counts(shared.settings)
    cases = [
        (
            "registration name",
            c.post(
                "/v1/enterprises",
                json={"uscc": new_uscc(), "name": "淄博\u0000水泥", "district": "370303", "industry": "3011"},
            ),
        ),
        (
            "organisation name",
            c.post("/v1/admin/organisations", json={"kind": "bank", "name": "b\u0000"}, headers=admin.headers),
        ),
        (
            "client name",
            c.post(f"/v1/admin/organisations/{bank.org_id}/clients", json={"name": "c\u0000"}, headers=admin.headers),
        ),
        (
            "objection reason",
            c.post(
                f"/v1/enterprises/{new_uscc()}/approval",
                json={"decision": "reject", "reason": "r\u0000"},
                headers=reg.headers,
            ),
        ),
        (
            "webhook url",
            c.post(
                "/v1/webhooks",
                json={"url": "https://8.8.8.8/\u0000", "events": ["rating.issued"]},
                headers=bank.headers,
            ),
        ),
        ("verify certificate_no", c.post("/v1/verify", json={"certificate_no": "ZB-\u0000"})),
        (
            "token client_id",
            c.post(
                "/v1/auth/token",
                data={"grant_type": "client_credentials", "client_id": "ca_\u0000", "client_secret": "x"},
            ),
        ),
        ("query district", c.get("/v1/enterprises", params={"district": "3703\u000003"}, headers=reg.headers)),
        ("query kind", c.get("/v1/admin/organisations", params={"kind": "bank\u0000"}, headers=admin.headers)),
        ("path uscc", c.get("/v1/enterprises/91370303%00", headers=reg.headers)),
        ("path uscc, own filings", c.get(f"/v1/enterprises/{ent.uscc}%00/filings", headers=reg.headers)),
        ("path certificate no", c.get("/verify/ZB-%00")),
        ("path methodology", c.get("/v1/methodologies/1%00")),
        (
            "Idempotency-Key",
            c.post(
                "/v1/admin/organisations",
                json={"kind": "bank", "name": "idem"},
                headers={**admin.headers, "Idempotency-Key": "k\u0000"},
            ),
        ),
    ]
    _sweep(shared, cases)
    assert row_counts(shared.settings) == counts


def test_oversized_and_out_of_range_values_are_refused_as_the_clients_error(
    shared: Api, people: dict[str, Caller]
) -> None:
    c, ent, reg = shared.client, people["enterprise"], people["regulator"]
    counts = row_counts(shared.settings)
    json_ = {**ent.headers, "Content-Type": "application/json"}
    cases = [
        ("a 10,000-character USCC in the path", c.get("/v1/enterprises/" + "9" * 10_000, headers=reg.headers)),
        (
            "a 10,000-character USCC in the body",
            c.post(
                "/v1/enterprises", json={"uscc": "9" * 10_000, "name": "n", "district": "370303", "industry": "3011"}
            ),
        ),
        ("a 10,000-character cursor", c.get("/v1/enterprises", params={"cursor": "A" * 10_000}, headers=reg.headers)),
        ("1e400 as a year", c.post(f"/v1/enterprises/{ent.uscc}/filings", content=b'{"period": 1e400}', headers=json_)),
        (
            "1e400 as a quantity",
            c.post(
                f"/v1/enterprises/{ent.uscc}/filings",
                headers=json_,
                content=b'{"period": 2023, "value_added_wan": 1e400}',
            ),
        ),
        (
            "-1e400",
            c.post(
                f"/v1/enterprises/{ent.uscc}/filings",
                headers=json_,
                content=b'{"period": 2023, "value_added_wan": -1e400}',
            ),
        ),
        (
            "a 400-digit integer",
            c.post(f"/v1/enterprises/{ent.uscc}/filings", headers=json_, content=b'{"period": ' + b"9" * 400 + b"}"),
        ),
        (
            "1e400 as a decimal string",
            c.post(
                f"/v1/enterprises/{ent.uscc}/filings", headers=json_, json={"period": 2023, "value_added_wan": "1e400"}
            ),
        ),
        (
            "NaN",
            c.post(
                f"/v1/enterprises/{ent.uscc}/filings",
                headers=json_,
                content=b'{"period": 2023, "value_added_wan": NaN}',
            ),
        ),
        ("a year far out", c.post(f"/v1/enterprises/{ent.uscc}/filings", json={"period": 10**12}, headers=ent.headers)),
        ("a huge limit", c.get("/v1/enterprises", params={"limit": "9" * 100}, headers=reg.headers)),
        (
            "a date out of range",
            c.get("/v1/consents", params={"updated_since": "99999-01-01T00:00:00Z"}, headers=people["bank"].headers),
        ),
    ]
    _sweep(shared, cases)
    assert row_counts(shared.settings) == counts


def test_deeply_nested_json_is_refused_as_the_clients_error(shared: Api, people: dict[str, Caller]) -> None:
    c, ent = shared.client, people["enterprise"]
    counts = row_counts(shared.settings)
    arrays = b"[" * 100_000 + b"]" * 100_000
    objects = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    json_ = {"Content-Type": "application/json"}
    cases = [
        ("nested arrays, public", c.post("/v1/enterprises", content=arrays, headers=json_)),
        ("nested objects, public", c.post("/v1/enterprises", content=objects, headers=json_)),
        ("nested arrays, verify", c.post("/v1/verify", content=arrays, headers=json_)),
        (
            "nested objects in a field",
            c.post(
                f"/v1/enterprises/{ent.uscc}/filings",
                content=b'{"period": 2023, "energy": ' + arrays + b"}",
                headers={**ent.headers, **json_},
            ),
        ),
    ]
    _sweep(shared, cases)
    for _, r in cases:
        assert_clean_error(r, (400, 422))
    assert row_counts(shared.settings) == counts
