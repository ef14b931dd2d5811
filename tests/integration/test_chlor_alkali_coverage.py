"""2612 split: chlor-alkali (烧碱) enterprises are rated from the edition that carries the rule,
while a round stored under an edition without it recomputes, byte for byte, as it was signed
(未评, PROCESS_NOT_COVERED). Real PostgreSQL, real HTTP, the real round job."""

from __future__ import annotations

import asyncio
import base64
import copy
import uuid
from decimal import Decimal
from typing import Any

from domain.canonical import canonical_json
from domain.organisations import OrgKind
from service.db.engine import make_engine, make_sessionmaker
from service.ratings.recompute import recompute_claims
from tests.helpers import Api, Caller, Filings, run_round


def alkali(value_added: int) -> dict[str, Any]:
    """100 000 MWh bought (× 0.6096 tCO2/MWh in 2023 = 60 960 tCO2, no fuel: scope 1 is 0);
    200 000 t of 30 % liquid caustic with 66 000 tce: u = 330 kgce/t, between 标杆 315 and 基准 350."""
    return {
        "electricity": {"purchased_mwh": "100000"},
        "products": [
            {"product": "caustic_soda_liquid_30", "output": "200000", "energy": "66000", "energy_unit": "tce"}
        ],
        "value_added_wan": str(value_added),
    }


def shipped_edition(api: Api) -> dict[str, Any]:
    (ref,) = api.client.get("/v1/benchmark-editions").json()
    return dict(api.client.get(f"/v1/benchmark-editions/{ref['id']}").json()["edition"])


def load_edition(api: Api, ra: Caller, document: dict[str, Any]) -> dict[str, Any]:
    r = api.client.post("/v1/benchmark-editions", json=document, headers=ra.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def latest(api: Api, ent: Caller) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def recomputed(api: Api, ratings: list[dict[str, Any]]) -> list[bytes]:
    async def run() -> list[bytes]:
        engine = make_engine(api.settings.app_database_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return [canonical_json(await recompute_claims(db, uuid.UUID(r["id"]))) for r in ratings]
        finally:
            await engine.dispose()

    return asyncio.run(run())


def signed(ratings: list[dict[str, Any]]) -> list[bytes]:
    return [base64.urlsafe_b64decode(r["token"].split(".")[1] + "==") for r in ratings]


def codes(rating: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in rating["rating"]["reasons"]]


def test_chlor_alkali_rated_under_the_rule_and_the_older_round_recomputes(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    verifier = api.admin_created(admin, "verifier")
    f = Filings(api)
    ents = []
    for i in range(5):  # five verified 2612 peers in 临淄: value added 30 000 … 50 000 万元
        ent, _ = api.register(district="370305", industry="2612", name="淄博测试氯碱化工有限公司")
        api.decide(regulator, ent.uscc or "", "approve")
        f.engage(ent, verifier)
        f.verify(verifier, f.submitted(ent, 2023, alkali(30000 + 5000 * i))["id"])
        ents.append(ent)

    # Before the split: an edition without process_coverage (as every edition stored earlier).
    shipped = shipped_edition(api)
    assert [c["industry"] for c in shipped["process_coverage"]] == ["2612"]
    older = copy.deepcopy(shipped)
    del older["process_coverage"]
    before = load_edition(api, ra, older)
    assert run_round(api, ra, 2023, methodology=1)["status"] == "completed"
    first = [latest(api, e) for e in ents]
    assert {r["rating"]["pins"]["benchmark_edition_id"] for r in first} == {before["id"]}
    for r in first:
        assert r["rating"]["colour"] == "unrated" and r["rating"]["grade"] is None
        assert "PROCESS_NOT_COVERED" in codes(r) and "PROCESS_NOT_COVERED" in r["rating"]["flags"]

    # The rule is loaded again (the shipped document, a newer version): new rounds rate 烧碱.
    after = load_edition(api, ra, shipped)
    assert after["version"] == before["version"] + 1
    assert recomputed(api, first) == signed(first)  # the stored round recomputes byte for byte

    assert run_round(api, ra, 2023, methodology=1)["status"] == "completed"
    second = [latest(api, e) for e in ents]
    assert {r["rating"]["pins"]["benchmark_edition_id"] for r in second} == {after["id"]}
    # By hand: each CO2 = 60 960 t; Σ CO2 = 5 × 60 960 = 304 800; Σ VA = 200 000 万元;
    # L_industry = 304 800 ÷ 200 000 = 1.524 tCO2/万元.
    # Enterprise 0: L = 60 960 ÷ 30 000 = 2.032, K = 2.032 ÷ 1.524 = 1.3333 → grade 4 → yellow.
    # Enterprise 4: L = 60 960 ÷ 50 000 = 1.2192, K = 0.8 → grade 2, but 330 is not at 标杆 → light green.
    low, high = second[0]["rating"], second[4]["rating"]
    assert "PROCESS_NOT_COVERED" not in codes(second[0])
    assert "PROCESS_COVERED_BY_PRODUCTS" in low["flags"]
    assert (low["peer_group"]["basis"], low["peer_group"]["size"]) == ("class", 5)
    assert Decimal(low["peer_group"]["l_industry"]) == Decimal("1.524")
    assert (Decimal(low["figures"]["intensity"]), Decimal(low["figures"]["k"])) == (Decimal("2.032"), Decimal("1.3333"))
    assert (low["grade"], low["colour"]) == (4, "yellow")
    assert (Decimal(high["figures"]["k"]), high["grade"], high["colour"]) == (Decimal("0.8"), 2, "light_green")
    assert recomputed(api, second) == signed(second)
    assert recomputed(api, first) == signed(first)  # and the first round still does
