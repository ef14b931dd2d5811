"""The bulk-filing sheets of the process families: each line kind has its sheet, read into the filing."""

from __future__ import annotations

from decimal import Decimal
from typing import get_type_hints

from domain.filing_import import ImportBuilder
from domain.filing_sheets import SHEETS, find_sheet
from domain.filings import FilingContent

from .worked import factor_set_for

USCC = "91370303T000001160"  # a valid code (tests/helpers.py new_uscc)


def _plan(sheets: dict[str, list[list[object]]]):  # type: ignore[no-untyped-def]
    builder = ImportBuilder()
    for name, rows in sheets.items():
        sheet = find_sheet(name)
        assert sheet is not None
        layout = builder.layout(sheet, [c.header for c in sheet.columns])
        for i, cells in enumerate(rows, start=2):
            builder.row(layout, i, cells)
    return builder.finish({2023: factor_set_for(2023)})


def test_every_new_line_kind_has_a_sheet_with_every_field() -> None:
    keys = {s.key: s for s in SHEETS}
    for kind in ("mass_balance", "steel_materials", "byproduct_gases", "aluminium", "nitrous_oxide", "power_supply"):
        line_type = get_type_hints(FilingContent)[kind].__args__[0]  # list[Line] -> Line
        assert kind in keys, kind
        fields = {c.key for c in keys[kind].columns} - {"uscc", "period"}
        assert fields == set(line_type.__struct_fields__), kind


def test_rows_become_lines_and_bad_cells_name_their_field() -> None:
    plan = _plan(
        {
            "填报": [[USCC, 2023, None, 60000, None, None, None, None]],
            "碳平衡": [
                [USCC, 2023, "coking_coal", "in", 1300000, None, 0.78, "coke_oven"],
                [USCC, 2023, "coke", "out", 1000000, None, 0.86, "coke_oven"],
            ],
            "电解铝": [[USCC, 2023, 400000, None, None, None, None, None]],
        }
    )
    assert plan.problems == []
    (filing,) = plan.filings
    assert [(m.material, m.flow, m.quantity) for m in filing.content.mass_balance] == [
        ("coking_coal", "in", Decimal(1300000)),
        ("coke", "out", Decimal(1000000)),
    ]
    assert filing.content.aluminium[0].primary_aluminium_t == Decimal(400000)

    bad = _plan(
        {
            "填报": [[USCC, 2023, None, 60000, None, None, None, None]],
            "副产煤气": [[USCC, 2023, "blast_furnace_gas", 100, 90, 20, None, None, None, None]],
        }
    )
    (problem,) = bad.problems
    assert (problem.sheet, problem.column, problem.cell) == ("副产煤气", "exported", "F2")
