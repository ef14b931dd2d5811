"""The demo city's plan: each enterprise in its industry's Zibo cluster, deterministic, named plausibly."""

from __future__ import annotations

import random
from collections import Counter

import msgspec

from domain.districts import DISTRICTS, ZONES, validate_district
from domain.filings import FilingContent
from domain.industry import classify
from domain.uscc import validate_uscc
from service.demo import CLUSTERS, ROSTER, plan, walkthrough_env
from service.demo_filings import TEMPLATES, demo_content

LINZI, HUANTAI, ZICHUAN, BOSHAN, ZHOUCUN = "370305", "370321", "370302", "370304", "370306"


def test_every_enterprise_sits_in_its_industrys_cluster() -> None:
    for p in plan():
        assert p.district in CLUSTERS[p.template], p
        assert p.uscc[2:8] == p.district  # the USCC's administrative code is the district's
        validate_uscc(p.uscc)


def test_the_clusters_are_zibos() -> None:
    assert set(CLUSTERS) == set(TEMPLATES)
    assert all(validate_district(d) for districts in CLUSTERS.values() for d in districts)
    assert set(CLUSTERS["refining"]) <= {LINZI, HUANTAI} and CLUSTERS["ethylene"] == (LINZI,)
    assert set(CLUSTERS["ceramic"]) == {ZICHUAN, BOSHAN}
    assert set(CLUSTERS["refractory"]) == {BOSHAN, ZICHUAN, ZHOUCUN}
    assert "370303" not in CLUSTERS["cement"]  # no clinker kiln in central 张店


def test_the_city_covers_every_district_with_zones_refractories_and_aluminium() -> None:
    planned = plan()
    assert len(planned) == sum(len(sites) for _, sites in ROSTER) == 47
    assert {p.district for p in planned} == set(DISTRICTS)
    assert {p.zone for p in planned} - {None} <= set(ZONES) and {p.zone for p in planned} > {None}
    classes = Counter(TEMPLATES[p.template].industry for p in planned)
    assert classes["3089"] == 4 and classify("3089").name == "耐火陶瓷制品及其他耐火材料制造"
    assert classes["3216"] == 2 and classify("3216").v1_process_not_covered  # 未评 until methodology v2
    assert min(classes["3011"], classes["3071"], classes["2612"]) >= 5


def test_the_plan_is_deterministic_and_every_name_is_unique_and_marked_as_a_demo() -> None:
    assert plan() == plan()
    names = [p.name for p in plan()]
    assert len(set(names)) == len(names)
    assert all(n.startswith("淄博") and n.endswith("有限公司(演示)") for n in names)
    assert plan()[0].template == "cement"  # the walk-through's enterprise, holding bank 1's consent


def test_the_new_templates_file_valid_content() -> None:
    rng = random.Random(1)
    for key in ("refractory", "aluminium"):
        for standing in ("benchmark", "baseline", "below_baseline"):
            content = demo_content(TEMPLATES[key], rng, 2024, standing, 0.5)
            msgspec.convert(content, FilingContent)


def test_walkthrough_env_names_the_first_enterprise_its_verifier_and_bank_1() -> None:
    org = lambda n: {"org_id": f"org-{n}", "client_id": f"ca_{n}", "client_secret": f"cas_{n}"}  # noqa: E731
    saved = {
        key: org(key)
        for key in ("admin", "regulator", "rating_authority", "verifier_1", "verifier_2", "bank_1", "bank_2")
    }
    saved["enterprises"] = [
        {"uscc": "U1", "client_id": "ca_e1", "client_secret": "cas_e1", "verifier": "verifier_1"},
        {"uscc": "U2", "client_id": "ca_e2", "client_secret": "cas_e2", "verifier": "verifier_2"},
    ]
    env = walkthrough_env(saved, "http://127.0.0.1:8000/")
    assert env == {
        "API": "http://127.0.0.1:8000",
        "ADMIN_ID": "ca_admin", "ADMIN_SECRET": "cas_admin",
        "REGULATOR_ID": "ca_regulator", "REGULATOR_SECRET": "cas_regulator",
        "RA_ID": "ca_rating_authority", "RA_SECRET": "cas_rating_authority",
        "BANK_ORG": "org-bank_1", "BANK_ID": "ca_bank_1", "BANK_SECRET": "cas_bank_1",
        "VERIFIER_ORG": "org-verifier_1", "VERIFIER_ID": "ca_verifier_1", "VERIFIER_SECRET": "cas_verifier_1",
        "ENT_USCC": "U1", "ENT_ID": "ca_e1", "ENT_SECRET": "cas_e1",
    }  # fmt: skip
