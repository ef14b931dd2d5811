"""The regulator lists of 政策集成 (issue 17.3) on a small city worked by hand: who must retrofit
or is listed for phase-out, who pays the aluminium tiered price and how many yuan, which coal
unit is to be converted; filters, cursor pages, CSV, the overview's counts by district, access.

The city (every consequence is the shipped policy set's, version 1; 基准/标杆 from NDRC 2021):
  A 张店 370303, cement, 2024: clinker 100 000 tce ÷ 800 000 t = 125 kgce/t > 基准 117, before
    the 2021 areas' deadline 2025-12-31 → ndrc-2021-areas.retrofit and zibo-plan.baseline-2025
    (retrofit_required); below 基准 rates red (restricted) → green-credit.restricted-tier.
  B 张店 370303, electrolytic aluminium, 2024: 1 370 000 MWh = 1 370 000 000 kWh ÷ 100 000 t =
    13 700 kWh/t (基准 13 350: both retrofit rules, and red); past 13 650 by 50 = 2.5 steps of
    20 kWh/t → 2 full steps (part steps not applied) × 0.01 = 0.02 yuan/kWh on its 铝液生产用电:
    0.02 × 1 370 000 000 = 27 400 000.00 yuan (aluminium.tiered-price).
  C 临淄 370305, coal power, 2024: one 135 MW unit < 300 MW, bituminous coal → coal-unit.below-300mw;
    供电煤耗 147 500 tce ÷ 500 000 MWh = 295 gce/kWh ≤ 300: no supply-coal retrofit.
  D 临淄 370305, cement, 2024: 85 000 tce ÷ 800 000 t = 106.25 kgce/t (between 标杆 100 and 基准): nothing.
  E 临淄 370305, cement, 2026: 125 kgce/t after the 2025-12-31 deadline → ndrc-2021-areas.phase-out
    (phase_out_listed), green-credit.phase-out and, rated red, green-credit.restricted-tier.
The 2026 round uses the shipped 2026 factor set (2020–2026 ship; its grid factor is 2023's data).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import msgspec
import pytest

from domain.organisations import OrgKind
from tests.helpers import Api, Caller, City, Filings, build_city, cement, new_uscc, run_round

ALUMINIUM = {
    "energy": [{"carrier": "natural_gas", "quantity": "450", "unit": "10^4Nm3"}],  # casting furnaces
    "electricity": {"purchased_mwh": "1424800"},  # the pot lines' 1 370 000 MWh and 4 % auxiliaries
    "products": [{"product": "electrolytic_aluminium", "output": "100000", "capacity": "108000",
                  "energy": "1370000", "energy_unit": "MWh"}],
    "aluminium": [{"primary_aluminium_t": "100000"}],
    "value_added_wan": "20000",
}  # fmt: skip
POWER = {
    "energy": [{"carrier": "bituminous_coal", "quantity": "186300", "unit": "t"}],
    "electricity": {"purchased_mwh": "5000", "exported_mwh": "500000"},
    "products": [{"product": "power_supply", "output": "500000", "energy": "147500", "energy_unit": "tce",
                  "attributes": {"unit_capacity_mw": "135"}}],
    "power_supply": [{"unit_name": "unit_1", "power_supplied_mwh": "500000", "coal_for_power_tce": "147500"}],
    "value_added_wan": "8000",
}  # fmt: skip
PATH = "/v1/policy/consequences"


class Town(msgspec.Struct, kw_only=True):
    city: City
    a: Caller
    b: Caller
    c: Caller
    d: Caller
    e: Caller


@pytest.fixture
def town(api: Api) -> Town:
    city = build_city(api, 0)
    f = Filings(api)

    def enterprise(district: str, industry: str, name: str) -> Caller:
        ent, _ = api.register(uscc=new_uscc(district), district=district, industry=industry, name=name)
        api.decide(city.regulator, ent.uscc or "", "approve")
        return ent

    t = Town(
        city=city,
        a=enterprise("370303", "3011", "淄博甲水泥有限公司"),
        b=enterprise("370303", "3216", "淄博乙铝业有限公司"),
        c=enterprise("370305", "4411", "淄博丙发电有限公司"),
        d=enterprise("370305", "3011", "淄博丁水泥有限公司"),
        e=enterprise("370305", "3011", "淄博戊水泥有限公司"),
    )
    f.submitted(t.a, 2024, cement(clinker_energy="100000"))
    f.submitted(t.b, 2024, ALUMINIUM)
    f.submitted(t.c, 2024, POWER)
    f.submitted(t.d, 2024, cement(clinker_energy="85000"))
    f.submitted(t.e, 2026, cement(clinker_energy="100000"))
    for year in (2024, 2026):
        assert run_round(api, city.rating_authority, year)["status"] == "completed"
    return t


def _list(api: Api, t: Town, caller: Caller | None = None, **params: Any) -> dict[str, Any]:
    r = api.client.get(PATH, params=params, headers=(caller or t.city.regulator).headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _rows(page: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["uscc"], i["rule_id"]) for i in page["items"]]


def test_the_aluminium_account_is_13700_kwh_per_tonne(api: Api, town: Town) -> None:
    r = api.client.get(f"/v1/enterprises/{town.b.uscc}/account", params={"year": 2024}, headers=town.b.headers)
    (product,) = r.json()["years"][0]["current"]["result"]["products"]
    assert (product["unit_energy_use"], product["energy"], product["unit"]) == ("13700", "1370000000", "kWh/t")
    assert product["level"] == "below_baseline" and product["baseline"] == "13350"


def test_the_year_list_names_each_consequence_with_its_rule_and_source(api: Api, town: Town) -> None:
    page = _list(api, town, year=2024)
    a, b, c = town.a.uscc, town.b.uscc, town.c.uscc
    assert _rows(page) == [  # by USCC (registration order here), then each sheet's own order
        (a, "ndrc-2021-areas.retrofit"), (a, "zibo-plan.baseline-2025"), (a, "green-credit.restricted-tier"),
        (b, "ndrc-2021-areas.retrofit"), (b, "zibo-plan.baseline-2025"), (b, "aluminium.tiered-price"),
        (b, "green-credit.restricted-tier"),
        (c, "coal-unit.below-300mw"),
    ]  # fmt: skip
    assert (page["consequences"], page["enterprises"], page["amount_yuan"]) == (8, 3, "27400000.00")
    assert page["next_cursor"] is None
    retrofit = page["items"][0]
    assert {k: retrofit[k] for k in ("name", "district", "sector", "year", "kind", "deadline")} == {
        "name": "淄博甲水泥有限公司", "district": "370303", "sector": "building_materials", "year": 2024,
        "kind": "retrofit_required", "deadline": "2025-12-31",
    }  # fmt: skip
    assert retrofit["product"] == {"code": "cement_clinker", "name": "水泥熟料", "line": "products[0]"}
    assert retrofit["figures"] == {"period_end": "2024-12-31", "product.level": "below_baseline",
                                   "product.edition_area": "2021"}  # fmt: skip
    assert "723号" in retrofit["source"]["document"] and retrofit["source"]["article"]
    assert (retrofit["confidence"], retrofit["provisional"], retrofit["policy_set_version"]) == ("READ", False, 1)
    assert (page["items"][1]["confidence"], page["items"][1]["provisional"]) == ("UNCONFIRMED", True)  # Zibo plan
    surcharge = page["items"][5]
    assert surcharge["kind"] == "power_surcharge" and surcharge["product"]["code"] == "electrolytic_aluminium"
    assert (surcharge["surcharge_yuan_per_kwh"], surcharge["electricity_kwh"], surcharge["amount_yuan"]) == (
        "0.02",
        "1370000000",
        "27400000.00",
    )
    assert surcharge["figures"]["steps"] == 2 and surcharge["figures"]["product.unit_energy_use"] == "13700"
    assert "1239号" in surcharge["source"]["document"]
    unit = page["items"][7]
    assert (unit["kind"], unit["sector"], unit["district"]) == ("coal_unit_conversion", "power", "370305")
    assert unit["figures"] == {"product.code": "power_supply", "product.coal_fired": True,
                               "product.unit_capacity_mw": "135"}  # fmt: skip
    assert unit["action"] == "背压改造（或关停整合）" and unit["amount_yuan"] is None


def test_the_filters(api: Api, town: Town) -> None:
    surcharges = _list(api, town, year=2024, kind="power_surcharge")
    assert _rows(surcharges) == [(town.b.uscc, "aluminium.tiered-price")]
    assert (surcharges["consequences"], surcharges["enterprises"], surcharges["amount_yuan"]) == (1, 1, "27400000.00")
    retrofit = _list(api, town, year=2024, kind="retrofit_required")
    assert {u for u, _ in _rows(retrofit)} == {town.a.uscc, town.b.uscc} and retrofit["consequences"] == 4
    assert retrofit["amount_yuan"] == "0.00"
    assert _rows(_list(api, town, year=2024, kind="coal_unit_conversion")) == [(town.c.uscc, "coal-unit.below-300mw")]
    assert _rows(_list(api, town, year=2024, district="370305")) == [(town.c.uscc, "coal-unit.below-300mw")]
    assert {u for u, _ in _rows(_list(api, town, year=2024, sector="nonferrous"))} == {town.b.uscc}
    both = _list(api, town, year=2024, district="370303", sector="building_materials", kind="retrofit_required")
    assert _rows(both) == [(town.a.uscc, "ndrc-2021-areas.retrofit"), (town.a.uscc, "zibo-plan.baseline-2025")]
    assert _list(api, town, year=2024, kind="phase_out_listed")["items"] == []  # before the deadline: none listed
    assert _list(api, town, year=2023)["items"] == []  # nothing filed


def test_after_the_deadline_the_product_is_listed_for_phase_out(api: Api, town: Town) -> None:
    page = _list(api, town, year=2026)
    e = town.e.uscc
    assert _rows(page) == [(e, "ndrc-2021-areas.phase-out"), (e, "green-credit.phase-out"),
                           (e, "green-credit.restricted-tier")]  # fmt: skip
    listed = page["items"][0]
    assert (listed["kind"], listed["deadline"], listed["action"]) == ("phase_out_listed", "2025-12-31", "淘汰退出")
    assert listed["figures"]["period_end"] == "2026-12-31" and listed["figures"]["product.level"] == "below_baseline"
    assert page["items"][1]["figures"] == {"consequences": ["phase_out_listed"]}
    assert _rows(_list(api, town, year=2026, kind="retrofit_required")) == []
    overview = api.client.get("/v1/stats/overview", params={"year": 2026}, headers=town.city.regulator.headers).json()
    assert overview["source"]["factor_set"]["year"] == 2026  # the shipped 2026 set (2023's grid factor)


def test_cursor_pages(api: Api, town: Town) -> None:
    first = _list(api, town, year=2024, kind="retrofit_required", limit=1)
    assert _rows(first) == [(town.a.uscc, "ndrc-2021-areas.retrofit")] and first["next_cursor"]
    assert (first["consequences"], first["enterprises"]) == (4, 2)  # totals of the filter, not the page
    rest = _list(api, town, year=2024, kind="retrofit_required", cursor=first["next_cursor"])
    assert _rows(rest) == [(town.a.uscc, "zibo-plan.baseline-2025"), (town.b.uscc, "ndrc-2021-areas.retrofit"),
                           (town.b.uscc, "zibo-plan.baseline-2025")]  # fmt: skip
    assert rest["next_cursor"] is None
    r = api.client.get(PATH, params={"year": 2024, "cursor": "bm90LWEtY3Vyc29y"}, headers=town.city.regulator.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.cursor"


def test_csv_gives_every_row_of_the_filter_with_chinese_headers(api: Api, town: Town) -> None:
    headers = {**town.city.regulator.headers, "Accept": "text/csv"}
    r = api.client.get(PATH, params={"year": 2024, "limit": 1}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, as the stats tables
    header, *rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert header[:4] == ["统一社会信用代码 USCC", "企业 name", "区县代码 district", "区县名称 district name"]
    assert len(rows) == 8  # no pages: `limit` does not apply to the table
    col = {name: header.index(name) for name in header}
    surcharge = next(row for row in rows if row[col["规则 rule"]] == "aluminium.tiered-price")
    assert surcharge[col["金额 yuan"]] == "27400000.00" and surcharge[col["加价 yuan/kWh"]] == "0.02"
    assert surcharge[col["电量 kWh"]] == "1370000000" and surcharge[col["区县名称 district name"]] == "张店区"
    assert (
        surcharge[col["后果名称 kind name"]] == "阶梯电价/差别电价"
        and surcharge[col["行业名称 sector name"]] == "有色金属"
    )
    assert "1239号" in surcharge[col["依据 source"]] and surcharge[col["政策集版本 policy set version"]] == "1"
    assert "product.unit_energy_use=13700" in surcharge[col["触发数据 figures"]]
    plan = next(row for row in rows if row[col["规则 rule"]] == "zibo-plan.baseline-2025")
    assert plan[col["依据未经确认 provisional"]] == "是" and plan[col["可信度 confidence"]] == "UNCONFIRMED"
    only = api.client.get(PATH, params={"year": 2024, "kind": "coal_unit_conversion"}, headers=headers)
    (unit,) = list(csv.reader(io.StringIO(only.content.decode("utf-8-sig"))))[1:]
    assert unit[0] == town.c.uscc and unit[col["产品 product"]] == "power_supply" and unit[col["金额 yuan"]] == ""


def test_the_overview_counts_enterprises_by_district_and_kind(api: Api, town: Town) -> None:
    r = api.client.get("/v1/stats/overview", params={"year": 2024}, headers=town.city.regulator.headers)
    policy = r.json()["policy"]
    assert "below_baseline" in r.json() and "colours" in r.json()  # the existing keys stay
    zero = {k: 0 for k in policy["city"]["enterprises"]}
    assert len(zero) == 8  # every consequence kind, 0 where none
    zhangdian, linzi = policy["districts"]
    assert (zhangdian["district"], zhangdian["name"], linzi["district"]) == ("370303", "张店区", "370305")
    assert zhangdian["enterprises"] == zero | {"retrofit_required": 2, "power_surcharge": 1,
                                               "green_credit_ineligible": 2}  # fmt: skip
    assert zhangdian["surcharge_yuan"] == "27400000.00"
    assert linzi["enterprises"] == zero | {"coal_unit_conversion": 1} and linzi["surcharge_yuan"] == "0.00"
    assert policy["city"]["enterprises"] == zero | {"retrofit_required": 2, "power_surcharge": 1,
                                                    "coal_unit_conversion": 1, "green_credit_ineligible": 2}  # fmt: skip
    assert policy["city"]["surcharge_yuan"] == "27400000.00" and policy["policy_set_versions"] == [1]
    later = api.client.get("/v1/stats/overview", params={"year": 2026}, headers=town.city.regulator.headers).json()
    assert [d["district"] for d in later["policy"]["districts"]] == ["370305"]
    assert later["policy"]["city"]["enterprises"]["phase_out_listed"] == 1
    headers = {**town.city.regulator.headers, "Accept": "text/csv"}
    table = list(csv.reader(io.StringIO(api.client.get("/v1/stats/overview", params={"year": 2024},
                                                       headers=headers).content.decode("utf-8-sig"))))  # fmt: skip
    at = next(i for i, row in enumerate(table) if row and row[0] == "政策后果 policy: 区县 district")
    assert table[at + 1][:2] == ["370303", "张店区"] and table[at + 1][-1] == "27400000.00"
    assert table[at + 3][0] == "淄博市 city" and table[at + 3][-1] == "27400000.00"


def test_who_may_read_the_lists_and_the_reads_are_logged(api: Api, town: Town) -> None:
    finance = api.bootstrap(OrgKind.FINANCE_REGULATOR)
    assert api.client.get(PATH, params={"year": 2024}, headers=finance.headers).status_code == 200
    assert api.client.get(PATH, params={"year": 2024}, headers=town.city.rating_authority.headers).status_code == 200
    assert api.client.get(PATH, params={"year": 2024}, headers=town.a.headers).status_code == 403
    bank = api.admin_created(town.city.admin, "bank")
    assert api.client.get(PATH, params={"year": 2024}, headers=bank.headers).status_code == 403
    assert api.client.get(PATH, params={"year": 2024}).status_code == 401
    log = api.client.get(f"/v1/enterprises/{town.a.uscc}/access-log", headers=town.a.headers).json()["items"]
    assert {(e["what"], e["org_kind"]) for e in log} >= {
        ("policy", "finance_regulator"),
        ("policy", "rating_authority"),
    }
    quiet = api.client.get(f"/v1/enterprises/{town.d.uscc}/access-log", headers=town.d.headers).json()["items"]
    assert [e for e in quiet if e["what"] == "policy"] == []  # not listed: not read


def test_a_bad_kind_or_sector_is_refused_naming_the_field_and_a_year_is_required(api: Api, town: Town) -> None:
    r = api.client.get(PATH, params={"year": 2024, "kind": "closure"}, headers=town.city.regulator.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["query.kind"]
    r = api.client.get(PATH, params={"year": 2024, "sector": "mining"}, headers=town.city.regulator.headers)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["query.sector"]
    r = api.client.get(PATH, headers=town.city.regulator.headers)  # `year` is required (as for /v1/stats/*)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
