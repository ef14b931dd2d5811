"""Financed emissions (PCAF Part A) for a bank's loan book, against a portfolio computed by hand.

Every expected figure below is a literal worked out on paper from the filed quantities and the
published factors (GB/T 32150-2015 Annex B defaults for bituminous coal, the MEE cement
guideline's clinker formula, the 2023 grid factor 0.6096 tCO2/MWh, heat 0.11 tCO2/GJ); none is
computed by the service's code or read from its factor tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from httpx import Response

from domain.organisations import OrgKind
from tests.helpers import Api, Caller, Filings, cement, new_uscc, run_round

CST = dt.timezone(dt.timedelta(hours=8))
Q = Decimal("1e-12")

# --- the accounts, by hand ------------------------------------------------------------------------
# Combustion, 100 000 t bituminous coal (every borrower but C):
#   100 000 t × 23.204 GJ/t       = 2 320 400 GJ
#   × 0.02618 tC/GJ               = 60 748.072 tC
#   × 0.93 oxidised               = 56 495.70696 tC
#   × 44/12                       = 207 150.92552 tCO2
COMBUSTION = Decimal("207150.92552")
# C burns 80 000 t: 80 000 × 23.204 = 1 856 320 GJ; × 0.02618 = 48 598.4576 tC;
#   × 0.93 = 45 196.565568 tC; × 44/12 = 165 720.740416 tCO2
COMBUSTION_C = Decimal("165720.740416")
# Process, 800 000 t clinker, CaO 0.65, MgO 0.02 (no non-carbonate CaO or MgO):
#   0.65 × 44/56 = 0.510714285714285714…   (= 143/280)
#   0.02 × 44/40 = 0.022
#   factor       = 0.532714285714285714… tCO2/t clinker
#   × 800 000 t  = 408 571.428571428571… + 17 600 = 426 171.428571428571… tCO2 (repeating 428571)
PROCESS = "426171.428571428571"  # to 1e-12
# Captured: none. Scope 1 = combustion + process − captured:
#   207 150.92552 + 426 171.428571428571… = 633 322.354091428571… tCO2
#   165 720.740416 + 426 171.428571428571… = 591 892.168987428571… tCO2 (C)
SCOPE1 = "633322.354091428571"
# Scope 2 for PCAF: (purchased − certified green) MWh × 0.6096 + purchased heat GJ × 0.11; exports not deducted.
#   A: (50 000 − 12 000) × 0.6096 = 23 164.8; 30 000 GJ × 0.11 = 3 300; = 26 464.8 tCO2
#      (the account itself deducts the 5 000 MWh exported: (50 000 − 5 000 − 12 000) × 0.6096 = 20 116.8)
#   B, C: 50 000 × 0.6096 = 30 480 tCO2
A_CONTENT: dict[str, Any] = {
    **cement(value_added="47500"),
    "electricity": {"purchased_mwh": "50000", "exported_mwh": "5000", "green_certified_mwh": "12000"},
    "heat": [{"direction": "purchased", "quantity": "30000", "unit": "GJ"}],
}

# --- the loans, by hand -------------------------------------------------------------------------------
# A (verified, full): 25 000 000 / 100 000 000 equity + debt  → AF 0.25
#   scope 1 = 0.25 × 633 322.354091428571… = 158 330.588522857142857…
#   scope 2 = 0.25 × 26 464.8             = 6 616.2
# B (verified, full, EVIC): 30 000 000 / 90 000 000 EVIC     → AF 1/3 = 0.333…
#   scope 1 = 633 322.354091428571… / 3   = 211 107.451363809523809…
#   scope 2 = 30 480 / 3                  = 10 160
# C (submitted, not verified, full): 8 000 000 / 40 000 000 → AF 0.2
#   scope 1 = 0.2 × 591 892.168987428571… = 118 378.433797485714285…
#   scope 2 = 0.2 × 30 480                = 6 096
# Totals over A, B, C:
#   scope 1 = 158 330.588522857142857… + 211 107.451363809523809… + 118 378.433797485714285…
#           = 487 816.473684152380952…
#   scope 2 = 6 616.2 + 10 160 + 6 096 = 22 872.2
#   PCAF score = (25 000 000 × 1 + 30 000 000 × 1 + 8 000 000 × 2) / 63 000 000 = 71/63 = 1.126984126984…
EXPECTED = {
    "A": {"af": "0.25", "scope1": "158330.588522857143", "scope2": "6616.2", "score": 1},
    "B": {"af": "0.333333333333", "scope1": "211107.451363809524", "scope2": "10160.000000000000", "score": 1},
    "C": {"af": "0.2", "scope1": "118378.433797485714", "scope2": "6096", "score": 2},
}
EXACT = {("A", "af"), ("A", "scope2"), ("C", "af"), ("C", "scope2")}  # the arithmetic terminates
TOTAL_SCOPE1 = "487816.473684152381"
TOTAL_SCOPE2 = "22872.200000000000"  # B's third leaves a trailing …999 in 28 digits
WEIGHTED_SCORE = "1.126984126984"


@dataclass
class Book:
    regulator: Caller
    bank: Caller
    ents: dict[str, Caller]
    consents: dict[str, dict[str, Any]]
    ratings: dict[str, str]
    unknown: str


def _grant(api: Api, ent: Caller, bank: Caller, scope: str, purpose: str) -> dict[str, Any]:
    expires = (dt.datetime.now(CST) + dt.timedelta(days=365)).isoformat()
    body = {"bank_org_id": bank.org_id, "purpose": purpose, "scope": scope, "expires_at": expires}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


@pytest.fixture
def book(api: Api) -> Book:
    """Six verified cement enterprises (A, B, D and three more) and C, submitted but not verified;
    a 2023 round rates all seven; A, B and C grant `full` consent, D `grade_only`."""
    admin = api.bootstrap(OrgKind.ADMIN)
    regulator, ra = api.bootstrap(OrgKind.REGULATOR), api.bootstrap(OrgKind.RATING_AUTHORITY)
    verifier, bank = api.admin_created(admin, "verifier"), api.admin_created(admin, "bank")
    f = Filings(api)
    contents = {
        "A": A_CONTENT,
        "B": cement(value_added="40000"),
        "D": cement(value_added="45000"),
        "E1": cement(value_added="50000"),
        "E2": cement(value_added="55000"),
        "E3": cement(value_added="60000"),
        "C": cement(value_added="42000", coal_t="80000"),
    }
    ents: dict[str, Caller] = {}
    for name, content in contents.items():
        ent, _ = api.register()
        api.decide(regulator, ent.uscc or "", "approve")
        f.engage(ent, verifier)
        filing = f.submitted(ent, 2023, content)
        if name != "C":
            f.verify(verifier, filing["id"])
        ents[name] = ent
    state = run_round(api, ra, 2023)
    assert (state["status"], state["rated"]) == ("completed", 7), state
    ratings = {}
    for name, ent in ents.items():
        r = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers)
        assert r.status_code == 200 and r.json()["status"] == "active", r.text
        ratings[name] = r.json()["id"]
    consents = {
        "A": _grant(api, ents["A"], bank, "full", "credit"),
        "B": _grant(api, ents["B"], bank, "full", "bond"),
        "C": _grant(api, ents["C"], bank, "full", "monitoring"),
        "D": _grant(api, ents["D"], bank, "grade_only", "credit"),
    }
    return Book(
        regulator=regulator, bank=bank, ents=ents, consents=consents, ratings=ratings, unknown=new_uscc("370305")
    )


def loans(book: Book) -> list[dict[str, Any]]:
    u = {name: ent.uscc for name, ent in book.ents.items()}
    return [
        {"uscc": u["A"], "outstanding_yuan": "25000000", "equity_plus_debt_yuan": "100000000"},
        {"uscc": u["B"], "outstanding_yuan": "30000000", "evic_yuan": "90000000", "reference": "LN-2023-0042"},
        {"uscc": u["C"], "outstanding_yuan": "8000000", "equity_plus_debt_yuan": "40000000"},
        {"uscc": u["D"], "outstanding_yuan": "5000000", "equity_plus_debt_yuan": "50000000"},
        {"uscc": book.unknown, "outstanding_yuan": "1000000", "equity_plus_debt_yuan": "10000000"},
    ]


def post(api: Api, book: Book, body: dict[str, Any]) -> Response:
    return api.client.post("/v1/portfolio/financed-emissions", json=body, headers=book.bank.headers)


def the_log(api: Api, book: Book) -> list[dict[str, Any]]:
    r = api.client.get("/v1/access-log", params={"limit": 200}, headers=book.regulator.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def dec(value: Any) -> Decimal:
    assert value is not None
    return Decimal(str(value))


def matches(value: Any, expected: str, exact: bool) -> bool:
    return dec(value) == Decimal(expected) if exact else dec(value).quantize(Q) == Decimal(expected)


def test_the_accounts_the_ratings_pin_are_the_hand_accounts(api: Api, book: Book) -> None:
    """The figures the loans start from, as A's and C's full ratings show them to the bank."""
    figures = {}
    for name in ("A", "C"):
        r = api.client.get(f"/v1/ratings/{book.ratings[name]}", headers=book.bank.headers)
        assert r.status_code == 200, r.text
        figures[name] = r.json()["rating"]["figures"]
    a, c = figures["A"], figures["C"]
    assert dec(a["co2_combustion"]) == COMBUSTION and dec(c["co2_combustion"]) == COMBUSTION_C
    assert dec(a["co2_process"]).quantize(Q) == Decimal(PROCESS)
    assert dec(a["co2_captured"]) == 0
    assert dec(a["scope1"]).quantize(Q) == Decimal(SCOPE1)
    assert dec(c["scope1"]).quantize(Q) == Decimal("591892.168987428571")
    assert dec(a["co2_electricity"]) == Decimal("20116.8")  # the account deducts the exports
    assert dec(a["co2_heat"]) == Decimal("3300")
    assert dec(c["co2_electricity"]) == Decimal("30480")


def test_financed_emissions_equal_the_hand_portfolio(api: Api, book: Book) -> None:
    r = post(api, book, {"loans": loans(book)})
    assert r.status_code == 200, r.text
    body = r.json()
    out = body["loans"]
    assert [loan["uscc"] for loan in out] == [loan["uscc"] for loan in loans(book)]

    for name, loan in zip(("A", "B", "C"), out[:3], strict=True):
        want = EXPECTED[name]
        assert loan["status"] == "ok", loan
        for key, field in (("af", "attribution_factor"), ("scope1", "scope1_tco2"), ("scope2", "scope2_tco2")):
            assert matches(loan[field], str(want[key]), (name, key) in EXACT), (name, field, loan[field], want[key])
        assert loan["pcaf_score"] == want["score"], (name, loan)
        assert (loan["rating_id"], loan["year"]) == (book.ratings[name], 2023)
    assert [loan["basis"] for loan in out] == ["equity_plus_debt", "evic", "equity_plus_debt", "equity_plus_debt",
                                               "equity_plus_debt"]  # fmt: skip
    assert [loan["reference"] for loan in out] == [None, "LN-2023-0042", None, None, None]
    assert [dec(loan["outstanding_yuan"]) for loan in out] == [
        Decimal("25000000"), Decimal("30000000"), Decimal("8000000"), Decimal("5000000"), Decimal("1000000"),
    ]  # fmt: skip

    # The grade_only borrower and the USCC nobody holds: no_consent, no figures, the same answer.
    for loan in out[3:]:
        assert loan["status"] == "no_consent", loan
        for field in ("attribution_factor", "scope1_tco2", "scope2_tco2", "pcaf_score", "rating_id", "year"):
            assert loan.get(field) is None, (field, loan)
    differ = {"uscc", "outstanding_yuan"}
    assert {k: v for k, v in out[3].items() if k not in differ} == {k: v for k, v in out[4].items() if k not in differ}

    assert body["loans_with_figures"] == 3
    assert dec(body["scope1_tco2"]).quantize(Q) == Decimal(TOTAL_SCOPE1)
    assert dec(body["scope2_tco2"]).quantize(Q) == Decimal(TOTAL_SCOPE2)
    assert dec(body["weighted_pcaf_score"]).quantize(Q) == Decimal(WEIGHTED_SCORE)
    assert body["gas"] == "CO2"


def test_each_loan_with_figures_is_logged_once_with_its_consent(api: Api, book: Book) -> None:
    assert the_log(api, book) == []
    assert post(api, book, {"loans": loans(book)}).status_code == 200
    log = the_log(api, book)
    assert len(log) == 3
    assert all((e["org_id"], e["org_kind"], e["what"]) == (book.bank.org_id, "bank", "financed_emissions") for e in log)
    by_uscc = {e["uscc"]: e for e in log}
    for name in ("A", "B", "C"):
        e = by_uscc[book.ents[name].uscc]
        consent = book.consents[name]
        assert (e["consent_id"], e["purpose"], e["scope"], e["resource_id"]) == (
            consent["id"], consent["purpose"], "full", book.ratings[name],
        )  # fmt: skip
        own = api.client.get(f"/v1/enterprises/{book.ents[name].uscc}/access-log", headers=book.ents[name].headers)
        assert [x["id"] for x in own.json()["items"]] == [e["id"]]
    d = api.client.get(f"/v1/enterprises/{book.ents['D'].uscc}/access-log", headers=book.ents["D"].headers)
    assert d.json()["items"] == []


def test_an_attribution_factor_above_one_is_refused_and_nothing_is_logged(api: Api, book: Book) -> None:
    body = {"loans": loans(book)}
    body["loans"][3] = {
        "uscc": book.ents["D"].uscc,
        "outstanding_yuan": "50000001",
        "equity_plus_debt_yuan": "50000000",
    }
    r = post(api, book, body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["loans[3].outstanding_yuan"]
    assert the_log(api, book) == []

    # The same above 1 of EVIC, on the first loan.
    body = {"loans": loans(book)}
    body["loans"][0] = {"uscc": book.ents["A"].uscc, "outstanding_yuan": "3", "evic_yuan": "2"}
    r = post(api, book, body)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["loans[0].outstanding_yuan"]
    assert the_log(api, book) == []

    # Exactly 1 is allowed.
    one = {"uscc": book.ents["A"].uscc, "outstanding_yuan": "100000000", "equity_plus_debt_yuan": "100000000"}
    r = post(api, book, {"loans": [one]})
    assert r.status_code == 200, r.text
    assert dec(r.json()["loans"][0]["attribution_factor"]) == 1
    assert dec(r.json()["scope2_tco2"]) == Decimal("26464.8")
    assert len(the_log(api, book)) == 1


@pytest.mark.parametrize("which", ["both", "neither"])
def test_exactly_one_denominator(api: Api, book: Book, which: str) -> None:
    body = {"loans": loans(book)}
    loan = {"uscc": book.ents["B"].uscc, "outstanding_yuan": "1000000"}
    if which == "both":
        loan |= {"equity_plus_debt_yuan": "100000000", "evic_yuan": "90000000"}
    body["loans"][1] = loan
    r = post(api, book, body)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["loans[1].equity_plus_debt_yuan"]
    assert the_log(api, book) == []
