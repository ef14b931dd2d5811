"""Rows of the bulk-filing workbook into filings, with every problem named by its cell.

Pure: the service reads the file (xlsx or csv) and feeds rows in; this module decodes
each cell, groups lines under their filing (统一社会信用代码 + 年度 on the 填报 sheet)
and runs each line through the same checks as the API (`validate_content`), one line
at a time, so that a dry run reports every wrong line rather than the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

import msgspec

from domain.accounting.validate import validate_content
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filing_sheets import Column, Kind, Sheet, column_letter
from domain.filings import (
    AluminiumLine,
    ByproductGas,
    Capture,
    Carbonate,
    Clinker,
    Electricity,
    EnergyLine,
    FilingContent,
    HeatLine,
    MassBalanceLine,
    NitrousOxideLine,
    PowerSupplyLine,
    ProductLine,
    SteelMaterial,
)
from domain.uscc import validate_uscc

__all__ = ["MAX_FILINGS", "MAX_PROBLEMS", "ImportBuilder", "ImportPlan", "Layout", "PlannedFiling", "Problem"]

MAX_FILINGS = 10_000
"""Filings in one file; more is refused (split the file)."""
MAX_PROBLEMS = 1_000
"""Problems listed in one answer; the count of the rest is given."""

_LINE_TYPES: dict[str, type[msgspec.Struct]] = {
    "energy": EnergyLine,
    "heat": HeatLine,
    "products": ProductLine,
    "clinker": Clinker,
    "carbonates": Carbonate,
    "captured": Capture,
    "mass_balance": MassBalanceLine,
    "steel_materials": SteelMaterial,
    "byproduct_gases": ByproductGas,
    "aluminium": AluminiumLine,
    "nitrous_oxide": NitrousOxideLine,
    "power_supply": PowerSupplyLine,
}
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_TRUE, _FALSE = {"1", "true", "yes", "y", "是", "true()"}, {"0", "false", "no", "n", "否", "false()"}
_FIELD_PATH = re.compile(r"^(?:\w+\[\d+\]\.|electricity\.)?(\w+)")


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    sheet: str
    row: int
    column: str
    """The field's key (`quantity`), or `sheet` / `header` for a problem with the layout."""
    cell: str | None
    """The cell in A1 notation (`D7`), when the problem is one cell's."""
    detail: str


class PlannedFiling(msgspec.Struct, frozen=True, kw_only=True):
    uscc: str
    period: int
    supersedes: int | None
    content: FilingContent
    row: int
    """Its row on the 填报 sheet (for problems found later: an unknown enterprise, a version conflict)."""
    cells: dict[str, str]
    """Column key → cell of that row, for the same reason."""


class ImportPlan(msgspec.Struct, frozen=True, kw_only=True):
    filings: list[PlannedFiling]
    problems: list[Problem]
    more_problems: int = 0
    """Problems found beyond the MAX_PROBLEMS listed."""


class Layout(msgspec.Struct, frozen=True, kw_only=True):
    """Which column of the file holds which field of a sheet."""

    sheet: Sheet
    columns: dict[int, Column]
    foreign: frozenset[int] = frozenset()
    """Columns of other sheets (a csv file holds every sheet): they must stay empty on this sheet's rows."""


class _Line(msgspec.Struct, kw_only=True):
    sheet: Sheet
    row: int
    cells: dict[str, str]
    values: dict[str, object]


