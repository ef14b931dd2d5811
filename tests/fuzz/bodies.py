"""Value strategies the served document names but cannot spell: decimal strings, import files.

`decimal` (the OpenAPI format of every quantity and amount) draws ordinary amounts most
of the time and msgspec's edge cases (NaN, infinities, huge exponents, negative zero)
otherwise. `import_csv(uscc)` draws a csv import: the template's header and example rows
for `uscc`, some cells replaced by awkward values, sometimes a broken header or line.
"""

from __future__ import annotations

import csv
import io

import schemathesis
from hypothesis import strategies as st

from service.imports.template import template_csv
from service.imports.upload import XLSX_MEDIA_TYPE

__all__ = ["DECIMALS", "import_csv", "register"]

EDGE_DECIMALS = (
    "0",
    "-0",
    "0.000",
    "-1",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e999999",
    "-1E+999999",
    "1E-999999",
    "9" * 80,
    "0." + "0" * 60 + "1",
    " 1 ",
    "1_000",
    "1e3",
)
_ORDINARY = st.decimals(min_value=0, max_value=10**9, places=4).map(str)
_ODD = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(EDGE_DECIMALS),
)
DECIMALS = st.integers(min_value=0, max_value=9).flatmap(lambda i: _ORDINARY if i < 7 else _ODD)


def _template() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(template_csv().decode("utf-8-sig"))))
    return rows[0], rows[1:]


HEADER, EXAMPLE_ROWS = _template()
_CELL = st.one_of(
    DECIMALS,
    st.sampled_from(["", "2023", "2024", "1999", "99999", "t", "tce", "fuel", "bituminous_coal", "true", "是"]),
    st.text(max_size=12),
)


@st.composite
def import_csv(draw: st.DrawFn, uscc: str) -> str:
    rows = []
    for base in draw(st.lists(st.sampled_from(EXAMPLE_ROWS), min_size=0, max_size=6)):
        row = [uscc if i == 1 else cell for i, cell in enumerate(base)]
        row[2] = draw(st.sampled_from(["2022", "2023", "2024", "2025"]))
        for i in draw(st.lists(st.integers(min_value=0, max_value=len(row) - 1), max_size=4)):
            row[i] = draw(_CELL)
        rows.append(row[: draw(st.integers(min_value=1, max_value=len(row)))] if draw(st.booleans()) else row)
    header = list(HEADER)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        header[draw(st.integers(min_value=0, max_value=len(header) - 1))] = draw(st.text(max_size=8))
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    text = out.getvalue()
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # a stray quote, NUL or line break
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\x00", "\r", "\n\n", "\ufeff"])) + text[at:]
    return text


def register() -> None:
    """Teach schemathesis the `decimal` format and how to put an import file on the wire."""
    schemathesis.openapi.format("decimal", DECIMALS)
    schemathesis.serializer.alias(XLSX_MEDIA_TYPE, "application/octet-stream")
    schemathesis.serializer.alias("text/csv", "text/plain")
