"""Finance products and offers through the SDK (each test with both clients): a bank publishes a
product and a new version of it, anyone lists and reads them, the enterprise reads its offers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from carbon_account_client import Conflict, Forbidden, ValidationFailed
from carbon_account_client.products import Terms

from tests.sdk.blocking import Connect
from tests.sdk.city import CST, City

RULES = [
    {"kind": "colour_in", "colours": ["dark_green", "light_green", "yellow"]},
    {"kind": "grade_at_most", "grade": 4},
]
MARGINS = {"dark_green": -30, "light_green": -15, "yellow": 10}


def _dates() -> tuple[dt.date, dt.date]:
    today = dt.datetime.now(CST).date()
    return today - dt.timedelta(days=10), today + dt.timedelta(days=365)


def test_a_bank_publishes_versions_and_anyone_reads_them(city: City, connect: Connect) -> None:
    bank, anyone = connect(city.bank), connect()
    code, (start, end) = f"sdk-green-{uuid.uuid4().hex[:8]}", _dates()
    terms = Terms(margin_bp_by_colour=MARGINS, max_amount_yuan=Decimal("30000000"), max_term_months=36)
    v1 = bank.publish_product(code, "green_loan", "SDK 绿色贷款", eligibility=RULES, terms=terms,
                              valid_from=start, valid_to=end)  # fmt: skip
    assert (v1.code, v1.version, v1.latest_version, str(v1.bank_org_id)) == (code, 1, 1, city.bank.org_id)
    assert v1.terms == terms and v1.eligibility == RULES and v1.valid_to == end and not v1.superseded
    with pytest.raises(Conflict):  # the same content again (a new Idempotency-Key): not a new version
        bank.publish_product(code, "green_loan", "SDK 绿色贷款", eligibility=RULES, terms=terms,
                             valid_from=start, valid_to=end)  # fmt: skip
    v2 = bank.publish_product(code, "green_loan", "SDK 绿色贷款", eligibility=RULES,
                              terms={"margin_bp_by_colour": {"light_green": -20}}, valid_from=start, valid_to=end)  # fmt: skip
    assert (v2.version, v2.terms.margin_bp_by_colour, v2.terms.reference_rate) == (2, {"light_green": -20}, "LPR 1Y")

    old = anyone.product(v1.id)  # no credentials needed
    assert old.superseded and old.terms == terms
    mine = [p for p in anyone.products(bank_org_id=city.bank.org_id, page_size=1) if p.code == code]
    assert [p.id for p in mine] == [v2.id]  # each code's latest version
    every = [p for p in anyone.products(all_versions=True, kind="green_loan") if p.code == code]
    assert [p.version for p in every] == [1, 2]
    assert [p for p in anyone.products(valid_on=end + dt.timedelta(days=1)) if p.code == code] == []
    with pytest.raises(ValidationFailed) as refused:
        bank.publish_product(code, "green_loan", "x", eligibility=[{"kind": "colour_in", "colours": ["teal"]}],
                             terms={}, valid_from=start, valid_to=end)  # fmt: skip
    assert [e.field for e in refused.value.errors] == ["eligibility[0].colours"]
    with pytest.raises(Forbidden):
        connect(city.enterprises[0]).publish_product(code, "green_loan", "x", eligibility=[], terms={},
                                                     valid_from=start, valid_to=end)  # fmt: skip


def test_the_enterprise_reads_its_offers(city: City, connect: Connect) -> None:
    code, (start, end) = f"sdk-offer-{uuid.uuid4().hex[:8]}", _dates()
    connect(city.bank).publish_product(code, "transition_loan", "SDK 转型贷款", eligibility=RULES,
                                       terms=Terms(margin_bp_by_colour=MARGINS), valid_from=start, valid_to=end)  # fmt: skip
    ent = city.enterprises[0]
    offers = connect(ent).finance_offers(ent.uscc)
    assert offers.uscc == ent.uscc and offers.rating.year == 2023 and offers.rating.rating_id is not None
    [offer] = [o for o in offers.items if o.product.code == code]
    expected = offers.rating.colour in RULES[0]["colours"] and (offers.rating.grade or 9) <= 4
    assert offer.eligible is expected and offer.margin_bp == MARGINS.get(offers.rating.colour)
    assert [c.rule for c in offer.checks] == ["validity", "rated", "colour_in", "grade_at_most"]
    assert offer.failed == [c for c in offer.checks if not c.passed]
    assert offer.product.bank_name == "齐商银行" and offer.product.kind == "transition_loan"
    assert offers.eligible == sum(1 for o in offers.items if o.eligible)
    with pytest.raises(Forbidden):  # not banks
        connect(city.bank).finance_offers(ent.uscc)