class ImportBuilder:
    """Feed it headers and rows in file order; `finish` checks the whole and plans the filings."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.more = 0
        self._filings: dict[tuple[str, int], _Line] = {}
        self._lines: list[_Line] = []
        self._broken: set[tuple[str, int]] = set()
        """Filings whose 填报 row has a bad cell: their lines are not checked against it."""

    # --- reporting ---------------------------------------------------------------

    def problem(self, sheet: str, row: int, column: str, cell: str | None, detail: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(sheet=sheet, row=row, column=column, cell=cell, detail=detail))
        else:
            self.more += 1

    # --- the layout --------------------------------------------------------------

    def layout(self, sheet: Sheet, header: Sequence[object], *, row: int = 1, others_allowed: bool = False) -> Layout:
        """Map the header's cells to the sheet's columns; report unknown, repeated and missing ones."""
        columns: dict[int, Column] = {}
        foreign: set[int] = set()
        for i, text in enumerate(header):
            if text is None or str(text).strip() == "":
                continue
            col = sheet.column(text)
            if col is None:
                if others_allowed:
                    foreign.add(i)
                    continue
                self.problem(sheet.name, row, "header", f"{column_letter(i)}{row}", f"unknown column {text!r}")
            elif col in columns.values():
                self.problem(sheet.name, row, col.key, f"{column_letter(i)}{row}", f"column {col.header!r} repeated")
            else:
                columns[i] = col
        for col in sheet.columns:
            if col.required and col not in columns.values():
                self.problem(sheet.name, row, col.key, None, f"required column {col.header!r} is missing")
        return Layout(sheet=sheet, columns=columns, foreign=frozenset(foreign))

    # --- rows --------------------------------------------------------------------

    def row(self, layout: Layout, row: int, cells: Sequence[object]) -> None:
        """One row of a sheet: decode its cells; an empty row is skipped."""
        sheet = layout.sheet
        if all(_blank(c) for c in cells):
            return
        values: dict[str, object] = {}
        where: dict[str, str] = {}
        before = len(self.problems) + self.more
        for i, col in layout.columns.items():
            cell = f"{column_letter(i)}{row}"
            where[col.key] = cell
            raw = cells[i] if i < len(cells) else None
            if _blank(raw):
                if col.required:
                    self.problem(sheet.name, row, col.key, cell, f"{col.header} is required")
                continue
            try:
                values[col.key] = _decode(col, raw)
            except ValueError as exc:
                self.problem(sheet.name, row, col.key, cell, str(exc))
        for i in layout.foreign:
            if i < len(cells) and not _blank(cells[i]):
                self.problem(
                    sheet.name, row, "sheet", f"{column_letter(i)}{row}", f"this column is not on {sheet.name}"
                )
        if not {"uscc", "period"} <= values.keys():
            return
        key = (str(values["uscc"]), int(str(values["period"])))
        if len(self.problems) + self.more > before:  # reported; the row goes no further
            if sheet.key == "filings":
                self._broken.add(key)
            return
        line = _Line(sheet=sheet, row=row, cells=where, values=values)
        if sheet.key == "filings":
            if key in self._filings:
                first = self._filings[key].row
                self.problem(sheet.name, row, "period", where["period"], f"{key[0]} {key[1]} is already on row {first}")
                return
            self._filings[key] = line
        else:
            self._lines.append(line)

    # --- the whole ---------------------------------------------------------------

    def periods(self) -> set[int]:
        """The years named so far (their factor sets are what `finish` needs)."""
        return {period for _, period in self._filings}

    def finish(self, factor_sets: Mapping[int, FactorSet | None]) -> ImportPlan:
        """Group lines under their filings and check each line against its year's factor set."""
        if not self._filings and not self._broken:
            self.problem("填报", 1, "sheet", None, "the file holds no filing: each needs its row on 填报")
        if len(self._filings) > MAX_FILINGS:
            self.problem("填报", 1, "sheet", None, f"{len(self._filings)} filings: at most {MAX_FILINGS} in one file")
        grouped: dict[tuple[str, int], dict[str, list[object]]] = {key: {} for key in self._filings}
        for line in self._lines:
            key = (str(line.values["uscc"]), int(str(line.values["period"])))
            if key in self._broken:
                continue
            if key not in grouped:
                self.problem(
                    line.sheet.name, line.row, "uscc", line.cells["uscc"], f"{key[0]} {key[1]} has no row on 填报"
                )
                continue
            built = self._line(line, factor_sets.get(key[1]))
            if built is not None:
                grouped[key].setdefault(line.sheet.key, []).append(built)
        planned: list[PlannedFiling] = []
        for key, head in self._filings.items():
            filing = self._filing(head, grouped[key], factor_sets.get(key[1]))
            if filing is not None:
                planned.append(filing)
        return ImportPlan(filings=planned, problems=self.problems, more_problems=self.more)

    def _check(self, line: _Line, content: FilingContent, factors: FactorSet) -> bool:
        try:
            validate_content(content, factors)
        except InvalidField as exc:
            match = _FIELD_PATH.match(exc.field)
            key = match.group(1) if match else exc.field
            self.problem(line.sheet.name, line.row, key, line.cells.get(key), exc.reason)
            return False
        return True

    def _line(self, line: _Line, factors: FactorSet | None) -> object | None:
        fields = {k: v for k, v in line.values.items() if k not in ("uscc", "period")}
        try:
            built = msgspec.convert(fields, _LINE_TYPES[line.sheet.key], strict=False)
        except msgspec.ValidationError as exc:
            self.problem(line.sheet.name, line.row, "row", None, str(exc))
            return None
        if factors is not None and not self._check(line, FilingContent(**{line.sheet.key: [built]}), factors):
            return None
        return built

    def _filing(self, head: _Line, lines: dict[str, list[object]], factors: FactorSet | None) -> PlannedFiling | None:
        v = head.values
        uscc, period = str(v["uscc"]), int(str(v["period"]))
        try:
            validate_uscc(uscc)
        except InvalidField as exc:
            self.problem(head.sheet.name, head.row, "uscc", head.cells["uscc"], exc.reason)
            return None
        if factors is None:
            self.problem(head.sheet.name, head.row, "period", head.cells["period"], f"no factor set holds {period}")
            return None
        power = {k: v[k] for k in ("purchased_mwh", "exported_mwh", "green_certified_mwh") if k in v}
        content = FilingContent(
            electricity=Electricity(**power),  # type: ignore[arg-type]
            value_added_wan=v.get("value_added_wan"),  # type: ignore[arg-type]
            output_value_wan=v.get("output_value_wan"),  # type: ignore[arg-type]
        )
        if not self._check(head, content, factors):
            return None
        content = msgspec.structs.replace(content, **lines)  # type: ignore[arg-type]
        supersedes = v.get("supersedes")
        return PlannedFiling(
            uscc=uscc,
            period=period,
            supersedes=int(str(supersedes)) if supersedes is not None else None,
            content=content,
            row=head.row,
            cells=head.cells,
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _decode(col: Column, raw: object) -> object:
    """One cell's value as the field wants it; ValueError names what is wrong."""
    if col.kind is Kind.TEXT:
        text = _text(raw)
        if col.choices and text not in col.choices:
            raise ValueError(f"{text!r} is not one of {', '.join(col.choices)}")
        if len(text) > 200:
            raise ValueError("longer than 200 characters")
        return text
    if col.kind is Kind.DECIMAL:
        return _decimal(raw)
    if col.kind in (Kind.YEAR, Kind.VERSION):
        number = _decimal(raw)
        if number != number.to_integral_value():
            raise ValueError(f"{raw!r} is not a whole number")
        low, high = (2000, 2100) if col.kind is Kind.YEAR else (1, 10_000)
        if not low <= number <= high:
            raise ValueError(f"must be {low} to {high}")
        return int(number)
    if col.kind is Kind.BOOL:
        if isinstance(raw, bool):
            return raw
        text = _text(raw).lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f"{raw!r} is not 是/否 (true/false)")
    return _attributes(raw)


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError("a number is expected, not a true/false value")
    text = repr(raw) if isinstance(raw, float) else str(raw).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    return value


def _attributes(raw: object) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for part in re.split(r"[;；]", str(raw)):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{part.strip()!r}: write attributes as name=value; name=value")
        out[name.strip()] = _decimal(value)
    return out
