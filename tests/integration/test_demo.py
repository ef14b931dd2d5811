"""`carbon-account seed-demo`: the demo city is seeded once, through the real use cases, each
enterprise in its industry's district; `demo env` gives the walk-through's variables."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from service.demo import CLUSTERS, plan, walkthrough_env
from service.demo_filings import TEMPLATES
from tests.helpers import Api
from tests.integration.test_cli import run_cli

CLUSTER_OF_CLASS = {TEMPLATES[key].industry: districts for key, districts in CLUSTERS.items()}


def test_seed_demo_builds_the_city_once(api: Api) -> None:
    result = run_cli("seed-demo", database_url=api.settings.database_url)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["demo"] == "seeded"
    for key in ("regulator", "rating_authority", "verifier_1", "verifier_2", "bank_1", "bank_2"):
        assert out[key]["client_secret"], key
    saved = json.loads(Path(out["credentials_file"]).read_text(encoding="utf-8"))
    enterprises = saved["enterprises"]
    assert len(enterprises) == len(plan()) + 1 == 48  # 47 active and one pending

    regulator = api.token_for(out["regulator"]["client_id"], out["regulator"]["client_secret"])
    headers = {"Authorization": f"Bearer {regulator}"}
    listed = api.client.get("/v1/enterprises", params={"limit": 200}, headers=headers).json()["items"]
    classes = Counter(e["industry"] for e in listed if e["status"] == "active")
    assert classes["3011"] >= 5 and classes["3071"] >= 5 and classes["2612"] >= 5
    assert len({e["district"] for e in listed}) == 8
    assert classes["3089"] >= 3 and classes["3216"] >= 2  # Zibo's refractories and aluminium
    for e in listed:
        if e["status"] == "active":
            assert e["district"] in CLUSTER_OF_CLASS[e["industry"]], e
    assert {e.get("zone") for e in listed} >= {"high_tech", "economic_development", None}

    levels: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for ent in enterprises[:41]:
        account = api.client.get(f"/v1/enterprises/{ent['uscc']}/account", headers=headers)
        assert account.status_code == 200, account.text
        for year in account.json()["years"]:
            statuses.update(v["status"] for v in year["versions"])
            levels.update(p["level"] for p in year["current"]["result"]["products"])
    assert levels["below_baseline"] >= 3 and levels["benchmark"] >= 3 and levels["not_covered"] >= 3
    assert statuses["verified"] > 2 * statuses["submitted"] > 0

    # 政策集成: the demo city has a 改造 list, a surcharge and coal units to convert, each traceable to its rule
    kinds: dict[str, set[tuple[str, str]]] = {}
    for p in plan():
        sheet = api.client.get(f"/v1/enterprises/{p.uscc}/policy", params={"year": 2024}, headers=headers)
        if sheet.status_code == 404:  # a few demo enterprises filed only 2023
            continue
        assert sheet.status_code == 200, sheet.text
        for c in sheet.json()["consequences"]:
            kinds.setdefault(c["kind"], set()).add((p.template, c["rule_id"]))
            assert c["source"]["document"] and c["source"]["article"]
    assert ("aluminium", "aluminium.tiered-price") in kinds["power_surcharge"]
    assert ("chp", "coal-unit.below-300mw") in kinds["coal_unit_conversion"]
    assert ("cement", "ndrc-2021-areas.retrofit") in kinds["retrofit_required"]
    assert ("power", "coal-unit.supply-coal-300") in kinds["supply_coal_retrofit"]

    bank = out["bank_1"]
    bank_token = api.token_for(bank["client_id"], bank["client_secret"])
    rating = api.client.get(
        f"/v1/enterprises/{enterprises[0]['uscc']}/ratings/latest", headers={"Authorization": f"Bearer {bank_token}"}
    )
    assert rating.status_code == 200, rating.text  # rounds ran and the bank holds a consent
    assert (rating.json()["year"], rating.json()["scope"]) == (2024, "full")
    consents = api.client.get("/v1/consents", headers={"Authorization": f"Bearer {bank_token}"}).json()["items"]
    assert [c["bank_name"] for c in consents] == [bank["name"]] * 5  # 3 standing, 2 by financing requests

    _check_finance(api, headers)

    # Its rounds run under the latest methodology (v2): every 两高 enterprise with a verified filing
    # has its process emissions accounted (refinery, ethylene, ammonia, coke, steel, aluminium
    # file their process lines); none is 未评 for coverage, as under v1 all of them were.
    lianggao = {"power", "petrochemical", "chemical", "building_materials", "steel", "nonferrous"}
    active = [e for e in listed if e["status"] == "active" and e["sector"] in lianggao]
    assert {e["sector"] for e in active} == lianggao
    for e in active:
        r = api.client.get(f"/v1/enterprises/{e['uscc']}/ratings/latest", headers=headers).json()
        assert r["methodology_version"] == "2", e
        codes = {reason["code"] for reason in r["rating"]["reasons"]}
        assert not codes & {"PROCESS_NOT_ACCOUNTED", "PROCESS_NOT_COVERED"}, (e["industry"], codes)

    env = walkthrough_env(saved, "http://127.0.0.1:8000/")
    assert env["ENT_USCC"] == enterprises[0]["uscc"] and env["BANK_ORG"] == bank["org_id"]
    verifier = out[enterprises[0]["verifier"]]  # the one the walk-through's enterprise engaged
    assert (env["VERIFIER_ORG"], env["VERIFIER_ID"]) == (verifier["org_id"], verifier["client_id"])
    for prefix in ("REGULATOR", "RA", "BANK", "VERIFIER", "ENT"):
        assert api.token_for(env[f"{prefix}_ID"], env[f"{prefix}_SECRET"]), prefix

    again = run_cli("seed-demo", database_url=api.settings.database_url)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["demo"].startswith("already seeded")


def _check_finance(api: Api, headers: dict[str, str]) -> None:
    """融资服务 of the demo city (service/demo_finance.py): GET /v1/stats/finance against the table
    worked out by hand from its three requests, sent this year:
      green       80 000 000 asked; bank 1 green loan approves 60 000 000 at -30 bp, bank 2 declines
      transition  30 000 000 asked (below 基准, a retrofit plan filed); bank 1 approves 25 000 000 at +40 bp
      other       10 000 000 asked, no product named; bank 2 under review
    mean margin = (60e6 x -30 + 25e6 x 40) / 85e6 = -800 / 85 = -9.41 bp."""
    year = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).year
    requests = api.client.get("/v1/financing-requests", params={"year": year}, headers=headers).json()["items"]
    by_amount = {r["amount_yuan"]: r for r in requests}
    green, transition, other = (by_amount[a] for a in ("80000000", "30000000", "10000000"))
    assert green["colour"] in ("dark_green", "light_green") and other["colour"] == "yellow"
    assert "transition_finance_candidate" in transition["consequence_kinds"]
    assert "retrofit_required" in transition["consequence_kinds"] and transition["colour"] not in (
        green["colour"],
        "yellow",
    )

    stats = api.client.get("/v1/stats/finance", params={"year": year}, headers=headers).json()
    row = ("requests", "requested_yuan", "approvals", "approved_yuan", "declines", "pending", "mean_margin_bp")

    def cells(r: dict[str, object]) -> tuple[object, ...]:
        return tuple(r[k] for k in row)

    assert cells(stats["totals"]) == (3, "120000000", 2, "85000000", 1, 1, "-9.41")
    assert {r["credit"]: cells(r) for r in stats["by_credit"]} == {
        "green": (1, "80000000", 1, "60000000", 1, 0, "-30.00"),
        "transition": (1, "30000000", 1, "25000000", 0, 0, "40.00"),
        "unspecified": (1, "10000000", 0, "0", 0, 1, None),
    }
    assert {r["colour"]: cells(r) for r in stats["by_colour"]} == {
        green["colour"]: (1, "80000000", 1, "60000000", 1, 0, "-30.00"),
        transition["colour"]: (1, "30000000", 1, "25000000", 0, 0, "40.00"),
        "yellow": (1, "10000000", 0, "0", 0, 1, None),
    }
    assert sum(r["requests"] for r in stats["by_sector"]) == sum(r["requests"] for r in stats["by_district"]) == 3
    [flagged] = stats["flagged_approvals"]  # the approval to the enterprise below 基准, named
    assert (flagged["uscc"], flagged["below_baseline"], flagged["approved_yuan"], flagged["margin_bp"]) == (
        transition["uscc"],
        True,
        "25000000",
        40,
    )
    csv = api.client.get("/v1/stats/finance", params={"year": year}, headers={**headers, "Accept": "text/csv"})
    assert csv.status_code == 200 and csv.text.startswith("\ufeff") and transition["uscc"] in csv.text
