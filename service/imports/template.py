"""The bulk-filing template: an xlsx workbook (one sheet per kind of line) and its csv twin.

Built from `domain.filing_sheets`, so the template and the reader cannot disagree. The
workbook opens with a 说明 (instructions) sheet, which the reader skips, and each data
sheet has one example row (a cement plant) that the filer overwrites.
"""

from __future__ import annotations

import csv
import functools
import io

from domain.filing_sheets import SHEETS, Column
from domain.uscc import org_code_check_character, uscc_check_character

__all__ = ["template_csv", "template_xlsx"]


def _example_uscc() -> str:
    """A well-formed code (check characters right) that no enterprise holds."""
    first17 = "91370303" + "EXAMPLE1" + org_code_check_character("EXAMPLE1")
    return first17 + uscc_check_character(first17)


_EXAMPLE_USCC = _example_uscc()
_EXAMPLE: dict[str, dict[str, object]] = {
    "filings": {"value_added_wan": 50000, "output_value_wan": 180000, "purchased_mwh": 50000},
    "energy": {"carrier": "bituminous_coal", "quantity": 100000, "unit": "t", "use": "fuel"},
    "products": {"product": "cement_clinker", "output": 800000, "energy": 85000, "energy_unit": "tce"},
    "clinker": {"output_t": 800000, "cao_fraction": 0.65, "mgo_fraction": 0.02},
}
_GUIDE = (
    ("淄博市碳账户 — 批量填报模板", "Zibo carbon account — bulk filing template"),
    (
        "每张工作表一种数据；每行以统一社会信用代码和年度指明所属填报。",
        "One sheet per kind of line; each row names its filing by USCC and year.",
    ),
    (
        "填报表每个企业、年度一行：工业增加值、产值、电力。",
        "填报: one row per enterprise and year (value added, output value, electricity).",
    ),
    (
        "更正已提交的数据时，在“更正的版本”填写被更正的最新版本号。",
        "A correction names the latest version it supersedes in 更正的版本.",
    ),
    (
        "先以 dry_run=true 上传检查，所有问题按工作表、行、列列出。",
        "Upload with dry_run=true first: every problem is listed by sheet, row and column.",
    ),
    ("示例行（水泥熟料）请替换为实际数据。", "Replace the example rows (a cement plant) with your data."),
)


def _example(sheet_key: str, columns: tuple[Column, ...]) -> list[object] | None:
    values = _EXAMPLE.get(sheet_key)
    if values is None:
        return None
    row = {"uscc": _EXAMPLE_USCC, "period": 2024, **values}
    return [row.get(c.key) for c in columns]


@functools.cache
def template_xlsx() -> bytes:
    """The workbook's bytes (built once; openpyxl's write-only mode)."""
    import openpyxl
    from openpyxl.comments import Comment

    book = openpyxl.Workbook(write_only=True)
    guide = book.create_sheet("说明")
    for zh, en in _GUIDE:
        guide.append([zh, en])
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        header = []
        for col in sheet.columns:
            cell = openpyxl.cell.WriteOnlyCell(ws, value=col.header)
            hint = "; ".join(filter(None, ["必填 required" if col.required else "", "/".join(col.choices), col.note]))
            if hint:
                cell.comment = Comment(hint, "carbon-account")
            header.append(cell)
        ws.append(header)
        example = _example(sheet.key, sheet.columns)
        if example is not None:
            ws.append(example)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_columns() -> list[str]:
    seen: dict[str, str] = {}
    for sheet in SHEETS:
        for col in sheet.columns:
            seen.setdefault(col.key, col.header)
    return list(seen.values())


@functools.cache
def template_csv() -> bytes:
    """One csv for every sheet: the first column, 表 sheet, names each row's sheet."""
    headers = _csv_columns()
    keys = [h.rsplit(" ", 1)[-1] for h in headers]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["表 sheet", *headers])
    for sheet in SHEETS:
        example = _example(sheet.key, sheet.columns)
        if example is not None:
            values = dict(zip((c.key for c in sheet.columns), example, strict=True))
            writer.writerow([sheet.name, *(values.get(k, "") for k in keys)])
    return ("\ufeff" + out.getvalue()).encode()
