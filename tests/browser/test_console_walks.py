"""The console in real headless chromium over real HTTP (issue 19): a regulator logs in with its
client credentials, reads the district chart and its table, downloads the CSV, approves a pending
registration and downloads a certificate; a bank sees its consented borrower and not another; an
enterprise sees its account (products against 标杆/基准, its rating) and gets the 404 page for
another's; the language switch. Every page visited is photographed (pytest's tmp dir) and passes
axe-core with no serious or critical violation.

CONSOLE_SCREENSHOTS_DIR, when set, receives city.png and enterprise.png (the README's pictures).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import httpx

from service.console.i18n import COLOURS
from tests.browser.conftest import Town
from tests.browser.driver import HEIGHT, WIDTH, Browser
from tests.helpers import Caller
from tests.imaging import ink


def _publish(png: Path, name: str) -> None:
    target = os.environ.get("CONSOLE_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(target) / name)


def _shown(png: Path) -> None:
    """A real picture of a page: the window's size, ink on it, the header's green band on top."""
    picture = ink(png)
    assert picture.size == (WIDTH, HEIGHT), picture.size
    assert picture.bbox is not None and picture.inked > 0.02, picture.inked
    assert picture.pixel(0.5, 0) == (11, 79, 60), picture.pixel(0.5, 0)  # the header's #0b4f3c: the stylesheet loaded


def _status(town: Town, browser: Browser, path: str) -> int:
    """The HTTP status the browser's session gets for `path` (WebDriver does not show it)."""
    cookie = {"Cookie": f"carbon_console={browser.cookie('carbon_console')}"}
    return httpx.get(town.url + path, headers=cookie, follow_redirects=False, timeout=30).status_code


def _latest(town: Town, ent: Caller) -> dict[str, Any]:
    """The enterprise's latest rating as the API gives it."""
    r = town.api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_regulator_reads_the_city_approves_a_registration_and_downloads_a_certificate(
    browser: Browser, town: Town
) -> None:
    regulator, pending = town.city.regulator, town.pending
    browser.login(regulator.client_id, regulator.client_secret)
    assert browser.path == "/console/city"
    assert browser.find("html").get_attribute("lang") == "zh-CN"
    png = browser.look("city")
    _shown(png)
    _publish(png, "city.png")

    colours = "section[aria-labelledby=colours-title]"
    chart = browser.find(f"{colours} figure svg[role=img]")
    assert chart.is_displayed() and chart.size["width"] > 300
    assert "各区县评价颜色分布" in chart.find_element("css selector", "title").get_attribute("textContent")
    rows = [
        [c.text for c in r.find_elements("css selector", "th, td")] for r in browser.all(f"{colours} table tbody tr")
    ]
    assert {row[0]: row[-1] for row in rows} == {"淄川区": "2", "张店区": "3", "博山区": "1"}, rows

    link = browser.find(f"{colours} a[href^='/console/city.csv']")
    assert link.get_attribute("href").endswith("/console/city.csv?year=2024")
    csv = browser.download(link.click, "colours-by-district-2024.csv").decode("utf-8")
    assert csv.startswith("\ufeff") and "合计 total" in csv.splitlines()[0]
    assert sum(int(line.split(",")[-1]) for line in csv.splitlines()[1:]) == 6

    browser.follow(browser.find("header nav a[href='/console/registrations']"))
    assert browser.path == "/console/registrations"
    browser.look("registrations")
    assert pending.uscc in browser.text("main table")
    browser.follow(browser.find(f"form[action='/console/registrations/{pending.uscc}/approval'] button"))
    assert browser.path == f"/console/registrations?notice={pending.uscc}"
    browser.look("registrations-approved")
    assert browser.text("p.notice[role=status]") == f"已批准 {pending.uscc}"
    assert not browser.all("main table") and "没有待审批的注册。" in browser.text()  # it was the only one
    status = town.api.client.get(f"/v1/enterprises/{pending.uscc}", headers=regulator.headers).json()["status"]
    assert status == "active"

    rated = town.consented
    browser.open(f"/console/enterprises/{rated.uscc}")
    browser.look("enterprise-as-regulator")
    cert = browser.find("a[href$='/certificate.pdf']")
    assert cert.get_attribute("href") == f"{town.url}/console/ratings/{town.rating_id}/certificate.pdf"
    pdf = browser.download(cert.click, "*.pdf")
    assert pdf.startswith(b"%PDF")
    api = town.api.client.get(f"/v1/ratings/{town.rating_id}/certificate.pdf", headers=regulator.headers)
    assert api.headers["x-certificate-sha256"] == hashlib.sha256(pdf).hexdigest()  # the stored, signed bytes


def test_a_bank_sees_its_consented_borrower_and_not_another(browser: Browser, town: Town) -> None:
    browser.login(town.bank.client_id, town.bank.client_secret)
    assert browser.path == "/console/borrowers"
    browser.look("borrowers")
    table = browser.text("main table")
    assert town.consented.uscc in table and "grade_only" in table
    assert town.unconsented.uscc not in browser.driver.page_source
    row = [c.text for c in browser.all("main table tbody tr:first-child td")]
    latest = _latest(town, town.consented)
    assert row[0] == town.consented.uscc and row[4] == COLOURS[latest["colour"]][0] and row[5] == str(latest["grade"])


def test_an_enterprise_sees_its_account_and_not_another(browser: Browser, town: Town) -> None:
    own, other = town.consented, town.unconsented
    browser.login(own.client_id, own.client_secret)
    assert browser.path == f"/console/enterprises/{own.uscc}"
    png = browser.look("account")
    _shown(png)
    _publish(png, "enterprise.png")

    products = browser.find("section[aria-labelledby=products-title]")
    assert products.find_element("css selector", "svg[role=img]").is_displayed()
    heads = [h.text for h in products.find_elements("css selector", "thead th")]
    assert "标杆水平" in heads and "基准水平" in heads, heads
    cells = [c.text for c in products.find_elements("css selector", "tbody tr:first-child td")]
    assert len(cells) == 4 and all(cells), cells  # value, 标杆, 基准, level
    rating = browser.text("section[aria-labelledby=rating-title]")
    latest = _latest(town, own)
    assert f"{COLOURS[latest['colour']][0]} · 等级 {latest['grade']}" in rating and "下载证书" in rating, rating

    browser.open(f"/console/enterprises/{other.uscc}")
    browser.look("another-enterprise")
    assert browser.text("p.error[role=alert]") == "没有这个页面。"
    assert other.uscc not in browser.text()
    assert _status(town, browser, f"/console/enterprises/{other.uscc}") == 404
    assert _status(town, browser, f"/console/enterprises/{own.uscc}") == 200


def test_the_language_switch_shows_english_on_the_next_page(browser: Browser, town: Town) -> None:
    regulator = town.city.regulator
    browser.login(regulator.client_id, regulator.client_secret)
    switch = browser.find("header nav a[href^='/console/lang?to=en']")
    assert switch.text == "English" and switch.get_attribute("lang") == "en"
    browser.follow(switch)
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.path == "/console/city"  # back where the switch was (the pages send no Referer)
    assert browser.text("main h1") == "The city at a glance"
    browser.look("city-english")
    browser.follow(browser.find("header nav a[href^='/console/lang?to=zh']"))
    assert browser.find("html").get_attribute("lang") == "zh-CN" and browser.text("main h1") == "全市概览"
