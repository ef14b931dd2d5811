"""A bank's answers to a financing request (domain.finance.requests): every allowed move, every
refused one, and what an approval and a decline must carry."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidField, StateConflict
from domain.finance.requests import AnswerStatus, check_answer, check_banks

R, U, A, D = AnswerStatus.RECEIVED, AnswerStatus.UNDER_REVIEW, AnswerStatus.APPROVED, AnswerStatus.DECLINED
ASKED = Decimal("50000000")


def _answer(current: AnswerStatus, new: AnswerStatus, **terms: object) -> None:
    base: dict[str, object] = {"amount_yuan": None, "rate_percent": None, "reason": None}
    if new is A:
        base |= {"amount_yuan": Decimal("40000000"), "rate_percent": Decimal("3.15")}
    if new is D:
        base["reason"] = "额度已满"
    check_answer(current, new, requested_yuan=ASKED, **{**base, **terms})  # type: ignore[arg-type]


@pytest.mark.parametrize(("current", "new"), [(R, U), (R, A), (R, D), (U, A), (U, D)])
def test_the_allowed_moves(current: AnswerStatus, new: AnswerStatus) -> None:
    _answer(current, new)


@pytest.mark.parametrize("new", [R, U, A, D])
@pytest.mark.parametrize("final", [A, D])
def test_a_final_answer_is_never_changed(final: AnswerStatus, new: AnswerStatus) -> None:
    with pytest.raises(StateConflict, match="final"):
        _answer(final, new)


@pytest.mark.parametrize(("current", "new"), [(R, R), (U, U), (U, R)])
def test_no_step_back_or_in_place(current: AnswerStatus, new: AnswerStatus) -> None:
    with pytest.raises(InvalidField) as e:
        _answer(current, new)
    assert e.value.field == "status"


@pytest.mark.parametrize(
    ("new", "terms", "field"),
    [
        (A, {"amount_yuan": None}, "amount_yuan"),
        (A, {"rate_percent": None}, "rate_percent"),
        (A, {"amount_yuan": ASKED + 1}, "amount_yuan"),  # more than asked
        (D, {"reason": None}, "reason"),
        (D, {"reason": "  "}, "reason"),
        (U, {"amount_yuan": Decimal(1)}, "amount_yuan"),  # terms belong to an approval
        (D, {"rate_percent": Decimal(3)}, "rate_percent"),
    ],
)
def test_what_an_answer_must_carry(new: AnswerStatus, terms: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidField) as e:
        _answer(R, new, **terms)
    assert e.value.field == field


def test_an_approval_of_the_whole_amount_is_allowed() -> None:
    _answer(R, A, amount_yuan=ASKED)


@pytest.mark.parametrize(("banks", "ok"), [(["a"], True), ([], False), (["a", "a"], False),
                                           ([str(i) for i in range(10)], True), ([str(i) for i in range(11)], False)])  # fmt: skip
def test_the_banks_of_a_request(banks: list[str], ok: bool) -> None:
    if ok:
        check_banks(banks)
    else:
        with pytest.raises(InvalidField):
            check_banks(banks)
