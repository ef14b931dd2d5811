"""Every page of the console that a regulator, a bank and an enterprise can open, in real
chromium: photographed, nothing refused by its Content-Security-Policy, and no serious or
critical axe-core violation (Browser.look)."""

from __future__ import annotations

from tests.browser.conftest import Town
from tests.browser.driver import Browser


def _visit(browser: Browser, paths: list[str]) -> None:
    for path in paths:
        browser.open(path)
        assert browser.find("main h1").text, path
        assert "没有这个页面" not in browser.text() and "无权打开" not in browser.text(), path
        browser.look(path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")[:60])


def test_the_regulators_pages(browser: Browser, town: Town) -> None:
    reg, ra = town.city.regulator, town.city.rating_authority
    rounds = town.api.client.get("/v1/rating-rounds", headers=ra.headers).json()
    ent = town.consented.uscc
    browser.login(reg.client_id, reg.client_secret)
    _visit(browser, ["/console/city?year=2024", "/console/policy?year=2024", "/console/rounds",
                     f"/console/rounds/{rounds[0]['id']}", "/console/objections", "/console/registrations",
                     "/console/finance-stats?year=2024", f"/console/enterprises/{ent}",
                     f"/console/enterprises/{ent}/consents", f"/console/enterprises/{ent}/access-log",
                     f"/console/enterprises/{ent}/verifiers", f"/console/enterprises/{ent}/finance"])  # fmt: skip


def test_the_banks_pages(browser: Browser, town: Town) -> None:
    browser.login(town.bank.client_id, town.bank.client_secret)
    _visit(browser, ["/console/borrowers", "/console/verify", "/console/financed-emissions"])


def test_the_enterprises_pages(browser: Browser, town: Town) -> None:
    ent = town.city.enterprises[5]
    browser.login(ent.client_id, ent.client_secret)
    base = f"/console/enterprises/{ent.uscc}"
    _visit(browser, [base, f"{base}/filing?year=2025", f"{base}/consents", f"{base}/access-log",
                     f"{base}/verifiers", f"{base}/finance"])  # fmt: skip
