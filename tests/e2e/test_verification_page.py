"""The public verification page for every status, over HTTP and as chromium draws it (issue 21.6).

valid, revoked (its date and reason, no "valid until"), superseded and expired (each links to
the current rating), unknown (an HTML page for a browser, problem+json for an API client);
the finance tier, the issuer and the PDF's SHA-256 on each; one charset in Content-Type (22.6).
Each page is drawn by Debian's chromium headless at a phone's width and at a desktop's: the
screenshot is not blank and nothing spills past the right edge (figures do not wrap mid-number,
and none overflows). The seal the rating authority uploads prints on its certificates.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import re
import time
from pathlib import Path
from typing import Any

import asyncpg
import pdfplumber
import pytest

from tests import db as testdb
from tests.helpers import Api, Caller, Filings, build_city, cement, run_round
from tests.imaging import chromium, ink, screenshot
from tests.integration.test_certificate_faces import seal_png

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # as a browser asks
PHONE, DESKTOP = (390, 1100), (1280, 1000)


def _wait_pdf(api: Api, caller: Caller, rating_id: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=caller.headers)
        if r.status_code == 200:
            return r
        assert r.status_code == 503, (r.text, asyncio.run(_job_errors(api)))
        time.sleep(0.1)
    raise AssertionError("the certificate was not issued in time")


async def _job_errors(api: Api) -> list[str]:
    """Why certificate jobs failed, for the assertion message."""
    conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
    try:
        return [r["last_error"] for r in await conn.fetch("SELECT last_error FROM certificate_jobs") if r["last_error"]]
    finally:
        await conn.close()


def _latest(api: Api, ent: Caller) -> dict[str, Any]:
    return dict(api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json())


def _number(response: Any) -> str:
    return re.search(r'filename="([^"]+)\.pdf"', response.headers["content-disposition"]).group(1)  # type: ignore[union-attr]


@pytest.fixture
def pages(api: Api) -> dict[str, Any]:
    """A certificate in each status, through the service's own flows; the pages as served."""
    town = build_city(api, 6)
    seal = seal_png(300)
    r = api.client.put("/v1/rating-authority/seal", json={"png": base64.b64encode(seal).decode()},
                       headers=town.rating_authority.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["sha256"] == hashlib.sha256(seal).hexdigest() and (r.json()["width"], r.json()["height"]) == (
        300,
        300,
    )
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"
    first, second = town.enterprises[:2]
    pdfs = {ent.uscc: _wait_pdf(api, ent, _latest(api, ent)["id"]) for ent in (first, second)}
    numbers = {uscc: _number(r) for uscc, r in pdfs.items()}
    revoked = api.client.post(f"/v1/ratings/{_latest(api, first)['id']}/revoke", json={"reason": "核查报告不实"},
                              headers=town.rating_authority.headers)  # fmt: skip
    assert revoked.status_code == 200, revoked.text
    assert run_round(api, town.rating_authority, 2023)["status"] == "completed"  # supersedes second's
    current_2023 = _number(_wait_pdf(api, second, _latest(api, second)["id"]))
    for ent in town.enterprises:
        Filings(api).submitted(ent, 2024, cement())
    assert run_round(api, town.rating_authority, 2024)["status"] == "completed"  # 2023 now reads expired
    current_2024 = _number(_wait_pdf(api, second, _latest(api, second)["id"]))
    served = {
        "revoked": api.client.get(f"/verify/{numbers[first.uscc]}", headers=HTML),
        "superseded": api.client.get(f"/verify/{numbers[second.uscc]}", headers=HTML),
        "expired": api.client.get(f"/verify/{current_2023}", headers=HTML),
        "valid": api.client.get(f"/verify/{current_2024}", headers=HTML),
        "unknown": api.client.get("/verify/ZB-AAAA-BBBB-CCCC-DDDD", headers=HTML),
    }
    return {"served": served, "pdf": pdfs[first.uscc], "current": current_2024, "seal": seal,
            "numbers": numbers, "api": api}  # fmt: skip


def test_each_status_says_what_a_reader_needs(pages: dict[str, Any]) -> None:
    served, current = pages["served"], pages["current"]
    for status, r in served.items():
        assert r.status_code == (404 if status == "unknown" else 200), (status, r.text)
        assert r.headers["content-type"] == "text/html; charset=utf-8", r.headers["content-type"]  # one charset
        assert '<meta name="viewport"' in r.text and "<script" not in r.text.lower()
    valid, revoked = served["valid"].text, served["revoked"].text
    assert "有效" in valid and "有效期至" in valid and "或下一年度评价发布之日" in valid
    assert "已撤销" in revoked and "核查报告不实" in revoked and "撤销日期" in revoked and "有效期至" not in revoked
    for status in ("superseded", "expired"):
        assert f'href="/verify/{current}"' in served[status].text, status  # the current rating
        assert "有效期至" not in served[status].text
    for status in ("valid", "revoked", "superseded", "expired"):
        text = served[status].text
        assert "绿色金融分级" in text and re.search(r"\((preferential|eligible|watch|restricted|unrated)\)", text)
        assert "发证机构" in text and "Organisation" not in text
        assert not any(word in text for word in ("co2", "intensity", "排放"))  # no emissions figures
    sha = hashlib.sha256(pages["pdf"].content).hexdigest()
    assert "".join(re.findall(r"<span>([0-9a-f]{16})</span>", served["revoked"].text)) == sha  # the PDF's hash
    assert "未找到该证书" in served["unknown"].text


def test_an_api_client_gets_json_and_a_problem_for_an_unknown_number(pages: dict[str, Any]) -> None:
    api: Api = pages["api"]
    number = next(iter(pages["numbers"].values()))
    as_json = api.client.get(f"/verify/{number}", headers={"Accept": "application/json"})
    body = as_json.json()
    assert body["status"] == "revoked" or body["status"] == "superseded"
    assert {"finance_tier", "issuer", "sha256", "current"} <= set(body)
    unknown = api.client.get("/verify/ZB-AAAA-BBBB-CCCC-DDDD")
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["status"] == 404


def test_the_issuer_and_its_seal_print_on_the_certificate(pages: dict[str, Any]) -> None:
    with pdfplumber.open(io.BytesIO(pages["pdf"].content)) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        assert len(page.images) == 1 and page.images[0]["srcsize"] == (300, 300)  # the uploaded seal
    assert "发证机构 rating_authority org" in text  # the organisation's name (tests.helpers names it so)


def test_the_stats_csv_has_one_charset(api: Api) -> None:
    town = build_city(api, 1)
    r = api.client.get("/v1/stats/overview", params={"year": 2023}, headers={**town.regulator.headers,
                       "Accept": "text/csv"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    template = api.client.get("/v1/imports/template.csv")
    if template.status_code == 200:
        assert template.headers["content-type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("status", ["valid", "revoked", "superseded", "expired", "unknown"])
def test_chromium_draws_each_page_on_a_phone_and_a_desktop(pages: dict[str, Any], status: str, tmp_path: Path) -> None:
    chromium()
    html = tmp_path / f"{status}.html"
    html.write_text(pages["served"][status].text, encoding="utf-8")
    for name, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
        png = screenshot(html, tmp_path / f"{status}-{name}.png", width, height)
        picture = ink(png)
        assert picture.size == (width, height)
        assert picture.bbox is not None and 0.005 < picture.inked < 0.5, (name, picture.inked)
        left, top, right, _ = picture.bbox
        assert left >= 8 and right <= width - 8, (name, picture.bbox)  # nothing runs past the right edge
        assert top < 80  # the heading, at the top
