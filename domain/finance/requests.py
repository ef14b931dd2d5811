"""A financing request and its answers: one request to one or more banks; each bank's answer moves
received → under_review → approved | declined, and approved or declined is final."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from domain.errors import InvalidField, StateConflict

__all__ = ["FINAL", "MAX_BANKS", "AnswerStatus", "check_answer", "check_banks"]

MAX_BANKS = 10  # one request reaches at most ten banks


class AnswerStatus(StrEnum):
    RECEIVED = "received"  # sent; the bank has not answered yet
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    DECLINED = "declined"


FINAL = frozenset({AnswerStatus.APPROVED, AnswerStatus.DECLINED})

_NEXT = {
    AnswerStatus.RECEIVED: {AnswerStatus.UNDER_REVIEW, AnswerStatus.APPROVED, AnswerStatus.DECLINED},
    AnswerStatus.UNDER_REVIEW: {AnswerStatus.APPROVED, AnswerStatus.DECLINED},
}


def check_banks(bank_ids: list[str]) -> None:
    if not bank_ids:
        raise InvalidField("banks", "name at least one bank")
    if len(bank_ids) > MAX_BANKS:
        raise InvalidField("banks", f"at most {MAX_BANKS} banks per request")
    if len(set(bank_ids)) != len(bank_ids):
        raise InvalidField("banks", "a bank is named twice")


def check_answer(
    current: AnswerStatus,
    new: AnswerStatus,
    *,
    requested_yuan: Decimal,
    amount_yuan: Decimal | None,
    rate_percent: Decimal | None,
    reason: str | None,
) -> None:
    """Whether a bank whose answer is `current` may now answer `new` with these terms."""
    if current in FINAL:
        raise StateConflict(f"the request was already answered ({current.value}): an answer is final")
    if new not in _NEXT[current]:
        raise InvalidField("status", f"from {current.value} the answer is one of "
                           f"{', '.join(sorted(s.value for s in _NEXT[current]))}")  # fmt: skip
    if new is AnswerStatus.APPROVED:
        if amount_yuan is None or rate_percent is None:
            raise InvalidField("amount_yuan" if amount_yuan is None else "rate_percent",
                               "an approval states the amount and the rate")  # fmt: skip
        if amount_yuan > requested_yuan:
            raise InvalidField("amount_yuan", f"more than the {requested_yuan} yuan requested")
    elif amount_yuan is not None or rate_percent is not None:
        raise InvalidField("amount_yuan" if amount_yuan is not None else "rate_percent", "only an approval has terms")
    if new is AnswerStatus.DECLINED and not (reason or "").strip():
        raise InvalidField("reason", "a decline says why")
