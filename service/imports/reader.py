"""Read an uploaded workbook or csv file row by row into an ImportBuilder.

xlsx is read in openpyxl's read-only mode (rows stream from the sheet's XML, parsed
with defusedxml) after the zip's directory is checked: an archive that would inflate
past MAX_INFLATED_BYTES, or one entry inflating more than MAX_RATIO times, is refused
before any of it is decompressed. A csv file holds every sheet: its first column names
the sheet of each row. csv is read as UTF-8 (with or without BOM) or, failing that,
GB 18030, which is what Excel saves on a Chinese system.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO

from domain.filing_import import ImportBuilder, Layout
from domain.filing_sheets import SHEETS, column_letter, find_sheet
from service.errors import ProblemError

__all__ = ["MAX_INFLATED_BYTES", "MAX_RATIO", "MAX_ROWS", "read_csv", "read_xlsx"]

MAX_ROWS = 200_000
"""Rows read from one sheet (a 5,000-filing file has about 25,000)."""
MAX_INFLATED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
_SHEET_HEADERS = ("表 sheet", "表", "sheet")


def _refuse(detail: str) -> ProblemError:
    return ProblemError(422, "unreadable-file", detail)


def check_archive(file: IO[bytes]) -> None:
    """Refuse a zip bomb by its directory: declared sizes bound what zipfile will inflate."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("The file is not a readable .xlsx workbook (not a zip archive).") from exc
    if len(entries) > 1_000:
        raise _refuse(f"The workbook holds {len(entries)} parts; at most 1000 are read.")
    total = sum(e.file_size for e in entries)
    if total > MAX_INFLATED_BYTES:
        raise _refuse(f"The workbook inflates to {total} bytes; at most {MAX_INFLATED_BYTES} are read.")
    for e in entries:
        if e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise _refuse(
                f"Part {e.filename} inflates {e.file_size // max(e.compress_size, 1)}×: refused as a zip bomb."
            )
    file.seek(0)


def _rows(
    builder: ImportBuilder, sheet_name: str, rows: Iterator[Sequence[object]]
) -> Iterator[tuple[int, Sequence[object]]]:
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            builder.problem(sheet_name, number, "sheet", None, f"more than {MAX_ROWS} rows; split the file")
            return
        yield number, row


def read_xlsx(file: IO[bytes], builder: ImportBuilder) -> None:
    import openpyxl  # defusedxml is installed, so openpyxl parses with it

    check_archive(file)
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise _refuse(f"The workbook cannot be read: {type(exc).__name__}.") from exc
    try:
        known = 0
        for ws in book.worksheets:
            sheet = find_sheet(ws.title)
            if sheet is None:
                continue  # the template's 说明 sheet, or the filer's own working sheets
            known += 1
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            layout = builder.layout(sheet, header)
            for number, row in _rows(builder, sheet.name, rows):
                builder.row(layout, number, row)
        if known == 0:
            names = ", ".join(s.name for s in SHEETS)
            raise _refuse(f"No sheet of the template ({names}) is in the workbook.")
    except ProblemError:
        raise
    except Exception as exc:
        raise _refuse(f"The workbook cannot be read: {type(exc).__name__}.") from exc
    finally:
        book.close()


def _encoding(file: IO[bytes]) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        file.seek(0)


def read_csv(file: IO[bytes], builder: ImportBuilder) -> None:
    text = io.TextIOWrapper(file, encoding=_encoding(file), errors="strict", newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            raise _refuse("The csv file is empty.")
        at = next((i for i, h in enumerate(header) if h.strip() in _SHEET_HEADERS), None)
        if at is None:
            raise ProblemError(
                422, "validation", "The csv file's first row needs a column 表 sheet naming each row's sheet."
            )
        header = [h if i != at else "" for i, h in enumerate(header)]
        _known_columns(builder, header)
        layouts: dict[str, Layout] = {}
        for row in reader:
            number = reader.line_num
            if number > MAX_ROWS:
                builder.problem("csv", number, "sheet", None, f"more than {MAX_ROWS} rows; split the file")
                return
            name = row[at].strip() if at < len(row) else ""
            sheet = find_sheet(name)
            if sheet is None:
                if any(c.strip() for c in row):
                    builder.problem("csv", number, "sheet", f"{column_letter(at)}{number}", f"no sheet {name!r}")
                continue
            if sheet.key not in layouts:
                layouts[sheet.key] = builder.layout(sheet, header, others_allowed=True)
            builder.row(layouts[sheet.key], number, row)
    except UnicodeDecodeError as exc:
        raise _refuse("The csv file is neither UTF-8 nor GB 18030 text.") from exc
    except csv.Error as exc:
        raise _refuse(f"The csv file cannot be read: {exc}.") from exc
    finally:
        text.detach()


def _known_columns(builder: ImportBuilder, header: Sequence[str]) -> None:
    """A csv header cell that belongs to no sheet at all is a typo: say so once."""
    for i, text in enumerate(header):
        if text.strip() and not any(s.column(text) for s in SHEETS):
            builder.problem("csv", 1, "header", f"{column_letter(i)}1", f"unknown column {text!r}")
