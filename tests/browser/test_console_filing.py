"""An enterprise files a year in real chromium (issue 19): through the form — a bad number is
shown beside its field and fixed, the draft saved and submitted, the account shown — and through
the bulk workbook — one bad cell named by sheet and cell, the fixed file imported and submitted.
Every page is photographed and passes axe-core (Browser.look)."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from tests.browser.conftest import Town
from tests.browser.driver import Browser
from tests.e2e.test_console import FORM as CONSOLE_FORM
from tests.helpers import Caller
from tests.workbooks import cement_rows, xlsx

FORM = {**{k: v for k, v in CONSOLE_FORM.items() if k != "year"}, "energy.0.quantity": "lots"}  # fixed below


def _type(browser: Browser, field: str, value: str) -> None:
    element = browser.driver.find_element(By.ID, field)
    element.clear()
    element.send_keys(value)


def _filings(town: Town, ent: Caller, year: int) -> list[dict[str, object]]:
    r = town.api.client.get(f"/v1/enterprises/{ent.uscc}/filings", params={"period": year}, headers=ent.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_an_enterprise_files_a_year_through_the_form(browser: Browser, town: Town) -> None:
    ent = town.city.enterprises[3]
    browser.login(ent.client_id, ent.client_secret)
    browser.open(f"/console/enterprises/{ent.uscc}/filing?year=2025")
    browser.look("filing-form")
    for field, value in FORM.items():
        _type(browser, field, value)
    browser.follow(browser.find("form.card button[type=submit]"))
    error = browser.driver.find_element(By.ID, "energy.0.quantity-error")
    assert (
        error.text and browser.driver.find_element(By.ID, "energy.0.quantity").get_attribute("aria-invalid") == "true"
    )
    browser.look("filing-refused")
    assert _filings(town, ent, 2025) == []  # nothing written
    _type(browser, "energy.0.quantity", "100000")
    browser.follow(browser.find("form.card button[type=submit]"))
    assert "草稿已保存" in browser.text()
    browser.look("filing-saved")
    browser.follow(browser.find("#submit-draft"))
    assert browser.path == f"/console/enterprises/{ent.uscc}?year=2025"
    assert browser.all("main svg[role=img]") and "标杆水平" in browser.text()
    browser.look("account-after-filing")
    [filing] = _filings(town, ent, 2025)
    assert filing["status"] == "submitted"


def test_an_enterprise_uploads_the_workbook_and_fixes_the_bad_cell(
    browser: Browser, town: Town, tmp_path: Path
) -> None:
    ent = town.city.enterprises[4]
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(xlsx(cement_rows(ent.uscc or "", period=2025, value_added="很多")))
    good.write_bytes(xlsx(cement_rows(ent.uscc or "", period=2025)))
    browser.login(ent.client_id, ent.client_secret)
    browser.open(f"/console/enterprises/{ent.uscc}/filing?year=2025")
    browser.find("#file").send_keys(str(bad))
    browser.follow(browser.find("section form[enctype='multipart/form-data'] button[type=submit]"))
    rows = browser.all("#problems tbody tr")
    assert len(rows) == 1, browser.text()
    sheet, _, cell, column, _ = (td.text for td in rows[0].find_elements(By.TAG_NAME, "td"))
    assert sheet and cell and column == "value_added_wan", (sheet, cell, column)
    browser.look("upload-refused")
    assert _filings(town, ent, 2025) == []
    browser.find("#file").send_keys(str(good))
    browser.follow(browser.find("section form[enctype='multipart/form-data'] button[type=submit]"))
    assert "已导入 1 份草稿" in browser.text()
    browser.look("upload-imported")
    browser.follow(browser.find("section form[action$='/submit'] button[type=submit]"))
    assert browser.path == f"/console/enterprises/{ent.uscc}?year=2025"
    browser.look("account-after-upload")
    [filing] = _filings(town, ent, 2025)
    assert filing["status"] == "submitted"
