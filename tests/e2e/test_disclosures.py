"""披露 (issue 18.5): after a round every rated enterprise-year has a public record with exactly the
documented fields, its figures those of the account (worked by hand below); nothing for an
enterprise without a completed rating; a regulator withholds and releases; a re-rating
re-publishes; the Atom and JSON feeds list the records newest first."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import asyncpg
import msgspec
import pytest

from tests import db as testdb
from tests.helpers import CEMENT_CONTENT, REPORT_SHA256, Api, Caller, City, Filings, build_city, cement, run_round

PATH = "/v1/disclosures"
ATOM = "{http://www.w3.org/2005/Atom}"

# The documented record (docs/disclosure.md), and nothing else of the filing.
RECORD_KEYS = {"uscc", "name", "year", "district", "district_name", "sector", "sector_name", "industry",
               "industry_name", "emissions", "emissions_verified", "energy_tce", "intensity", "intensity_unit",
               "colour", "grade", "methodology_version", "verification", "rating_id", "rating_status", "verify_url",
               "published_at", "withheld"}  # fmt: skip
EMISSIONS_KEYS = {"scope1_tco2", "combustion_tco2", "process_tco2", "captured_tco2", "scope2_tco2",
                  "electricity_tco2", "heat_tco2", "total_tco2", "total_tco2e"}  # fmt: skip
VERIFICATION_KEYS = {"verifier", "report_sha256", "verified_at"}
WITHHELD_KEYS = {"uscc", "name", "year", "withheld", "withheld_reason", "withheld_at"}

# The first enterprise files CEMENT_CONTENT (tests/helpers.py) for 2023; its account, by hand:
#   combustion  100 000 t bituminous coal × 23.204 GJ/t × 0.02618 tC/GJ × 0.93 × 44/12 = 207 150.92552 tCO2
#   process     800 000 t clinker × (0.65 × 44/56 + 0.02 × 44/40) = 800 000 × 0.532714285714… = 426 171.428571428571… tCO2
#   captured    0
#   scope 1     207 150.92552 + 426 171.428571428571… = 633 322.354091428571… tCO2
#   scope 2     50 000 MWh purchased × 0.6096 tCO2/MWh (2023 grid) = 30 480 tCO2 (no heat)
#   total       663 802.354091428571… tCO2
#   energy      2 320 400 GJ ÷ 29.3076 GJ/tce = 79 174.002647777368… + 50 000 MWh × 0.1229 = 85 319.002647777368… tce
#   intensity   L = 663 802.354091428571… ÷ 50 000 万元 = 13.276047081828… → 13.276047 tCO2/万元 (the rating's, 6 places)
COMBUSTION, PROCESS, SCOPE1 = Decimal("207150.92552"), Decimal("426171.428571428571"), Decimal("633322.354091428571")
SCOPE2, TOTAL, ENERGY = Decimal("30480"), Decimal("663802.354091428571"), Decimal("85319.002647777368")
Q = Decimal("1e-12")


def q(value: str) -> Decimal:
    return Decimal(value).quantize(Q)


class Town(msgspec.Struct, kw_only=True):
    city: City
    linzi: Caller  # rated, in 临淄区 (370305), its filing unverified
    unrated: Caller  # approved, a 2023 draft only: no completed rating


@pytest.fixture
def town(api: Api) -> Town:
    def content(i: int, year: int) -> dict[str, Any]:
        return CEMENT_CONTENT if i == 0 else cement(value_added=str(40000 + 5000 * i))

    city = build_city(api, 3, content=content, verified=lambda i, year: i != 2)
    f = Filings(api)
    linzi, _ = api.register(district="370305")
    api.decide(city.regulator, linzi.uscc or "", "approve")
    f.submitted(linzi, 2023, cement(value_added="60000"))
    unrated, _ = api.register()
    api.decide(city.regulator, unrated.uscc or "", "approve")
    f.create(unrated, 2023)
    assert run_round(api, city.rating_authority, 2023)["status"] == "completed"
    return Town(city=city, linzi=linzi, unrated=unrated)


def _record(api: Api, uscc: str | None, year: int = 2023) -> dict[str, Any]:
    r = api.client.get(f"{PATH}/{uscc}/{year}")  # no token: public
    assert r.status_code == 200, r.text
    return dict(r.json())


def _list(api: Api, **params: Any) -> list[dict[str, Any]]:
    r = api.client.get(PATH, params={"year": 2023, **params})
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _rating(api: Api, town: Town, ent: Caller) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=town.city.regulator.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _problem(r: Any) -> tuple[Any, ...]:
    body = r.json()
    return (r.status_code, body["type"], body["title"], body["detail"])


def test_every_rated_enterprise_has_a_record_and_no_other(api: Api, town: Town) -> None:
    rated = [*town.city.enterprises, town.linzi]
    items = _list(api)
    assert [i["uscc"] for i in items] == sorted(e.uscc or "" for e in rated)
    assert town.unrated.uscc not in {i["uscc"] for i in items}
    for item in items:
        assert set(item) == RECORD_KEYS and item["withheld"] is False and item["year"] == 2023
        assert item == _record(api, item["uscc"])
    # Nothing for an enterprise without a completed rating: the answer for a USCC nobody holds.
    none = api.client.get(f"{PATH}/{town.unrated.uscc}/2023")
    nobody = api.client.get(f"{PATH}/{town.city.enterprises[0].uscc}/2022")  # rated, but not in 2022
    unknown = api.client.get(f"{PATH}/91370303MA3C00000X/2023")
    assert none.status_code == 404 and none.headers["content-type"].startswith("application/problem+json")
    assert _problem(none) == _problem(nobody) == _problem(unknown)
    assert _list(api, year=2022) == []


def test_the_record_holds_the_documented_fields_worked_by_hand(api: Api, town: Town) -> None:
    ent = town.city.enterprises[0]
    rating = _rating(api, town, ent)
    deadline = time.monotonic() + 60  # the certificate job renders the certificate after the round
    while (rec := _record(api, ent.uscc))["verify_url"] is None:
        assert time.monotonic() < deadline, "the certificate was never rendered"
        time.sleep(0.1)
    assert set(rec) == RECORD_KEYS
    assert set(rec["emissions"]) == EMISSIONS_KEYS and set(rec["verification"]) == VERIFICATION_KEYS
    e = rec["emissions"]
    assert all(isinstance(v, str) for v in e.values() if v is not None)  # decimals as JSON strings
    assert (q(e["combustion_tco2"]), q(e["process_tco2"]), q(e["captured_tco2"])) == (COMBUSTION, PROCESS, 0)
    assert (q(e["scope1_tco2"]), q(e["scope2_tco2"]), q(e["total_tco2"])) == (SCOPE1, SCOPE2, TOTAL)
    assert (q(e["electricity_tco2"]), q(e["heat_tco2"])) == (SCOPE2, 0)
    assert q(rec["energy_tce"]) == ENERGY
    assert q(e["total_tco2e"]) == TOTAL  # no non-CO2 gas: CO2e is CO2
    # Methodology 2 rates CO2e (CO2 here): its L, to 6 places, in tCO2e/万元.
    assert rec["methodology_version"] == "2"
    assert rec["intensity"] == "13.276047" and rec["intensity_unit"] == "tCO2e/万元"
    assert (rec["uscc"], rec["district"], rec["district_name"], rec["industry"]) == (
        ent.uscc,
        "370303",
        "张店区",
        "3011",
    )
    assert (rec["sector"], rec["sector_name"]) == ("building_materials", "建材")
    # The rating's: its id, colour, grade, methodology, status and certificate.
    assert rec["rating_id"] == rating["id"] and rec["rating_status"] == "active"
    assert (rec["colour"], rec["grade"], rec["methodology_version"]) == (
        rating["colour"], rating["grade"], rating["methodology_version"])  # fmt: skip
    assert rec["intensity"] == rating["rating"]["figures"]["intensity"]
    regulator_read = api.client.get(f"/v1/ratings/{rating['id']}", headers=town.city.regulator.headers).json()
    assert rec["verify_url"] == regulator_read["verify_url"]
    assert (
        rec["verify_url"]
        == f"{api.settings.public_base_url or 'http://127.0.0.1:8000'}/verify/{regulator_read['certificate_no']}"
    )
    # The filing's verification, and nothing else of the filing.
    assert rec["emissions_verified"] is True
    v = rec["verification"]
    assert (v["verifier"], v["report_sha256"]) == ("verifier org", REPORT_SHA256)
    assert dt.datetime.fromisoformat(v["verified_at"]) <= dt.datetime.fromisoformat(rec["published_at"])
    text = json.dumps(rec, ensure_ascii=False)
    for private in ("value_added", "50000", "clinker", "bituminous", "products", "filing_id"):
        assert private not in text


def test_an_unverified_filing_is_labelled_unverified(api: Api, town: Town) -> None:
    rec = _record(api, town.city.enterprises[2].uscc)
    assert rec["emissions_verified"] is False and rec["verification"] is None
    assert set(rec) == RECORD_KEYS and set(rec["emissions"]) == EMISSIONS_KEYS


def test_the_district_filter_and_cursor_pages(api: Api, town: Town) -> None:
    linzi = _list(api, district="370305")
    assert [i["uscc"] for i in linzi] == [town.linzi.uscc]
    assert linzi[0]["district_name"] == "临淄区"
    zhangdian = _list(api, district="370303")
    assert sorted(i["uscc"] for i in zhangdian) == sorted(e.uscc or "" for e in town.city.enterprises)
    assert _list(api, district="370323") == []
    seen, cursor = [], None
    while True:  # two at a time: every record once, in USCC order
        params = {"year": 2023, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.client.get(PATH, params=params).json()
        seen += [i["uscc"] for i in body["items"]]
        if not (cursor := body.get("next_cursor")):
            break
    assert seen == [i["uscc"] for i in _list(api)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query.year"),
        ({"year": "twenty"}, "query.year"),
        ({"year": 99999}, "query.year"),
        ({"year": 2023, "district": "110101"}, "query.district"),
        ({"year": 2023, "limit": 0}, "query.limit"),
        ({"year": 2023, "cursor": "not-ours"}, "query.cursor"),
    ],
)
def test_bad_query_parameters_are_refused_naming_the_field(api: Api, params: dict[str, Any], field: str) -> None:
    r = api.client.get(PATH, params=params)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]


def _audit(api: Api, target: str) -> list[tuple[str, dict[str, Any]]]:
    async def go() -> list[tuple[str, dict[str, Any]]]:
        conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
        try:
            rows = await conn.fetch("SELECT action, detail FROM audit_events WHERE target = $1 ORDER BY id", target)
            return [(r["action"], json.loads(r["detail"])) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(go())


def test_a_regulator_withholds_and_releases_a_record(api: Api, town: Town) -> None:
    ent, reg = town.city.enterprises[1], town.city.regulator
    url = f"{PATH}/{ent.uscc}/2023/withholding"
    shown = _record(api, ent.uscc)
    reason = {"reason": "异议审理中 (objection open)"}
    assert api.client.post(url, json=reason).status_code == 401
    assert api.client.post(url, json=reason, headers=town.city.rating_authority.headers).status_code == 403
    assert api.client.post(url, json=reason, headers=ent.headers).status_code == 403
    r = api.client.post(url, json=reason, headers=reg.headers)
    assert r.status_code == 200, r.text
    withheld = r.json()
    assert set(withheld) == WITHHELD_KEYS and withheld["withheld"] is True
    assert (withheld["uscc"], withheld["name"], withheld["year"]) == (ent.uscc, shown["name"], 2023)
    assert withheld["withheld_reason"] == reason["reason"]
    assert _record(api, ent.uscc) == withheld
    listed = {i["uscc"]: i for i in _list(api)}
    assert listed[ent.uscc] == withheld and set(listed[town.city.enterprises[0].uscc]) == RECORD_KEYS
    assert reason["reason"] in api.client.get(f"{PATH}/feed.atom").text
    # Twice is 409; the record is unchanged.
    again = api.client.post(url, json={"reason": "again"}, headers=reg.headers)
    assert again.status_code == 409 and again.json()["detail"] == "the disclosure is already withheld"
    assert _record(api, ent.uscc) == withheld
    # Released: the figures again, as they were.
    r = api.client.delete(url, headers=reg.headers)
    assert r.status_code == 200, r.text
    assert r.json() == _record(api, ent.uscc) == {**shown, "verify_url": r.json()["verify_url"]}
    again = api.client.delete(url, headers=reg.headers)
    assert again.status_code == 409 and again.json()["detail"] == "the disclosure is not withheld"
    assert [a for a, _ in _audit(api, f"disclosure:{ent.uscc}:2023")] == ["disclosure.withhold", "disclosure.release"]
    assert _audit(api, f"disclosure:{ent.uscc}:2023")[0][1] == {"reason": reason["reason"]}
    # Nothing to withhold for an enterprise without a record; an empty reason is refused.
    assert (
        api.client.post(f"{PATH}/{town.unrated.uscc}/2023/withholding", json=reason, headers=reg.headers).status_code
        == 404
    )
    bad = api.client.post(url, json={"reason": ""}, headers=reg.headers)
    assert bad.status_code == 422, bad.text


def _atom(api: Api) -> list[tuple[str, str, str]]:
    r = api.client.get(f"{PATH}/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml"), r.text
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("type") == "application/json"
        out.append((entry.findtext(f"{ATOM}id") or "", link.get("href") or "", entry.findtext(f"{ATOM}updated") or ""))
    return out


def _json_feed(api: Api) -> dict[str, Any]:
    r = api.client.get(f"{PATH}/feed.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/feed+json"), r.text
    body = json.loads(r.content)
    assert body["version"] == "https://jsonfeed.org/version/1.1" and body["title"]
    return dict(body)


def test_a_re_rating_re_publishes_and_the_feeds_list_it_first(api: Api, town: Town) -> None:
    city, ent = town.city, town.city.enterprises[0]
    old = _rating(api, town, ent)
    before = _record(api, ent.uscc)
    # Withheld before the re-rating: the re-publication keeps it withheld.
    url = f"{PATH}/{ent.uscc}/2023/withholding"
    assert api.client.post(url, json={"reason": "更正中"}, headers=city.regulator.headers).status_code == 200
    f = Filings(api)
    corrected = f.submit(ent, f.create(ent, 2023, cement(value_added="80000"), supersedes=1)["id"])
    f.verify(city.verifier, corrected["id"])
    r = api.client.post(f"/v1/ratings/{old['id']}/rerating", json={"reason": "核查更正：增加值"},
                        headers=city.rating_authority.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    new_id = r.json()["id"]
    assert set(_record(api, ent.uscc)) == WITHHELD_KEYS
    assert api.client.delete(url, headers=city.regulator.headers).status_code == 200
    after = _record(api, ent.uscc)
    assert after["rating_id"] == new_id != before["rating_id"] and after["rating_status"] == "active"
    assert after["intensity"] == "8.297529"  # 663 802.354091… ÷ 80 000 = 8.2975294… (the emissions unchanged)
    assert after["emissions"] == before["emissions"] and after["published_at"] > before["published_at"]
    assert [i["rating_id"] for i in _list(api) if i["uscc"] == ent.uscc] == [new_id]

    # The feeds: every record, newest (re)publication first, each linking to its JSON record.
    base = api.settings.public_base_url or "http://127.0.0.1:8000"
    entries = _atom(api)
    rated = sorted(e.uscc or "" for e in [*city.enterprises, town.linzi])
    assert entries[0][1] == f"{base}{PATH}/{ent.uscc}/2023"
    assert sorted(href.rsplit("/", 2)[1] for _, href, _ in entries) == rated
    stamps = [dt.datetime.fromisoformat(u) for _, _, u in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert all(i == href for i, href, _ in entries)
    for _, href, updated in entries:  # each link is the record, and updated its publication
        record = api.client.get(href.removeprefix(base)).json()
        assert dt.datetime.fromisoformat(record["published_at"]) == dt.datetime.fromisoformat(updated)
    feed = _json_feed(api)
    assert [(i["id"], i["url"]) for i in feed["items"]] == [(i, href) for i, href, _ in entries]
    assert [dt.datetime.fromisoformat(i["date_published"]) for i in feed["items"]] == stamps
    assert all(i["title"] and i["content_text"] for i in feed["items"])


def test_a_revoked_rating_s_record_says_so(api: Api, town: Town) -> None:
    ent = town.city.enterprises[1]
    rating = _rating(api, town, ent)
    r = api.client.post(f"/v1/ratings/{rating['id']}/revoke", json={"reason": "数据造假"},
                        headers=town.city.rating_authority.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    rec = _record(api, ent.uscc)
    assert rec["rating_status"] == "revoked" and rec["rating_id"] == rating["id"]


def _sql(api: Api, sql: str) -> None:
    asyncio.run(testdb.admin_execute(api.settings.database_url, sql))


def test_a_later_round_replaces_the_year_s_records(api: Api, town: Town) -> None:
    """A second 2023 round re-publishes each record with its new rating; an enterprise it no longer
    rates (its organisation suspended) keeps only a superseded rating, and its record is not shown."""
    before = {i["uscc"]: i for i in _list(api)}
    _sql(api, f"UPDATE organisations SET status = 'suspended' WHERE id = '{town.linzi.org_id}'")
    assert run_round(api, town.city.rating_authority, 2023)["status"] == "completed"
    after = {i["uscc"]: i for i in _list(api)}
    assert set(after) == set(before) - {town.linzi.uscc}
    assert all(after[u]["rating_id"] != before[u]["rating_id"] for u in after)
    assert all(after[u]["published_at"] > before[u]["published_at"] for u in after)
    gone = api.client.get(f"{PATH}/{town.linzi.uscc}/2023")
    assert _problem(gone) == _problem(api.client.get(f"{PATH}/{town.unrated.uscc}/2023"))
