"""Build bulk-filing files for tests: an xlsx workbook or a csv from sheets of rows."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from domain.filing_sheets import SHEETS

__all__ = ["XLSX", "cement_rows", "csv_file", "headers", "merge", "xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Rows = dict[str, list[list[Any]]]


def headers(sheet_name: str) -> list[str]:
    return [c.header for c in next(s for s in SHEETS if s.name == sheet_name).columns]


def cement_rows(uscc: str, period: int = 2024, value_added: Any = 50000) -> Rows:
    """CEMENT_CONTENT (tests/helpers.py) as rows of the template's sheets."""
    return {
        "填报": [[uscc, period, None, value_added, None, 50000, None, None]],
        "能源": [[uscc, period, "bituminous_coal", 100000, "t", None, None, None, None, None]],
        "产品": [[uscc, period, "cement_clinker", 800000, None, 85000, "tce", None, None]],
        "熟料": [[uscc, period, 800000, 0.65, 0.02, None, None]],
    }


def merge(*parts: Rows) -> Rows:
    out: Rows = {}
    for part in parts:
        for sheet, rows in part.items():
            out.setdefault(sheet, []).extend(rows)
    return out


def xlsx(rows: Rows) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    for name, body in rows.items():
        ws = book.create_sheet(name)
        ws.append(headers(name))
        for row in body:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: Rows, encoding: str = "utf-8-sig") -> bytes:
    """One csv for every sheet: a 表 sheet column, then the union of the sheets' columns."""
    keys: list[str] = []
    for sheet in SHEETS:
        keys += [c.key for c in sheet.columns if c.key not in keys]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["表 sheet", *keys])
    for name, body in rows.items():
        sheet_keys = [c.key for c in next(s for s in SHEETS if s.name == name).columns]
        for row in body:
            values = dict(zip(sheet_keys, row, strict=True))
            writer.writerow([name, *("" if values.get(k) is None else values[k] for k in keys)])
    return out.getvalue().encode(encoding)
