"""OWASP API4:2023 Unrestricted Resource Consumption.

Covered, against the live app and database:
  - request bodies: above MAX_BODY_BYTES (default 1 MiB; a smaller setting is honoured) a
    JSON or form body is 413 -- with a Content-Length, chunked without one, and with a
    Content-Length that lies (the bytes are counted, not the header) -- and nothing is
    written;
  - page sizes: every operation with a `limit` documents at most 200, and 201, 0, -1,
    10**30 or a non-number are 422 naming query.limit (never a 5xx);
  - rate limits (a small RATE_LIMIT_PER_MINUTE, the limiter's clock pinned mid-minute):
    429 with Retry-After as a problem document; refused (403) requests count; a new token
    of the same client does not reset the count; a request over the limit writes nothing;
    other clients are not affected;
  - the round's certificate zip: streamed (no Content-Length), stored entries, exactly the
    round's certificates, a district filter; a 10,000-character district is no 5xx; a
    round that does not exist is 404, not an empty zip;
  - the bulk import: 33 MiB (over MAX_UPLOAD_BYTES, 32 MiB) is 413; a real decompression
    bomb (a workbook whose sheet inflates to 300 MB of whitespace, ~300 kB on the wire),
    more than 1000 parts, parts of at most 1 MiB inflating to more than 256 MiB together,
    an archive that declares a small size for a huge part, and a billion-laughs DTD are
    each 422 within seconds with nothing written; more than MAX_ROWS (200,000) rows is
    refused naming the limit.
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from domain.organisations import OrgKind
from service.imports.reader import MAX_INFLATED_BYTES, MAX_RATIO, MAX_ROWS
from service.imports.upload import MAX_UPLOAD_BYTES
from service.settings import Settings
from tests.helpers import Api, Caller, Filings, build_city, run_round
from tests.owasp.common import app_with, assert_problem, openapi_operations, pin_rate_window, row_counts
from tests.owasp.files import (
    MIB,
    billion_laughs,
    declare_size,
    entries,
    laughing_workbook,
    padded_sheet,
    rebuild,
    sheet_of,
)
from tests.workbooks import XLSX, cement_rows, xlsx

# --- request bodies ------------------------------------------------------------------


def _chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def test_bodies_over_the_limit_are_413_however_they_are_sent(shared: Api) -> None:
    api = shared
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    draft = Filings(api).create(ent, 2023)
    big = b'{"value_added_wan": "1", "pad": "' + b"x" * (api.settings.max_body_bytes + 1) + b'"}'
    json_headers = {**ent.headers, "Content-Type": "application/json"}
    counts = row_counts(api.settings)
    url = f"/v1/filings/{draft['id']}"
    answers = {
        "with Content-Length": api.client.put(url, content=big, headers=json_headers),
        "chunked": api.client.put(url, content=_chunks(big), headers=json_headers),
        "a lying Content-Length": api.client.put(url, content=big, headers={**json_headers, "Content-Length": "40"}),
        "a form": api.client.post(
            "/v1/auth/token",
            content=b"grant_type=client_credentials&client_id=" + b"c" * (2 * MIB),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        "a registration": api.client.post(
            "/v1/enterprises",
            content=b'{"uscc": "' + b"9" * (2 * MIB) + b'"}',
            headers={"Content-Type": "application/json"},
        ),
    }
    for label, r in answers.items():
        assert r.status_code == 413, (label, r.status_code, r.text[:200])
        assert_problem(r, 413)
    assert row_counts(api.settings) == counts
    assert api.client.get(url, headers=ent.headers).json()["content"] == draft["content"]


def test_a_smaller_configured_limit_is_honoured(shared_settings: Settings) -> None:
    with app_with(shared_settings, max_body_bytes=4096) as api:
        regulator = api.bootstrap(OrgKind.REGULATOR)
        ent, _ = api.register()
        r = api.client.post(
            f"/v1/enterprises/{ent.uscc}/approval",
            json={"decision": "approve", "reason": "x" * 5000},
            headers=regulator.headers,
        )
        assert_problem(r, 413)
        assert api.client.get(f"/v1/enterprises/{ent.uscc}", headers=regulator.headers).json()["status"] == "pending"


# --- page sizes ------------------------------------------------------------------------


REQUIRED_QUERY = {"year": 2024}
"""A valid value for each required query parameter a paged list may have besides `limit`."""


def test_every_page_size_is_bounded_at_200(shared: Api) -> None:
    api = shared
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator = api.bootstrap(OrgKind.REGULATOR)
    bank = api.admin_created(admin, "bank")
    ent, _ = api.register()
    hook = api.client.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/h", "events": ["rating.issued"]}, headers=bank.headers
    )
    assert hook.status_code == 201, hook.text
    values = {"uscc": ent.uscc or "", "webhook_id": hook.json()["id"]}
    paged = {
        op: spec
        for op, spec in openapi_operations(api).items()
        if any(p["name"] == "limit" and p["in"] == "query" for p in spec.get("parameters", []))
    }
    assert len(paged) >= 6, sorted(paged)
    problems = []
    for operation, spec in sorted(paged.items()):
        limit = next(p for p in spec["parameters"] if p["name"] == "limit")
        if limit["schema"].get("maximum") != 200:
            problems.append(f"{operation}: documents {limit['schema']}")
        path = operation.partition(" ")[2]
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        required = {  # the other required query parameters (a year) take a valid value
            p["name"]: REQUIRED_QUERY[p["name"]]
            for p in spec["parameters"]
            if p["in"] == "query" and p.get("required") and p["name"] != "limit"
        }
        caller = next(
            c
            for c in (regulator, admin, bank)
            if api.client.get(path, params={**required, "limit": 201}, headers=c.headers).status_code != 403
        )
        for bad in (201, 0, -1, 10**30, "ten", "1e3", ""):
            r = api.client.get(path, params={**required, "limit": bad}, headers=caller.headers)
            body = assert_problem(r)
            if r.status_code != 422 or "query.limit" not in [e["field"] for e in body.get("errors", [])]:
                problems.append(f"{operation} limit={bad!r}: {r.status_code} {r.text[:150]}")
        ok = api.client.get(path, params={**required, "limit": 200}, headers=caller.headers)
        if ok.status_code != 200:
            problems.append(f"{operation} limit=200: {ok.status_code} {ok.text[:150]}")
    assert not problems, "\n".join(problems)


# --- rate limits -----------------------------------------------------------------------


def test_the_rate_limit_counts_every_request_of_a_client_and_writes_nothing_beyond_it(
    shared_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    retry = pin_rate_window(monkeypatch)
    with app_with(shared_settings, rate_limit_per_minute=5) as api:
        admin = api.bootstrap(OrgKind.ADMIN)
        other = api.bootstrap(OrgKind.REGULATOR)
        codes = [
            api.client.post(
                "/v1/admin/organisations", json={"kind": "bank", "name": f"b{i}"}, headers=admin.headers
            ).status_code
            for i in range(3)
        ]
        codes += [api.client.get("/v1/enterprises", headers=admin.headers).status_code for _ in range(2)]  # 403s
        assert codes == [201, 201, 201, 403, 403], codes
        counts = row_counts(api.settings)
        over = api.client.post("/v1/admin/organisations", json={"kind": "bank", "name": "b4"}, headers=admin.headers)
        assert_problem(over, 429)
        assert int(over.headers["retry-after"]) == retry
        assert row_counts(api.settings) == counts  # the handler never ran
        fresh = api.token_for(admin.client_id, admin.client_secret)  # a new token: the same client
        r = api.client.get("/v1/admin/organisations", headers={"Authorization": f"Bearer {fresh}"})
        assert_problem(r, 429)
        assert api.client.get("/v1/enterprises", headers=other.headers).status_code == 200


# --- the round's certificate zip ---------------------------------------------------------


def _wait_certificates(api: Api, ents: list[Caller], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    for ent in ents:
        rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
        while api.client.get(f"/v1/ratings/{rating['id']}/certificate.pdf", headers=ent.headers).status_code != 200:
            assert time.monotonic() < deadline, "certificates not issued in time"
            time.sleep(0.05)


def test_the_round_zip_is_streamed_and_holds_exactly_the_rounds_certificates(api: Api) -> None:
    town = build_city(api, 3)
    state = run_round(api, town.rating_authority, 2023)
    assert state["status"] == "completed"
    _wait_certificates(api, town.enterprises)
    url = f"/v1/rating-rounds/{state['id']}/certificates.zip"
    r = api.client.get(url, headers=town.regulator.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert "content-length" not in r.headers  # streamed, never assembled whole
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        infos = z.infolist()
        assert sorted(i.filename.split("-")[0] for i in infos) == sorted(e.uscc or "" for e in town.enterprises)
        assert all(i.compress_type == zipfile.ZIP_STORED and z.read(i).startswith(b"%PDF") for i in infos)
    none = api.client.get(url, params={"district": "370304"}, headers=town.regulator.headers)
    assert none.status_code == 200 and zipfile.ZipFile(io.BytesIO(none.content)).infolist() == []
    long = api.client.get(url, params={"district": "3" * 10_000}, headers=town.regulator.headers)
    assert long.status_code in (200, 422), long.text[:200]


def test_the_zip_of_a_round_that_does_not_exist_is_404(shared: Api) -> None:
    api = shared
    regulator = api.bootstrap(OrgKind.REGULATOR)
    r = api.client.get(f"/v1/rating-rounds/{uuid.uuid4()}/certificates.zip", headers=regulator.headers)
    assert r.status_code == 404, (
        f"{r.status_code} {r.headers.get('content-type')}: an unknown round gives {r.content[:40]!r}"
    )
    assert_problem(r, 404)


# --- the bulk import ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def filer(shared: Api) -> Caller:
    regulator = shared.bootstrap(OrgKind.REGULATOR)
    ent, _ = shared.register()
    shared.decide(regulator, ent.uscc or "", "approve")
    return ent


def _import(api: Api, who: Caller, body: Any, media: str = XLSX, dry_run: bool = False) -> httpx.Response:
    headers = {**who.headers, "Content-Type": media}
    return api.client.post(f"/v1/filings/import?dry_run={str(dry_run).lower()}", content=body, headers=headers)


def _refused_quickly(api: Api, who: Caller, body: bytes, seconds: float = 5.0) -> dict[str, Any]:
    counts = row_counts(api.settings)
    started = time.monotonic()
    r = _import(api, who, body)
    took = time.monotonic() - started
    doc = assert_problem(r, 422)
    assert took < seconds, f"refused only after {took:.1f} s"
    assert row_counts(api.settings) == counts
    return doc


def test_an_upload_over_32_mib_is_413_and_writes_nothing(shared: Api, filer: Caller) -> None:
    api = shared
    counts = row_counts(api.settings)
    body = b"\xef\xbb\xbf" + b"#" * (MAX_UPLOAD_BYTES + MIB)
    r = _import(api, filer, _chunks(body, MIB), media="text/csv")
    assert_problem(r, 413)
    assert row_counts(api.settings) == counts


@pytest.mark.parametrize(
    ("inflated", "why"),
    [(300 * 1000 * 1000, "inflates to"), (20 * 1000 * 1000, "zip bomb")],
    ids=["300MB-over-the-total", "20MB-over-the-ratio"],
)
def test_a_real_decompression_bomb_is_refused_before_it_inflates(
    shared: Api, filer: Caller, inflated: int, why: str
) -> None:
    api = shared
    book = xlsx(cement_rows(filer.uscc or ""))
    assert _import(api, filer, book, dry_run=True).json()["problems"] == []  # the control: the file is good
    sheet = sheet_of(book, "能源")
    bomb = rebuild(book, {sheet: padded_sheet(entries(book)[sheet], inflated)})
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo(sheet)
    assert info.file_size > inflated and info.file_size > MAX_RATIO * info.compress_size
    assert len(bomb) < MIB
    doc = _refused_quickly(api, filer, bomb, seconds=2.0)
    assert doc["type"].endswith(":unreadable-file") and why in doc["detail"], doc


def test_too_many_parts_or_too_much_in_total_is_refused_unread(shared: Api, filer: Caller) -> None:
    api = shared
    book = xlsx(cement_rows(filer.uscc or ""))
    many = rebuild(book, {f"xl/media/part{i}.bin": b"x" for i in range(1001)})
    doc = _refused_quickly(api, filer, many)
    assert "parts" in doc["detail"], doc
    # 257 parts of exactly 1 MiB: none trips the per-part ratio check, together they pass 256 MiB
    parts = MAX_INFLATED_BYTES // MIB + 1
    heavy = rebuild(book, {f"xl/media/part{i}.bin": b"\0" * MIB for i in range(parts)})
    doc = _refused_quickly(api, filer, heavy)
    assert "inflates to" in doc["detail"], doc


def test_an_archive_that_understates_a_parts_size_is_refused(shared: Api, filer: Caller) -> None:
    api = shared
    """check_archive trusts the declared sizes; zipfile stops inflating at the declared size and
    fails the CRC, so a lying archive gets no further than what it declared."""
    book = xlsx(cement_rows(filer.uscc or ""))
    sheet = sheet_of(book, "能源")
    bomb = rebuild(book, {sheet: padded_sheet(entries(book)[sheet], 20 * 1000 * 1000)})
    liar = declare_size(bomb, sheet, 512 * 1024)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo(sheet).file_size == 512 * 1024
    doc = _refused_quickly(api, filer, liar, seconds=3.0)
    assert doc["type"].endswith(":unreadable-file"), doc


def test_a_billion_laughs_workbook_is_refused(shared: Api, filer: Caller) -> None:
    api = shared
    book = xlsx(cement_rows(filer.uscc or ""))
    for part, xml in (
        (sheet_of(book, "填报"), billion_laughs()),
        ("xl/workbook.xml", laughing_workbook(entries(book)["xl/workbook.xml"], "填报")),
    ):
        doc = _refused_quickly(api, filer, rebuild(book, {part: xml}), seconds=3.0)
        assert doc["type"].endswith(":unreadable-file"), (part, doc)


def test_more_than_max_rows_is_refused_naming_the_limit(shared: Api, filer: Caller) -> None:
    api = shared
    counts = row_counts(api.settings)
    body = ("表 sheet\r\n" + "\r\n" * (MAX_ROWS + 1)).encode()
    r = _import(api, filer, body, media="text/csv")
    doc = assert_problem(r, 422)
    assert any(f"more than {MAX_ROWS} rows" in p["detail"] for p in doc["problems"]), doc
    assert row_counts(api.settings) == counts
