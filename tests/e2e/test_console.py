"""The web console over HTTP (issue 19; browser walks are in tests/browser/): logging in with
client credentials, each role's start page, a regulator approving a registration through a form,
the CSRF refusal, an enterprise kept to its own pages, a bank to its consented borrowers, logout."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import Api, Caller, City, build_city, run_round

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def https(api: Api) -> Any:
    """The console's cookies are Secure: the test client speaks https, as a browser must."""
    plain = api.client.base_url
    api.client.base_url = "https://testserver.local"
    yield
    api.client.base_url = plain


@pytest.fixture
def town(api: Api) -> City:
    city = build_city(api, 2, years=(2024,))
    assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
    return city


def _token(api: Api, path: str = "/console/login") -> str:
    r = api.client.get(path)
    assert r.status_code == 200, r.text
    found = CSRF.search(r.text)
    assert found, r.text[:500]
    return found.group(1)


def _login(api: Api, who: Caller) -> None:
    form = {
        "_csrf_token": _token(api),
        "client_id": who.client_id,
        "client_secret": who.client_secret,
        "next": "/console/",
    }
    r = api.client.post("/console/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "carbon_console" in r.cookies or "carbon_console" in api.client.cookies


def _get(api: Api, path: str, **params: Any) -> Any:
    return api.client.get(path, params=params, follow_redirects=False)


def test_a_page_without_a_session_sends_the_browser_to_the_login(api: Api) -> None:
    r = _get(api, "/console/city")
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next=/console/city")
    page = api.client.get("/console/login")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text and "登录" in page.text
    assert "text/html" in page.headers["content-type"]


def test_a_wrong_secret_is_refused_and_counted(api: Api, town: City) -> None:
    form = {"_csrf_token": _token(api), "client_id": town.regulator.client_id, "client_secret": "wrong"}
    r = api.client.post("/console/login", data=form, follow_redirects=False)
    assert r.status_code == 401 and "凭据无效" in r.text
    assert "carbon_console" not in api.client.cookies


def test_a_form_without_its_csrf_token_is_refused(api: Api, town: City) -> None:
    r = api.client.post("/console/login", data={"client_id": town.regulator.client_id, "client_secret": "x"})
    assert r.status_code == 403 and "表单已过期" in r.text
    _login(api, town.regulator)
    pending, _ = api.register()
    r = api.client.post(f"/console/registrations/{pending.uscc}/approval", data={"decision": "approve"})
    assert r.status_code == 403
    status = api.client.get(f"/v1/enterprises/{pending.uscc}", headers=town.regulator.headers).json()["status"]
    assert status == "pending"  # nothing changed


def test_a_regulator_approves_a_registration_and_reads_the_city(api: Api, town: City) -> None:
    pending, _ = api.register()
    _login(api, town.regulator)
    assert _get(api, "/console/").headers["location"] == "/console/city"
    listing = _get(api, "/console/registrations")
    assert listing.status_code == 200 and pending.uscc in listing.text
    token = CSRF.search(listing.text).group(1)  # type: ignore[union-attr]
    r = api.client.post(f"/console/registrations/{pending.uscc}/approval", data={"_csrf_token": token,
                        "decision": "approve"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    status = api.client.get(f"/v1/enterprises/{pending.uscc}", headers=town.regulator.headers).json()["status"]
    assert status == "active"
    city = _get(api, "/console/city", year=2024)
    assert city.status_code == 200 and "<svg" in city.text and 'role="img"' in city.text
    csv = _get(api, "/console/city.csv", year=2024)
    assert csv.status_code == 200 and csv.text.startswith("\ufeff") and "合计 total" in csv.text
    assert sum(int(line.split(",")[-1]) for line in csv.text.splitlines()[1:]) == 2  # the two rated enterprises


def test_an_enterprise_sees_its_own_account_and_no_other(api: Api, town: City) -> None:
    own, other = town.enterprises
    _login(api, own)
    start = _get(api, "/console/")
    assert start.headers["location"] == f"/console/enterprises/{own.uscc}"
    page = _get(api, f"/console/enterprises/{own.uscc}", year=2024)
    assert page.status_code == 200 and "标杆水平" in page.text and "<svg" in page.text
    assert _get(api, f"/console/enterprises/{other.uscc}").status_code == 404
    assert _get(api, "/console/city").status_code == 403
    assert _get(api, "/console/borrowers").status_code == 403


def test_a_bank_sees_a_consented_borrower_and_not_another(api: Api, town: City) -> None:
    own, other = town.enterprises
    bank = api.admin_created(town.admin, "bank")
    body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "grade_only",
            "expires_at": "2030-01-01T00:00:00+08:00"}  # fmt: skip
    assert api.client.post(f"/v1/enterprises/{own.uscc}/consents", json=body, headers=own.headers).status_code == 201
    _login(api, bank)
    page = _get(api, "/console/borrowers")
    assert page.status_code == 200 and own.uscc in page.text and other.uscc not in page.text
    log = api.client.get(f"/v1/enterprises/{own.uscc}/access-log", headers=own.headers).json()["items"]
    assert any(e["org_id"] == str(bank.org_id) and e["what"] == "rating" for e in log)


def test_logout_ends_the_session(api: Api, town: City) -> None:
    _login(api, town.regulator)
    token = CSRF.search(_get(api, "/console/city").text).group(1)  # type: ignore[union-attr]
    r = api.client.post("/console/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert _get(api, "/console/city").status_code == 303  # back to the login


def _form(api: Api, path: str) -> str:
    return CSRF.search(_get(api, path).text).group(1)  # type: ignore[union-attr]


FORM = {
    "year": "2025",
    "value_added_wan": "50000",
    "energy.0.carrier": "bituminous_coal",
    "energy.0.quantity": "100000",
    "energy.0.unit": "t",
    "electricity.purchased_mwh": "50000",
    "products.0.product": "cement_clinker",
    "products.0.output": "800000",
    "products.0.energy": "85000",
    "products.0.energy_unit": "tce",
    "clinker.0.output_t": "800000",
    "clinker.0.cao_fraction": "0.65",
    "clinker.0.mgo_fraction": "0.02",
}


def test_an_enterprise_files_a_year_through_the_form(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    _login(api, ent)
    path = f"/console/enterprises/{ent.uscc}/filing"
    token = _form(api, f"{path}?year=2025")
    bad = api.client.post(path, data={**FORM, "energy.0.quantity": "lots", "_csrf_token": token})
    assert bad.status_code == 422 and 'id="energy.0.quantity-error"' in bad.text
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/filings", params={"period": 2025},
                          headers=ent.headers).json()["items"] == []  # nothing written  # fmt: skip
    saved = api.client.post(path, data={**FORM, "_csrf_token": token})
    assert saved.status_code == 200 and "草稿已保存" in saved.text, saved.text[-2000:]
    [draft] = api.client.get(
        f"/v1/enterprises/{ent.uscc}/filings", params={"period": 2025}, headers=ent.headers
    ).json()["items"]
    assert draft["status"] == "draft"
    done = api.client.post(
        f"/console/filings/{draft['id']}/submit", data={"_csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/console/enterprises/{ent.uscc}?year=2025"
    account = _get(api, done.headers["location"])
    assert account.status_code == 200 and "<svg" in account.text
    status = api.client.get(f"/v1/filings/{draft['id']}", headers=ent.headers).json()["status"]
    assert status == "submitted"


def test_an_enterprise_uploads_the_workbook_sees_the_bad_cell_and_fixes_it(api: Api, town: City) -> None:
    from tests.workbooks import cement_rows, xlsx

    ent = town.enterprises[1]
    _login(api, ent)
    token = _form(api, f"/console/enterprises/{ent.uscc}/filing?year=2025")
    url = f"/console/enterprises/{ent.uscc}/filing-upload"
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    bad = xlsx(cement_rows(ent.uscc or "", period=2025, value_added="很多"))
    r = api.client.post(url, data={"_csrf_token": token, "year": "2025"}, files={"file": ("bad.xlsx", bad, mime)})
    assert r.status_code == 422 and 'id="problems"' in r.text, r.text[-1500:]
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/filings", params={"period": 2025},
                          headers=ent.headers).json()["items"] == []  # fmt: skip
    good = xlsx(cement_rows(ent.uscc or "", period=2025))
    r = api.client.post(url, data={"_csrf_token": token, "year": "2025"}, files={"file": ("good.xlsx", good, mime)})
    assert r.status_code == 200 and "已导入 1 份草稿" in r.text, r.text[-1500:]
    [draft] = api.client.get(
        f"/v1/enterprises/{ent.uscc}/filings", params={"period": 2025}, headers=ent.headers
    ).json()["items"]
    assert draft["status"] == "draft"


def test_a_page_that_fails_answers_the_html_error_page(api: Api, town: City, monkeypatch: pytest.MonkeyPatch) -> None:
    import service.console.city as city_pages

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    _login(api, town.regulator)
    monkeypatch.setattr(city_pages, "_by_district", broken)
    r = _get(api, "/console/city.csv", year=2024)
    assert r.status_code == 500 and "text/html" in r.headers["content-type"] and "出错了" in r.text
