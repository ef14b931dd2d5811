"""The regulator and rating-authority pages of the console (issue 19.2) over HTTP: the city's plan
indicators and CO2 intensity against the trajectory, the 关停/改造 and surcharge lists, the rating
rounds with their certificates (one and zip), the objections answered by form. Every figure is
checked against the API's JSON for the same year; every page is 403 for a bank and sends a
browser without a session to the login; forms without their CSRF token change nothing.

One city for the module (the rounds and certificates are the slow part):
  A 张店 370303, cement: 2023 clinker 85 000 tce ÷ 800 000 t = 106.25 kgce/t (between 标杆 100 and
    基准 117); 2024 100 000 tce → 125 kgce/t, below 基准: two retrofit rules, red. Objects to its
    2024 rating.
  B 张店 370303, electrolytic aluminium, 2024 only: 13 700 kWh/t, past 13 650 by two full steps →
    0.02 yuan/kWh × 1 370 000 000 kWh = 27 400 000.00 yuan (tests/e2e/test_policy_lists.py).
  C 临淄 370305, cement, 2023 and 2024: 75 000 tce → 93.75 kgce/t, at 标杆.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from domain.organisations import OrgKind
from service.app import create_app
from service.display import intensity, tonnes, yuan
from service.settings import Settings
from tests import db as testdb
from tests.e2e.test_policy_lists import ALUMINIUM
from tests.helpers import Api, Caller, City, Filings, build_city, cement, new_uscc, run_round

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
PAGES = ("/console/city?year=2024", "/console/city-indicators.csv?year=2024", "/console/city-intensity.csv",
         "/console/policy?year=2024", "/console/policy.csv?year=2024", "/console/rounds", "/console/objections")  # fmt: skip


class World(msgspec.Struct, kw_only=True):
    api: Api
    city: City
    a: Caller
    b: Caller
    c: Caller
    bank: Caller
    finance: Caller
    objection_id: str
    rounds: dict[int, str]


@pytest.fixture(scope="module")
def world(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[World]:
    owner, app_url = testdb.create_from_template(pg_url, template_db)
    settings = Settings(database_url=owner, app_database_url=app_url, secret_key="test-secret-key-not-for-production",
                        job_poll_seconds=0.1, pdf_workers=0, cjk_font=os.environ.get("CARBON_CJK_FONT"))  # fmt: skip
    with TestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        api = Api(client, settings)
        city = build_city(api, 0)
        f = Filings(api)

        def enterprise(district: str, industry: str, name: str) -> Caller:
            ent, _ = api.register(uscc=new_uscc(district), district=district, industry=industry, name=name)
            api.decide(city.regulator, ent.uscc or "", "approve")
            return ent

        a = enterprise("370303", "3011", "淄博甲水泥有限公司")
        b = enterprise("370303", "3216", "淄博乙铝业有限公司")
        c = enterprise("370305", "3011", "淄博丙水泥有限公司")
        f.submitted(a, 2023, cement(clinker_energy="85000"))
        f.submitted(c, 2023, cement(value_added="60000", clinker_energy="75000"))
        f.submitted(a, 2024, cement(clinker_energy="100000"))
        f.submitted(b, 2024, ALUMINIUM)
        f.submitted(c, 2024, cement(value_added="65000", clinker_energy="75000"))
        rounds = {}
        for year in (2023, 2024):
            done = run_round(api, city.rating_authority, year)
            assert done["status"] == "completed", done
            rounds[year] = done["id"]
        rating = _latest(api, a)
        r = client.post(f"/v1/ratings/{rating['id']}/objections", json={"statement": "熟料能耗计量有误"},
                        headers=a.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        yield World(api=api, city=city, a=a, b=b, c=c, bank=api.admin_created(city.admin, "bank"),
                    finance=api.bootstrap(OrgKind.FINANCE_REGULATOR), objection_id=r.json()["id"], rounds=rounds)  # fmt: skip
    dropper.drop_later(make_url(owner).database or "")


def _latest(api: Api, ent: Caller) -> dict[str, Any]:
    return dict(api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json())


def _login(api: Api, who: Caller) -> None:
    api.client.cookies.clear()
    page = api.client.get("/console/login")
    form = {"_csrf_token": CSRF.search(page.text).group(1), "client_id": who.client_id,  # type: ignore[union-attr]
            "client_secret": who.client_secret, "next": "/console/"}  # fmt: skip
    r = api.client.post("/console/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text


def _get(api: Api, path: str, **params: Any) -> Any:
    return api.client.get(path, params=params or None, follow_redirects=False)  # {} would drop the path's query


def _ok(api: Api, path: str, **params: Any) -> Any:
    r = _get(api, path, **params)
    assert r.status_code == 200, r.text[-2000:]
    return r


def _api(w: World, path: str, who: Caller | None = None, **params: Any) -> Any:
    r = w.api.client.get(path, params=params, headers=(who or w.city.regulator).headers)
    assert r.status_code == 200, r.text
    return r.json()


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _wait_certificates(w: World, year: int) -> list[str]:
    """The round's ratings, once each one's certificate is rendered (the job renders them after the round)."""
    ids = [_latest(w.api, e)["id"] for e in (w.a, w.b, w.c) if year == 2024 or e is not w.b]
    deadline = time.monotonic() + 60
    for rating_id in ids:
        while True:
            r = w.api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=w.city.regulator.headers)
            if r.status_code == 200:
                break
            assert r.status_code == 503 and time.monotonic() < deadline, r.text
            time.sleep(0.1)
    return ids


def _every_page(w: World) -> list[str]:
    return [*PAGES, f"/console/rounds/{w.rounds[2024]}", f"/console/rounds/{w.rounds[2024]}/certificates.zip"]


def test_without_a_session_every_page_sends_the_browser_to_the_login(world: World) -> None:
    world.api.client.cookies.clear()
    for path in _every_page(world):
        r = _get(world.api, path)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next="), path


def test_a_bank_may_open_none_of_them(world: World) -> None:
    api = world.api
    _login(api, world.bank)
    for path in _every_page(world):
        r = _get(api, path)
        assert r.status_code == 403 and "text/html" in r.headers["content-type"], path
    token = CSRF.search(_ok(api, "/console/borrowers").text).group(1)  # type: ignore[union-attr]
    r = api.client.post(f"/console/objections/{world.objection_id}/decision",
                        data={"_csrf_token": token, "decision": "uphold", "reply": "x"})  # fmt: skip
    assert r.status_code == 403
    assert _api(world, "/v1/objections", world.city.rating_authority, status="open")[0]["status"] == "open"


def test_the_city_page_shows_the_plans_indicators_as_the_api_computes_them(world: World) -> None:
    api = world.api
    _login(api, world.city.regulator)
    page = _ok(api, "/console/city", year=2024).text
    data = _api(world, "/v1/stats/overview", year=2024)
    assert page.count("<svg") == 3 and page.count('role="img"') == 3  # colours, share at 标杆, intensity
    assert f'id="key-enterprises">{data["key_enterprises"]}<' in page and data["key_enterprises"] == 3
    assert f'id="total-energy">{tonnes(data["totals"]["energy_tce"])}<' in page
    assert f'id="total-scope1">{tonnes(data["totals"]["scope1_tco2"])}<' in page
    products = {p["product"]: p for p in data["products"]}
    clinker = products["cement_clinker"]
    # A's 800 000 t below 基准, C's 800 000 t at 标杆: half the clinker capacity, past the 30 % goal
    assert (clinker["share_at_benchmark"], clinker["meets_goal"], clinker["below_baseline"]) == ("0.5", True, 1)
    assert "50.00 %" in page and "30.00 %" in page
    assert products["electrolytic_aluminium"]["share_at_benchmark"] == "0"
    below = sorted(b["uscc"] for b in data["below_baseline"])
    assert below == sorted([world.a.uscc, world.b.uscc]) and f'id="below-count">{len(below)}<' in page
    assert all(uscc in page for uscc in below) and world.c.uscc not in page


def _intensity(w: World, year: int) -> Decimal:
    """Σ CO2 ÷ Σ value added over the year's accounts, from each enterprise's account in the API."""
    co2 = value_added = Decimal(0)
    for ent in (w.a, w.b, w.c):
        years = _api(w, f"/v1/enterprises/{ent.uscc}/account", ent, year=year)["years"]
        for y in years:
            if y["year"] == year and y["current"]:
                result = y["current"]["result"]
                co2 += Decimal(result["emissions"]["total"])
                value_added += Decimal(result["value_added_wan"])
    return co2 / value_added


def test_co2_intensity_by_year_against_the_trajectory_with_its_source(world: World) -> None:
    api = world.api
    _login(api, world.city.rating_authority)
    page = _ok(api, "/console/city", year=2024).text
    i2023, i2024 = _intensity(world, 2023), _intensity(world, 2024)
    target2024 = i2023 * (1 - Decimal("0.0448"))  # anchored at 2023, the first year rated
    section = page[page.index('id="intensity"') :]
    assert intensity(i2023) in section and intensity(i2024) in section and intensity(target2024) in section
    assert "鲁政字〔2022〕242号" in section and "UNCONFIRMED" in section and "4.48" in section
    assert "2023 年为起点" in section  # the data hold no 2020 base: said, not hidden
    rows = _csv_rows(_ok(api, "/console/city-intensity.csv").text)
    assert rows[1][0] == "2023" and rows[1][5] == intensity(i2023, grouping=False) == rows[1][6]
    assert rows[2][0] == "2024" and rows[2][5] == intensity(i2024, grouping=False)
    assert rows[2][6] == intensity(target2024, grouping=False)
    assert rows[2][7] == ("是 yes" if i2024 <= target2024 else "否 no")
    assert any(r and r[-1] == "UNCONFIRMED" for r in rows)


def test_the_city_csvs_are_the_apis_tables(world: World) -> None:
    api = world.api
    _login(api, world.finance)  # the finance regulator reads the city too, as GET /v1/stats/overview allows
    ours = _ok(api, "/console/city-indicators.csv", year=2024)
    assert "attachment" in ours.headers["content-disposition"] and "text/csv" in ours.headers["content-type"]
    theirs = api.client.get("/v1/stats/overview", params={"year": 2024},
                            headers={**world.finance.headers, "Accept": "text/csv"})  # fmt: skip
    assert ours.text == theirs.text
    colours = _csv_rows(_ok(api, "/console/city.csv", year=2024).text)
    assert sum(int(r[-1]) for r in colours[1:]) == 3


def test_the_policy_lists_and_their_yuan_totals_are_the_apis(world: World) -> None:
    api = world.api
    _login(api, world.city.regulator)
    page = _ok(api, "/console/policy", year=2024).text
    for kind in ("phase_out_listed", "retrofit_required", "power_surcharge"):
        listed = _api(world, "/v1/policy/consequences", year=2024, kind=kind)
        section = page[page.index(f'id="{kind}"') :]
        section = section[: section.index("</section>")]
        assert f'class="n-consequences">{listed["consequences"]}<' in section, kind
        assert f'class="n-enterprises">{listed["enterprises"]}<' in section, kind
        assert f'class="n-yuan">{yuan(listed["amount_yuan"])}<' in section, kind
        assert all(i["uscc"] in section for i in listed["items"])
    surcharge = _api(world, "/v1/policy/consequences", year=2024, kind="power_surcharge")
    assert (surcharge["enterprises"], surcharge["amount_yuan"]) == (1, "27400000.00")
    assert "27,400,000.00" in page
    only = _ok(api, "/console/policy", year=2024, kind="power_surcharge").text
    assert 'id="power_surcharge"' in only and 'id="retrofit_required"' not in only
    ours = _ok(api, "/console/policy.csv", year=2024, kind="power_surcharge")
    theirs = api.client.get("/v1/policy/consequences", params={"year": 2024, "kind": "power_surcharge"},
                            headers={**world.city.regulator.headers, "Accept": "text/csv"})  # fmt: skip
    assert ours.text == theirs.text and "attachment" in ours.headers["content-disposition"]
    log = _api(world, f"/v1/enterprises/{world.b.uscc}/access-log", world.b)["items"]
    assert any(e["what"] == "policy" and e["org_id"] == str(world.city.regulator.org_id) for e in log)


def test_the_rounds_show_their_progress_and_give_each_certificate_and_the_zip(world: World) -> None:
    api = world.api
    ids = _wait_certificates(world, 2024)
    _login(api, world.city.rating_authority)
    listing = _ok(api, "/console/rounds").text
    for r in _api(world, "/v1/rating-rounds"):
        assert r["id"] in listing and r["status"] == "completed"
        assert f"{r['progress_done']} / {r['progress_total']}" in listing
    assert f"/console/rounds/{world.rounds[2024]}/certificates.zip" in listing
    detail = _ok(api, f"/console/rounds/{world.rounds[2024]}").text
    for rating_id in ids:
        assert f"/console/ratings/{rating_id}/certificate.pdf" in detail
    one = _ok(api, f"/console/ratings/{ids[0]}/certificate.pdf")
    assert one.content.startswith(b"%PDF")
    archive = _ok(api, f"/console/rounds/{world.rounds[2024]}/certificates.zip")
    assert archive.headers["content-type"].startswith("application/zip")
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    theirs = api.client.get(f"/v1/rating-rounds/{world.rounds[2024]}/certificates.zip",
                            headers=world.city.rating_authority.headers)  # fmt: skip
    assert names == zipfile.ZipFile(io.BytesIO(theirs.content)).namelist()
    assert sorted(n.split("-")[0] for n in names) == sorted([world.a.uscc, world.b.uscc, world.c.uscc])
    one_district = _ok(api, f"/console/rounds/{world.rounds[2024]}/certificates.zip", district="370305")
    assert [n.split("-")[0] for n in zipfile.ZipFile(io.BytesIO(one_district.content)).namelist()] == [world.c.uscc]
    _login(api, world.finance)
    assert _get(api, f"/console/rounds/{world.rounds[2024]}/certificates.zip").status_code == 200


def test_the_rating_authority_answers_an_objection_by_the_form(world: World) -> None:
    api, oid = world.api, world.objection_id
    _login(api, world.city.regulator)  # reads them (GET /v1/objections) but may not decide
    seen = _ok(api, "/console/objections").text
    assert world.a.uscc in seen and "熟料能耗计量有误" in seen and f"/console/objections/{oid}/decision" not in seen
    _login(api, world.city.rating_authority)
    page = _ok(api, "/console/objections").text
    assert f'action="/console/objections/{oid}/decision"' in page
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    path = f"/console/objections/{oid}/decision"

    def status() -> str:
        return str(_api(world, "/v1/objections", world.city.rating_authority)[0]["status"])

    r = api.client.post(path, data={"decision": "uphold", "reply": "计量核实有误"}, follow_redirects=False)
    assert r.status_code == 403 and status() == "open"  # no CSRF token: nothing changed
    r = api.client.post(path, data={"_csrf_token": token, "decision": "uphold", "reply": "  "})
    assert r.status_code == 422 and f'id="reply-{oid}-error"' in r.text and status() == "open"
    r = api.client.post(path, data={"_csrf_token": token, "decision": "uphold", "reply": "计量核实有误"},
                        follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"/console/objections?decided={oid}"
    after = _ok(api, r.headers["location"]).text
    assert f"{world.a.uscc} 的异议：已支持" in after and "没有此状态的异议" in after  # no open one is left
    [decided] = _api(world, "/v1/objections", world.city.rating_authority, status="upheld")
    assert (decided["id"], decided["status"], decided["reply"]) == (oid, "upheld", "计量核实有误")
    assert _ok(api, "/console/objections", status="upheld").text.count("计量核实有误") == 1
    again = api.client.post(path, data={"_csrf_token": token, "decision": "dismiss", "reply": "x"})
    assert again.status_code == 409  # decided once: the use case refuses a second answer
