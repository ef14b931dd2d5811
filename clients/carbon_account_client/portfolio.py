"""Financed emissions for a loan book of any size: sent in chunks the API accepts, merged.

The API takes at most 1000 loans per request. Chunk answers add up: the totals are
sums, and the outstanding-weighted PCAF score is recomputed over every loan with figures
(not averaged from the chunks' scores). A CSV with the columns of the API's LoanIn
(uscc, outstanding_yuan, equity_plus_debt_yuan or evic_yuan, reference) reads as loans.
"""

from __future__ import annotations

import csv
import decimal
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from carbon_account_client.errors import FieldError
from carbon_account_client.models import Loan, Portfolio

__all__ = ["MAX_LOANS", "chunks", "merge", "read_loans_csv", "shift_errors"]

MAX_LOANS = 1000
_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)  # the API's accounting context
_INDEX = re.compile(r"^loans\[(\d+)\](.*)$")
_COLUMNS = ("uscc", "outstanding_yuan", "equity_plus_debt_yuan", "evic_yuan", "reference")


def chunks(loans: Sequence[Loan], size: int = MAX_LOANS) -> Iterator[Sequence[Loan]]:
    if not 1 <= size <= MAX_LOANS:
        raise ValueError(f"chunk size must be 1 to {MAX_LOANS}")
    for start in range(0, len(loans), size):
        yield loans[start : start + size]


def merge(parts: Sequence[Portfolio]) -> Portfolio:
    """One portfolio from the answers for consecutive chunks, loans in order."""
    loans = [loan for part in parts for loan in part.loans]
    ok = [loan for loan in loans if loan.status == "ok"]
    with decimal.localcontext(_CONTEXT):
        weight = sum((loan.outstanding_yuan for loan in ok), Decimal(0))
        score = sum((loan.outstanding_yuan * (loan.pcaf_score or 0) for loan in ok), Decimal(0))
        return Portfolio(
            loans=loans,
            scope1_tco2=sum((p.scope1_tco2 for p in parts), Decimal(0)),
            scope2_tco2=sum((p.scope2_tco2 for p in parts), Decimal(0)),
            loans_with_figures=sum(p.loans_with_figures for p in parts),
            weighted_pcaf_score=score / weight if weight else None,
            gas=parts[0].gas if parts else "CO2",
        )


def _decimal(value: str | None, where: str) -> Decimal | None:
    text = (value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValueError(f"{where}: {value!r} is not a number") from exc


def read_loans_csv(path: str | Path) -> list[Loan]:
    """Loans from a CSV whose header names LoanIn's fields (UTF-8, a BOM allowed)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"uscc", "outstanding_yuan"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: the header lacks {', '.join(sorted(missing))} (columns: {', '.join(_COLUMNS)})")
        loans = []
        for line, row in enumerate(reader, start=2):
            at = f"{path}, line {line}"
            outstanding = _decimal(row.get("outstanding_yuan"), f"{at}, outstanding_yuan")
            if outstanding is None:
                raise ValueError(f"{at}: outstanding_yuan is required")
            loans.append(
                Loan(
                    uscc=(row.get("uscc") or "").strip(),
                    outstanding_yuan=outstanding,
                    equity_plus_debt_yuan=_decimal(row.get("equity_plus_debt_yuan"), f"{at}, equity_plus_debt_yuan"),
                    evic_yuan=_decimal(row.get("evic_yuan"), f"{at}, evic_yuan"),
                    reference=(row.get("reference") or "").strip() or None,
                )
            )
    return loans


def shift_errors(errors: Sequence[FieldError], start: int) -> list[FieldError]:
    """A chunk's field errors named by the loan's place in the whole book (`loans[3]` → `loans[1003]`)."""

    def shifted(field: str) -> str:
        match = _INDEX.match(field)
        return f"loans[{int(match.group(1)) + start}]{match.group(2)}" if match else field

    return [FieldError(field=shifted(e.field), detail=e.detail) for e in errors]
