"""CSV answers for people's spreadsheets: asked for with `Accept: text/csv`, written in UTF-8 with a
byte-order mark so that a spreadsheet opens the Chinese headers intact (statistics, the regulator
lists, the finance figures, and the console's CSV links, which give the same bytes)."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Request, Response

__all__ = ["csv_response", "wants_csv"]


def wants_csv(request: Request[Any, Any, Any]) -> bool:
    return "text/csv" in request.headers.get("accept", "")


def csv_response(rows: list[list[Any]]) -> Response[bytes]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Response(("\ufeff" + buffer.getvalue()).encode("utf-8"), media_type="text/csv")  # Litestar adds the charset
