"""Financing requests through the SDK (each test with both clients): an enterprise asks two banks,
each sees only its own part and answers once finally, the enterprise follows every answer and the
request closes; a withdrawn request takes no answer; refusals name the field.

Each test asks banks of its own, so that what a bank lists is exactly what the test sent it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from carbon_account_client import CarbonClient, Conflict, Forbidden, NotFound, ValidationFailed
from carbon_account_client.financing import Target

from tests.sdk.blocking import Connect
from tests.sdk.city import CST, City, Org, admin_created, sdk

USE = "窑系统节能改造"


def _banks(city: City, n: int) -> list[Org]:
    with sdk(city.service, city.admin) as admin:
        return [admin_created(admin, "bank", f"SDK financing bank {uuid.uuid4().hex[:6]}") for _ in range(n)]


def _product(bank: CarbonClient) -> uuid.UUID:
    today = dt.datetime.now(CST).date()
    product = bank.publish_product(f"sdk-fin-{uuid.uuid4().hex[:8]}", "green_loan", "SDK green loan",
                                   eligibility=[], terms={}, valid_from=today - dt.timedelta(days=1),
                                   valid_to=today + dt.timedelta(days=365))  # fmt: skip
    return product.id


def test_two_banks_answer_and_the_request_closes(city: City, connect: Connect) -> None:
    one_org, two_org = _banks(city, 2)
    org, one, two = city.enterprises[3], connect(one_org), connect(two_org)
    ent, product_id = connect(org), _product(two)
    key, until = f"financing-{uuid.uuid4()}", city.ahead(90)
    req = ent.send_financing_request(org.uscc, Decimal("50000000"), "credit", USE, 36, until,
                                     [one_org.org_id, (two_org.org_id, product_id)], idempotency_key=key)  # fmt: skip
    assert (req.uscc, req.status, req.amount_yuan, req.purpose, req.scope) == (
        org.uscc, "open", Decimal("50000000"), "credit", "full",
    )  # fmt: skip
    assert req.rating_id is not None and req.rating_year == 2023 and req.use_of_proceeds == USE
    assert {str(r.bank_org_id): r.status for r in req.recipients} == {
        one_org.org_id: "received", two_org.org_id: "received",
    }  # fmt: skip
    assert req.recipient(two_org.org_id).product_id == product_id and req.recipient(one_org.org_id).product_id is None
    replayed = ent.send_financing_request(org.uscc, "50000000", "credit", USE, 36, until,
                                          [one_org.org_id, (two_org.org_id, product_id)], idempotency_key=key)  # fmt: skip
    assert replayed.id == req.id and replayed.expires_at == until  # the first answer, replayed

    for bank, bank_org in ((one, one_org), (two, two_org)):  # each bank sees the request, its own part only
        [listed] = bank.financing_requests(page_size=1)
        assert listed.id == req.id and [str(r.bank_org_id) for r in listed.recipients] == [bank_org.org_id]
        assert bank.financing_request(req.id).recipients == listed.recipients
        assert bank.financing_requests_page(status="closed").items == []

    one.answer_financing_request(req.id, "under_review")
    approved = one.answer_financing_request(req.id, "approved", amount_yuan=Decimal("40000000"),
                                            rate_percent=Decimal("3.15"), margin_bp=-20)  # fmt: skip
    assert approved.status == "open"  # the second bank has not answered
    mine = approved.recipient(one_org.org_id)
    assert (mine.status, mine.amount_yuan, mine.rate_percent, mine.margin_bp) == (
        "approved", Decimal("40000000"), Decimal("3.15"), -20,
    )  # fmt: skip
    assert isinstance(mine.amount_yuan, Decimal) and mine.final
    with pytest.raises(Conflict) as twice:  # a final answer is not changed
        one.answer_financing_request(req.id, "declined", reason="改主意")
    assert twice.value.status == 409 and "final" in (twice.value.detail or "")
    with pytest.raises(ValidationFailed) as no_reason:
        two.answer_financing_request(req.id, "declined")
    assert [e.field for e in no_reason.value.errors] == ["reason"]
    closed = two.answer_financing_request(req.id, "declined", reason="行业限额已满")
    assert (closed.status, closed.closed_reason) == ("closed", "answered") and closed.closed_at is not None

    [seen] = [r for r in ent.financing_requests_of(org.uscc) if r.id == req.id]
    answers = {str(r.bank_org_id): [(a.status, a.amount_yuan, a.rate_percent, a.margin_bp) for a in r.answers]
               for r in seen.recipients}  # fmt: skip
    assert answers == {
        one_org.org_id: [("under_review", None, None, None), ("approved", Decimal("40000000"), Decimal("3.15"), -20)],
        two_org.org_id: [("declined", None, None, None)],
    }
    assert seen.status == "closed" and all(r.final for r in seen.recipients)
    assert seen.recipient(two_org.org_id).reason == "行业限额已满"
    assert ent.financing_request(req.id) == seen
    regulator = connect(city.regulator)  # regulators see every bank's part
    [overseen] = regulator.financing_requests(bank_org_id=one_org.org_id, status="closed")
    assert overseen == seen
    assert list(regulator.financing_requests(bank_org_id=one_org.org_id, status="open")) == []
    with pytest.raises(Forbidden):  # an enterprise lists its own, not everyone's
        ent.financing_requests_page()


def test_a_withdrawn_request_takes_no_answer(city: City, connect: Connect) -> None:
    [bank_org] = _banks(city, 1)
    org, bank = city.enterprises[4], connect(bank_org)
    ent = connect(org)
    req = ent.send_financing_request(org.uscc, 8000000, "bond", USE, 60, city.ahead(30),
                                     [Target(bank_org_id=bank_org.org_id)], scope="grade_only")  # fmt: skip
    assert (req.purpose, req.scope, req.amount_yuan) == ("bond", "grade_only", Decimal("8000000"))
    consent = next(c for c in ent.enterprise_consents(org.uscc) if c.id == req.recipients[0].consent_id)
    assert consent.active and (consent.purpose, consent.scope) == ("bond", "grade_only")
    with pytest.raises(NotFound):  # not its request
        connect(city.enterprises[3]).withdraw_financing_request(req.id)
    withdrawn = ent.withdraw_financing_request(req.id)
    assert (withdrawn.status, withdrawn.closed_reason) == ("closed", "withdrawn")
    assert not next(c for c in ent.enterprise_consents(org.uscc) if c.id == consent.id).active
    with pytest.raises(Conflict) as late:
        bank.answer_financing_request(req.id, "under_review")
    assert "closed" in (late.value.detail or "")
    with pytest.raises(Conflict):
        ent.withdraw_financing_request(req.id)
    assert bank.financing_request(req.id).status == "closed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_yuan": Decimal("0")}, "amount_yuan"),
        ({"purpose": "monitoring"}, "purpose"),
        ({"term_months": 0}, "term_months"),
        ({"expires_at": dt.datetime(2020, 1, 1, tzinfo=CST)}, "expires_at"),
        ({"banks": [str(uuid.UUID(int=0))]}, "banks[0].bank_org_id"),
    ],
)
def test_a_refusal_names_the_field(city: City, connect: Connect, change: dict[str, object], field: str) -> None:
    org = city.enterprises[3]
    ent = connect(org)
    before = len(ent.financing_requests_of(org.uscc))
    args: dict[str, object] = {"amount_yuan": Decimal("1000000"), "purpose": "credit", "use_of_proceeds": USE,
                               "term_months": 12, "expires_at": city.ahead(30), "banks": [str(uuid.UUID(int=0))]}  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        ent.send_financing_request(org.uscc, **{**args, **change})  # type: ignore[arg-type]
    assert refused.value.status == 422 and field in [e.field for e in refused.value.errors]
    assert len(ent.financing_requests_of(org.uscc)) == before
