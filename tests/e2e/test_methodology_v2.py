"""Methodology v2 over HTTP (issue 16.3/16.4): a coke plant (2521), alone in its class, is
未评 under v1 (PROCESS_NOT_COVERED) and graded under v2 against the official reference
intensity of its class, pinned in the rating with its source; without a set it is
PEER_GROUP_TOO_SMALL; every rating recomputes byte for byte under the version it pins."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
from decimal import Decimal
from typing import Any

import pdfplumber
import pytest

from domain.canonical import canonical_json
from domain.organisations import OrgKind
from service.db.engine import make_engine, make_sessionmaker
from service.ratings.recompute import recompute_claims
from service.settings import Settings
from tests.helpers import Api, Caller, Filings, run_round
from tests.reference_intensities import sample_set
from tests.unit.accounting.test_family_coking import FILING as COKE_PLANT


@pytest.fixture
def plant(api: Api) -> dict[str, Caller]:
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator, ra = api.bootstrap(OrgKind.REGULATOR), api.bootstrap(OrgKind.RATING_AUTHORITY)
    verifier = api.admin_created(admin, "verifier")
    ent, _ = api.register(industry="2521", name="淄博测试焦化有限公司")
    api.decide(regulator, ent.uscc or "", "approve")
    f = Filings(api)
    f.engage(ent, verifier)
    f.verify(verifier, f.submitted(ent, 2023, COKE_PLANT)["id"])
    return {"ent": ent, "ra": ra, "regulator": regulator}


def _latest(api: Api, plant: dict[str, Caller]) -> dict[str, Any]:
    r = api.client.get(f"/v1/enterprises/{plant['ent'].uscc}/ratings/latest", headers=plant["regulator"].headers)
    assert r.status_code == 200, r.text
    return dict(r.json()["rating"])


def _codes(claims: dict[str, Any]) -> list[str]:
    return [r["code"] for r in claims["reasons"]]


def _recomputes(settings: Settings, claims: dict[str, Any]) -> bool:
    async def go() -> bytes:
        engine = make_engine(settings.database_url)
        try:
            async with make_sessionmaker(engine)() as db:
                return canonical_json(await recompute_claims(db, uuid.UUID(claims["rating_id"])))
        finally:
            await engine.dispose()

    return asyncio.run(go()) == canonical_json(claims)


def test_v2_grades_a_class_of_one_against_the_reference_intensity(
    api: Api, settings: Settings, plant: dict[str, Caller]
) -> None:
    ra = plant["ra"]
    assert run_round(api, ra, 2023, methodology=1)["status"] == "completed"
    v1 = _latest(api, plant)
    assert v1["methodology_version"] == "1" and v1["colour"] == "unrated"
    assert "PROCESS_NOT_COVERED" in _codes(v1) and "reference_intensity_set_id" not in v1["pins"]

    assert run_round(api, ra, 2023, methodology=2)["status"] == "completed"
    alone = _latest(api, plant)
    assert alone["methodology_version"] == "2" and alone["colour"] == "unrated"
    assert "PEER_GROUP_TOO_SMALL" in _codes(alone) and alone["pins"]["reference_intensity_set_id"] is None

    loaded = api.client.post("/v1/reference-intensities", json=sample_set(2023), headers=ra.headers)
    assert loaded.status_code == 201, loaded.text
    assert run_round(api, ra, 2023)["status"] == "completed"  # the default is the latest version: 2
    v2 = _latest(api, plant)
    assert v2["methodology_version"] == "2"
    # By hand (test_family_coking: E = 152 723.78484 combustion + 52 426 coke-oven balance, no
    # non-CO2 gas, so CO2e = CO2): L = 205 149.78484 ÷ 60 000 = 3.41916308… → 3.419163 (6 places);
    # the set's 2521 row: L_industry = 5.125; K = 3.419163 ÷ 5.125 = 0.66715376… → 0.6672 → grade 2.
    assert Decimal(v2["figures"]["co2e_total"]) == Decimal("205149.78484")
    assert v2["figures"]["emissions_rated"] == "co2e"
    assert (v2["figures"]["intensity"], v2["figures"]["k"], v2["grade"]) == ("3.419163", "0.6672", 2)
    group = v2["peer_group"]
    assert (group["basis"], group["code"], group["size"], group["l_industry"]) == ("reference", "2521", 0, "5.125000")
    assert group["reference"]["set_id"] == loaded.json()["id"] and group["reference"]["confidence"] == "UNCONFIRMED"
    assert v2["pins"]["reference_intensity_set_id"] == loaded.json()["id"]
    peer = next(r for r in v2["reasons"] if r["code"] == "PEER_REFERENCE")
    assert peer["values"]["class_size"] == "1" and "not an official value" in peer["values"]["source"]
    assert "REFERENCE_PROVISIONAL" in _codes(v2)  # UNCONFIRMED rows say so on the rating
    assert v2["process_methods"] == ["mass_balance"] and v2["gases"] == []

    for claims in (v1, alone, v2):  # each under the version and pins it carries
        assert _recomputes(settings, claims)

    # The certificates say so: v1's prints 工业过程 未核算; v2's the process figure and the reference row.
    v1_text, v2_text = _certificate_text(api, plant, v1["rating_id"]), _certificate_text(api, plant, v2["rating_id"])
    assert "未核算" in v1_text and "第 1 版" in v1_text
    assert "未核算" not in v2_text and "官方参考值" in v2_text and "52,426" in v2_text
    assert "未纳入第 1 版" not in v2_text


def _certificate_text(api: Api, plant: dict[str, Caller], rating_id: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        r = api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=plant["regulator"].headers)
        if r.status_code == 200:
            break
        assert r.status_code == 503 and time.monotonic() < deadline, r.text
        time.sleep(0.2)
    with pdfplumber.open(io.BytesIO(r.content)) as pdf:
        return "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")


def test_the_methodologies_are_published(api: Api) -> None:
    listed = api.client.get("/v1/methodologies").json()
    assert [m["version"] for m in listed] == ["1", "2"]
    v2 = api.client.get("/v1/methodologies/2")
    assert v2.status_code == 200, v2.text
    body = v2.json()
    assert body["version"] == "2" and body["peer_order"] == ["class", "reference", "division"]
    assert body["min_peers"] == 5 and body["grade_limits"] == listed[0]["grade_limits"]  # v1's, carried over
