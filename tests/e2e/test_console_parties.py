"""The console's enterprise, bank and finance-bureau pages over HTTP (issue 19 parts 3 and 4):
consents granted and withdrawn through forms (the API then shows them), the access log showing a
bank's read, a verifier engaged, finance offers and a request sent to two banks, a rating token
verified on the server (and a tampered one refused), the financed-emissions calculator giving the
API's figures for the same loan book, the finance bureau's figures; each page refused to the wrong
role and another enterprise; a form without its CSRF token changing nothing."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest

from domain.organisations import OrgKind
from service.display import tonnes
from tests.e2e.test_console import CSRF, _login, https  # noqa: F401  # https: the autouse fixture
from tests.e2e.test_finance_products import green_loan
from tests.helpers import Api, Caller, City, build_city, run_round

UNTIL = str(dt.date.today() + dt.timedelta(days=365))


@pytest.fixture
def town(api: Api) -> City:
    city = build_city(api, 2, years=(2024,))
    assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
    return city


def _get(api: Api, path: str, **params: Any) -> Any:
    """GET `path` (its own query kept: httpx replaces it with `params` when they are given)."""
    return api.client.get(path, params=params or None, follow_redirects=False)


def _token_of(api: Api, path: str) -> str:
    r = _get(api, path)
    assert r.status_code == 200, r.text[-1500:]
    return CSRF.search(r.text).group(1)  # type: ignore[union-attr]


def _post(api: Api, path: str, token: str | None, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    body = {**(data or {}), **({"_csrf_token": token} if token else {})}
    return api.client.post(path, data=body, follow_redirects=False, **kw)


def _consents(api: Api, ent: Caller) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/consents", headers=ent.headers)
    assert r.status_code == 200, r.text
    return list(r.json())


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_enterprise_grants_and_withdraws_a_consent_and_sees_the_bank_read(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    bank = api.admin_created(town.admin, "bank")
    _login(api, ent)
    path = f"/console/enterprises/{ent.uscc}/consents"
    token = _token_of(api, path)
    form = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "grade_only", "expires_at": UNTIL}

    assert _post(api, path, None, form).status_code == 403  # no CSRF token: refused, nothing written
    past = _post(api, path, token, {**form, "expires_at": "2020-01-01"})
    assert past.status_code == 422 and 'id="expires_at-error"' in past.text and "须为将来的时间" in past.text
    no_bank = _post(api, path, token, {**form, "bank_org_id": town.verifier.org_id})
    assert no_bank.status_code == 422 and 'id="bank_org_id-error"' in no_bank.text
    assert _consents(api, ent) == []

    done = _post(api, path, token, form)
    assert done.status_code == 303 and done.headers["location"] == f"{path}?done=granted"
    [consent] = _consents(api, ent)
    assert (consent["bank_org_id"], consent["scope"], consent["active"]) == (bank.org_id, "grade_only", True)
    assert consent["expires_at"].startswith(UNTIL)
    shown = _get(api, done.headers["location"])
    assert shown.status_code == 200 and "已授权" in shown.text and "bank org" in shown.text

    # the bank reads the rating; the access log page names it
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=bank.headers).status_code == 200
    log = _get(api, f"/console/enterprises/{ent.uscc}/access-log")
    assert log.status_code == 200 and 'id="access-log"' in log.text
    assert re.search(r"bank org\s*</th>\s*<td>银行</td>\s*<td>评价</td>", log.text), log.text[-2000:]

    withdrawal = f"{path}/{consent['id']}/withdrawal"
    assert _post(api, withdrawal, None).status_code == 403
    assert _consents(api, ent)[0]["active"] is True  # without its token the form changed nothing
    gone = _post(api, withdrawal, token)
    assert gone.status_code == 303 and gone.headers["location"] == f"{path}?done=withdrawn"
    [after] = _consents(api, ent)
    assert after["active"] is False and after["withdrawn_at"] is not None
    again = _post(api, withdrawal, token)
    assert again.status_code == 409 and "已撤回" in again.text  # the use case's refusal, on the page
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=bank.headers).status_code == 404


def test_an_enterprise_engages_a_verifier(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    second = api.admin_created(town.admin, "verifier")
    _login(api, ent)
    path = f"/console/enterprises/{ent.uscc}/verifiers"
    token = _token_of(api, path)
    assert _post(api, path, None, {"verifier_org_id": second.org_id}).status_code == 403
    r = _post(api, path, token, {"verifier_org_id": second.org_id})
    assert r.status_code == 303 and r.headers["location"] == f"{path}?done=engaged"
    engaged = api.client.get(f"/v1/enterprises/{ent.uscc}/verifiers", headers=ent.headers).json()
    assert {e["verifier_org_id"] for e in engaged} == {town.verifier.org_id, second.org_id}
    page = _get(api, r.headers["location"])
    assert page.status_code == 200 and page.text.count("verifier org") >= 2
    twice = _post(api, path, token, {"verifier_org_id": second.org_id})
    assert twice.status_code == 409 and "already engaged" not in twice.text and "已" in twice.text
    assert len(api.client.get(f"/v1/enterprises/{ent.uscc}/verifiers", headers=ent.headers).json()) == 2


def test_finance_offers_and_a_request_to_two_banks_through_the_form(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    one, two = api.admin_created(town.admin, "bank"), api.admin_created(town.admin, "bank")
    product = api.client.post("/v1/finance-products", json=green_loan(), headers=one.headers)
    assert product.status_code == 201, product.text
    offers = api.client.get(f"/v1/enterprises/{ent.uscc}/finance-offers", headers=ent.headers).json()
    [item] = offers["items"]

    _login(api, ent)
    path = f"/console/enterprises/{ent.uscc}/finance"
    page = _get(api, path)
    assert page.status_code == 200, page.text[-1500:]
    table = re.search(r'<table class="offer" id="offer-[^"]+">.*?</table>', page.text, re.S).group(0)  # type: ignore[union-attr]
    assert ("不符合条件" in table) == (not item["eligible"])
    rows = re.findall(r'<th scope="row">[^<]+</th><td>([√×])', table)
    assert rows == ["√" if c["passed"] else "×" for c in item["checks"]]  # each rule as the API matched it

    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    send = f"/console/enterprises/{ent.uscc}/financing-requests"
    form = {"amount_yuan": "30000000", "purpose": "credit", "use_of_proceeds": "余热发电改造", "term_months": "36",
            "scope": "full", "expires_at": UNTIL, "banks": [one.org_id, two.org_id],
            f"product.{one.org_id}": item["product"]["id"]}  # fmt: skip
    assert _post(api, send, None, form).status_code == 403
    none = _post(api, send, token, {**form, "banks": []})
    assert none.status_code == 422 and 'id="banks-error"' in none.text
    bad = _post(api, send, token, {**form, "amount_yuan": "0"})
    assert bad.status_code == 422 and 'id="amount_yuan-error"' in bad.text
    assert api.client.get(f"/v1/enterprises/{ent.uscc}/financing-requests", headers=ent.headers).json() == []

    sent = _post(api, send, token, form)
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?done=sent", sent.text[-1500:]
    [req] = api.client.get(f"/v1/enterprises/{ent.uscc}/financing-requests", headers=ent.headers).json()
    assert {r["bank_org_id"]: r["product_id"] for r in req["recipients"]} == {
        one.org_id: item["product"]["id"],
        two.org_id: None,
    }
    assert {c["bank_org_id"] for c in _consents(api, ent) if c["active"]} == {one.org_id, two.org_id}
    answered = api.client.post(f"/v1/financing-requests/{req['id']}/answers", json={"status": "under_review"},
                               headers=one.headers)  # fmt: skip
    assert answered.status_code == 200
    shown = _text(_get(api, sent.headers["location"]).text)
    assert "融资申请已发送" in shown and "30,000,000.00 元" in shown
    assert "审查中" in shown and "已收到" in shown  # each bank's answer

    closed = _post(api, f"{send}/{req['id']}/withdrawal", token)
    assert closed.status_code == 303 and closed.headers["location"] == f"{path}?done=closed"
    [req] = api.client.get(f"/v1/enterprises/{ent.uscc}/financing-requests", headers=ent.headers).json()
    assert (req["status"], req["closed_reason"]) == ("closed", "withdrawn")
    assert not [c for c in _consents(api, ent) if c["active"]]


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["colour"] = "dark_green" if claims["colour"] != "dark_green" else "red"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_the_verify_page_checks_a_token_on_the_server(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    rating = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    expected = api.client.post("/v1/verify", json={"token": rating["token"]}).json()
    token = _token_of(api, "/console/verify")  # anyone, as POST /v1/verify
    good = _post(api, "/console/verify", token, {"token": rating["token"]})
    assert good.status_code == 200 and "有效：签名成立" in good.text
    assert f'<code id="kid">{expected["kid"]}</code>' in good.text and rating["id"] in good.text
    bad = _post(api, "/console/verify", token, {"token": _tampered(rating["token"])})
    assert bad.status_code == 200 and "×" in bad.text and "有效：签名成立" not in bad.text
    assert f'<code id="kid">{expected["kid"]}</code>' in bad.text and "signature" in bad.text
    both = _post(api, "/console/verify", token, {"token": rating["token"], "certificate_no": "ZB-X"})
    assert both.status_code == 422 and 'id="token-error"' in both.text
    assert _post(api, "/console/verify", None, {"token": rating["token"]}).status_code == 403
    _login(api, town.regulator)
    nav = _get(api, "/console/verify")
    assert nav.status_code == 200 and "/console/city" in nav.text  # logged in: its navigation too


def test_the_financed_emissions_upload_gives_the_apis_figures(api: Api, town: City) -> None:
    own, other = town.enterprises
    bank = api.admin_created(town.admin, "bank")
    body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "full", "expires_at": f"{UNTIL}T00:00:00+08:00"}
    assert api.client.post(f"/v1/enterprises/{own.uscc}/consents", json=body, headers=own.headers).status_code == 201
    loans = [
        {"uscc": own.uscc, "outstanding_yuan": "25000000", "equity_plus_debt_yuan": "100000000"},
        {"uscc": other.uscc, "outstanding_yuan": "10000000", "equity_plus_debt_yuan": "50000000"},
    ]
    csv = "uscc,outstanding_yuan,equity_plus_debt_yuan\n" + "".join(
        f"{x['uscc']},{x['outstanding_yuan']},{x['equity_plus_debt_yuan']}\n" for x in loans
    )
    _login(api, bank)
    token = _token_of(api, "/console/financed-emissions")
    files = {"file": ("book.csv", csv.encode(), "text/csv")}
    assert _post(api, "/console/financed-emissions", None, files=files).status_code == 403
    r = _post(api, "/console/financed-emissions", token, files=files)
    assert r.status_code == 200 and 'id="loans"' in r.text, r.text[-1500:]
    expected = api.client.post("/v1/portfolio/financed-emissions", json={"loans": loans}, headers=bank.headers).json()
    assert [x["status"] for x in expected["loans"]] == ["ok", "no_consent"]
    first = expected["loans"][0]
    row = re.search(rf"<th scope=\"row\">{own.uscc}</th>.*?</tr>", r.text, re.S).group(0)  # type: ignore[union-attr]
    assert f"<td>{tonnes(first['scope1_tco2'])}</td><td>{tonnes(first['scope2_tco2'])}</td>" in row
    assert "无完整授权" in r.text  # the unconsented borrower: no figures
    assert f'<td id="total-scope1">{tonnes(expected["scope1_tco2"])}</td>' in r.text
    assert f'<td id="total-scope2">{tonnes(expected["scope2_tco2"])}</td>' in r.text
    pasted = _post(api, "/console/financed-emissions", token, {"loans": csv})  # pasted, not uploaded: the same
    assert pasted.status_code == 200 and row in pasted.text
    log = api.client.get(f"/v1/enterprises/{own.uscc}/access-log", headers=own.headers).json()["items"]
    assert [e["what"] for e in log if e["org_id"] == bank.org_id] == ["financed_emissions"] * 3  # page (twice), API
    assert api.client.get(f"/v1/enterprises/{other.uscc}/access-log", headers=other.headers).json()["items"] == []

    wrong = f"uscc,outstanding_yuan,equity_plus_debt_yuan\n{own.uscc},lots,100\n"
    bad = _post(api, "/console/financed-emissions", token, files={"file": ("b.csv", wrong.encode(), "text/csv")})
    assert bad.status_code == 422 and 'id="problems"' in bad.text
    assert re.search(r"<td>2</td><td>outstanding_yuan</td>", bad.text), bad.text[-1500:]
    both = f"uscc,outstanding_yuan,equity_plus_debt_yuan,evic_yuan\n{own.uscc},1,100,100\n"
    bad = _post(api, "/console/financed-emissions", token, files={"file": ("b.csv", both.encode(), "text/csv")})
    assert bad.status_code == 422 and "<td>2</td><td>equity_plus_debt_yuan</td>" in bad.text


def test_the_finance_bureau_sees_the_years_figures(api: Api, town: City) -> None:
    ent = town.enterprises[0]
    bank = api.admin_created(town.admin, "bank")
    finance = api.bootstrap(OrgKind.FINANCE_REGULATOR)
    body = {"amount_yuan": "20000000", "purpose": "credit", "use_of_proceeds": "改造", "term_months": 24,
            "expires_at": f"{UNTIL}T00:00:00+08:00", "banks": [{"bank_org_id": bank.org_id}]}  # fmt: skip
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/financing-requests", json=body, headers=ent.headers)
    assert r.status_code == 201, r.text
    year = r.json()["year"]
    expected = api.client.get("/v1/stats/finance", params={"year": year}, headers=finance.headers).json()
    _login(api, finance)
    page = _get(api, "/console/finance-stats", year=year)
    assert page.status_code == 200 and 'id="totals"' in page.text
    totals = re.search(r'<table id="totals">.*?</table>', page.text, re.S).group(0)  # type: ignore[union-attr]
    assert f"<td>{expected['totals']['requests']}</td><td>20,000,000.00</td>" in totals
    assert 'id="by_district"' in page.text and "张店区" in page.text
    csv = _get(api, "/console/finance-stats.csv", year=year)
    api_csv = api.client.get("/v1/stats/finance", params={"year": year},
                             headers={**finance.headers, "Accept": "text/csv"})  # fmt: skip
    assert csv.status_code == 200 and csv.content == api_csv.content and csv.text.startswith("\ufeff")
    assert "attachment" in csv.headers["content-disposition"]


def test_each_page_refuses_the_wrong_role_and_another_enterprise(api: Api, town: City) -> None:
    own, other = town.enterprises
    bank = api.admin_created(town.admin, "bank")
    mine = [f"/console/enterprises/{own.uscc}/{p}" for p in ("consents", "access-log", "verifiers", "finance")]
    theirs = [p.replace(own.uscc or "", other.uscc or "") for p in mine]
    bank_pages = ["/console/financed-emissions"]
    bureau = ["/console/finance-stats"]

    _login(api, own)
    assert [_get(api, p).status_code for p in mine] == [200] * 4
    assert [_get(api, p).status_code for p in theirs] == [404] * 4
    assert [_get(api, p).status_code for p in bank_pages + bureau] == [403, 403]
    token = _token_of(api, mine[0])
    grant = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "full", "expires_at": UNTIL}
    assert _post(api, f"/console/enterprises/{other.uscc}/consents", token, grant).status_code == 404
    assert _consents(api, other) == []

    _login(api, bank)
    assert [_get(api, p).status_code for p in mine] == [403] * 4
    assert _get(api, bank_pages[0]).status_code == 200 and _get(api, bureau[0]).status_code == 403

    _login(api, town.regulator)  # reads what the API lets it read; writes nothing
    assert [_get(api, p).status_code for p in mine] == [200] * 4
    page = _get(api, mine[0])
    assert "grant-title" not in page.text
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    assert _post(api, f"/console/enterprises/{own.uscc}/consents", token, grant).status_code == 403
    assert _get(api, bureau[0]).status_code == 200 and _get(api, bank_pages[0]).status_code == 403
    assert _consents(api, own) == []
