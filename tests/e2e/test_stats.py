"""The plan's indicators against a small city computed by hand: two districts, two sectors, a
clinker product below 基准 and a key enterprise with no filing. Sums are compared to 0.0001
(the engine keeps 28 significant digits; the hand figures below are exact to that place)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import uuid
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import asyncpg
import pytest

from domain.organisations import OrgKind
from tests import db as testdb
from tests.helpers import CEMENT_CONTENT, Api, Caller, Filings, cement, run_round

ALKALI = {
    "electricity": {"purchased_mwh": "100000"},
    "products": [{"product": "caustic_soda_liquid_30", "output": "200000", "energy": "66000", "energy_unit": "tce"}],
    "value_added_wan": "30000",
}
# One cement filing (CEMENT_CONTENT), by hand:
#   energy  = 100 000 t × 23.204 GJ/t ÷ 29.3076 GJ/tce = 79 174.0026 tce  + 50 000 MWh × 0.1229 = 6 145 → 85 319.0026
#   scope 1 = 100 000 × 23.204 × 0.02618 × 0.93 × 44/12 = 207 150.92552
#           + clinker 800 000 t × (0.65 × 44/56 + 0.02 × 44/40) = 800 000 × 0.532714285714… = 426 171.428571…
#           = 633 322.3541 t
#   scope 2 = 50 000 MWh × 0.6096 (2023) = 30 480;  × 0.5856 (2022) = 29 280
# The alkali filing: energy 100 000 × 0.1229 = 12 290 tce; scope 1 0; scope 2 100 000 × 0.6096 = 60 960.
# to 12 places: 2 320 400 ÷ 29.3076 = 79 174.002647777368; 800 000 × 0.532714285714285714 = 426 171.428571428571
CEMENT_ENERGY, CEMENT_SCOPE1 = Decimal("85319.002647777368"), Decimal("633322.354091428571")


def q(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


@pytest.fixture
def city(api: Api) -> dict[str, Any]:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    f = Filings(api)

    def enterprise(district: str, industry: str) -> Caller:
        ent, _ = api.register(district=district, industry=industry)
        api.decide(regulator, ent.uscc or "", "approve")
        return ent

    a, b = enterprise("370303", "3011"), enterprise("370303", "3011")
    c, d = enterprise("370305", "2612"), enterprise("370305", "3011")
    f.submitted(a, 2022, CEMENT_CONTENT)
    f.submitted(a, 2023, CEMENT_CONTENT)
    f.submitted(b, 2023, cement(clinker_energy="100000"))  # 100 000 000 kgce ÷ 800 000 t = 125 > 基准 117
    f.submitted(c, 2023, ALKALI)  # 66 000 000 ÷ 200 000 = 330: between 标杆 315 and 基准 350
    assert run_round(api, ra, 2023)["status"] == "completed"
    return {"regulator": regulator, "a": a, "b": b, "c": c, "d": d}


def test_overview(api: Api, city: dict[str, Any]) -> None:
    r = api.client.get("/v1/stats/overview", params={"year": 2023}, headers=city["regulator"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["key_enterprises"] == 4
    assert body["key_enterprises_without_filing"] == [city["d"].uscc]
    assert body["source"]["factor_set"]["year"] == 2023 and body["source"]["rating_round_id"]
    assert body["source"]["provisional_factors"] is True  # every benchmark level is MEM+GB today
    totals = body["totals"]
    assert q(totals["energy_tce"]) == q(2 * CEMENT_ENERGY + 12290)
    assert q(totals["scope1_tco2"]) == q(2 * CEMENT_SCOPE1)
    assert q(totals["scope2_tco2"]) == q(2 * 30480 + 60960)
    clinker = next(p for p in body["products"] if p["product"] == "cement_clinker")
    assert (q(clinker["capacity"]), q(clinker["capacity_at_benchmark"]), clinker["below_baseline"]) == (
        q(1600000),
        q(0),
        1,
    )
    assert q(clinker["share_at_benchmark"]) == 0 and clinker["meets_goal"] is False and q(clinker["goal"]) == q("0.30")
    soda = next(p for p in body["products"] if p["product"] == "caustic_soda_liquid_30")
    assert (q(soda["capacity"]), soda["below_baseline"]) == (q(200000), 0)
    (below,) = body["below_baseline"]
    assert (below["uscc"], q(below["unit_energy_use"]), q(below["baseline"])) == (city["b"].uscc, q(125), q(117))
    # two cement peers are no group (not gradable); B's product below 基准 makes it red; 2612 is not gradable
    assert body["colours"] == {"dark_green": 0, "light_green": 0, "yellow": 0, "red": 1, "unrated": 2}
    log = api.client.get(f"/v1/enterprises/{city['b'].uscc}/access-log", headers=city["b"].headers).json()["items"]
    assert [(e["what"], e["org_kind"]) for e in log] == [("stats", "regulator")]


def test_districts_and_sectors_with_the_change_on_last_year(api: Api, city: dict[str, Any]) -> None:
    rows = api.client.get("/v1/stats/districts", params={"year": 2023}, headers=city["regulator"].headers).json()[
        "rows"
    ]
    zhangdian, linzi = (next(r for r in rows if r["district"] == d) for d in ("370303", "370305"))
    assert (zhangdian["name"], zhangdian["enterprises"]) == ("张店区", 2)
    assert q(zhangdian["energy_tce"]) == q(2 * CEMENT_ENERGY)
    assert q(zhangdian["energy_tce_change"]) == q(CEMENT_ENERGY)  # 2022: A alone
    assert q(zhangdian["scope2_tco2_change"]) == q(60960 - 29280)
    assert q(linzi["scope2_tco2"]) == q(60960) and q(linzi["scope1_tco2"]) == 0
    sectors = api.client.get("/v1/stats/sectors", params={"year": 2023}, headers=city["regulator"].headers).json()[
        "rows"
    ]
    assert {r["sector"]: q(r["scope1_tco2"]) for r in sectors} == {
        "building_materials": q(2 * CEMENT_SCOPE1),
        "chemical": q(0),
    }


def test_csv_opens_with_chinese_headers(api: Api, city: dict[str, Any]) -> None:
    headers = {**city["regulator"].headers, "Accept": "text/csv"}
    for path in ("/v1/stats/districts", "/v1/stats/sectors", "/v1/stats/overview"):
        r = api.client.get(path, params={"year": 2023}, headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
        assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: spreadsheets read it as UTF-8
        table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert any("企业" in cell for row in table[:3] for cell in row)
    districts = list(csv.reader(io.StringIO(api.client.get("/v1/stats/districts", params={"year": 2023},
                                                              headers=headers).content.decode("utf-8-sig"))))  # fmt: skip
    assert districts[0][0] == "区县代码 district" and {row[1] for row in districts[1:]} == {"张店区", "临淄区"}


def test_csv_prints_chinese_sector_names_and_figures_by_the_display_rule(api: Api, city: dict[str, Any]) -> None:
    headers = {**city["regulator"].headers, "Accept": "text/csv"}
    r = api.client.get("/v1/stats/sectors", params={"year": 2023}, headers=headers)
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    rows = {row[0]: row for row in table[1:]}
    assert rows["building_materials"][1] == "建材" and rows["chemical"][1] == "化工"
    scope1 = table[0].index("范围一 scope 1 CO2 (t)")
    # whole tonnes (>= 100 t), half to even, no exponent; the JSON keeps every digit
    assert rows["building_materials"][scope1] == str((2 * CEMENT_SCOPE1).quantize(Decimal(1), ROUND_HALF_EVEN))
    assert rows["chemical"][scope1] == "0"  # was 0E+2
    assert not any("E+" in cell or "E-" in cell for row in table for cell in row)
    sectors = api.client.get("/v1/stats/sectors", params={"year": 2023}, headers=city["regulator"].headers).json()
    assert {row["sector"]: row["name"] for row in sectors["rows"]}["building_materials"] == "建材"


def test_a_filing_that_no_longer_accounts_is_named_not_a_failure(api: Api) -> None:
    """A filing whose carrier a later factor-set version dropped: left out of the figures, named."""
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    Filings(api).submitted(ent, 2023)  # one that accounts
    other, _ = api.register()
    api.decide(regulator, other.uscc or "", "approve")
    content = {**CEMENT_CONTENT, "energy": [{"carrier": "dropped_carrier", "quantity": "1", "unit": "t"}]}
    document = json.dumps(content)

    async def insert() -> None:  # as the owner: the API would refuse the carrier today
        conn = await asyncpg.connect(testdb.dsn(api.settings.database_url))
        try:
            await conn.execute(
                "INSERT INTO filings (id, enterprise_id, period, version, status, content, content_sha256, submitted_at) "
                "VALUES ($1, $2::uuid, 2023, 1, 'submitted', $3::jsonb, $4, now())",
                uuid.uuid4(),
                other.org_id,
                document,
                hashlib.sha256(document.encode()).hexdigest(),
            )
        finally:
            await conn.close()

    asyncio.run(insert())
    r = api.client.get("/v1/stats/overview", params={"year": 2023}, headers=regulator.headers)
    assert r.status_code == 200, r.text
    source = r.json()["source"]
    assert source["filings"] == 1
    assert [n["uscc"] for n in source["not_accounted"]] == [other.uscc]
    assert "dropped_carrier" in source["not_accounted"][0]["reason"]
