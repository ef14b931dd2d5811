"""An uploaded file, streamed to a temporary file while its SHA-256 and size are taken.

The body is never held whole in memory: past 1 MiB the spool moves to disk. The size
limit is checked as bytes arrive, so an oversized upload stops early with 413.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO

from service.errors import ProblemError

__all__ = ["MAX_UPLOAD_BYTES", "XLSX_MEDIA_TYPE", "Upload", "receive"]

MAX_UPLOAD_BYTES = 32 * 1024 * 1024
"""An import file's size limit (5,000 filings take about 1 MB as xlsx, 2 MB as csv)."""
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CSV_TYPES = ("text/csv", "application/csv", "text/plain")


@dataclass(frozen=True, slots=True)
class Upload:
    file: IO[bytes]
    sha256: str
    size: int
    format: str
    """`xlsx` or `csv`."""


def _format(content_type: str, head: bytes) -> str:
    media = content_type.split(";")[0].strip().lower()
    if media == XLSX_MEDIA_TYPE:
        return "xlsx"
    if media in _CSV_TYPES:
        return "csv"
    if media in ("", "application/octet-stream"):
        return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"
    raise ProblemError(
        415,
        "unsupported-media-type",
        f"Send the file as {XLSX_MEDIA_TYPE} or text/csv (got {media or 'none'}).",
    )


async def receive(stream: AsyncIterator[bytes], content_type: str, limit: int = MAX_UPLOAD_BYTES) -> Upload:
    """Spool the body; 413 past `limit`, 422 when empty, 415 for a type that is neither xlsx nor csv."""
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - handed to the caller
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        async for chunk in stream:
            size += len(chunk)
            if size > limit:
                raise ProblemError(413, "payload-too-large", f"An import file may hold at most {limit} bytes.")
            if len(head) < 8:
                head += chunk[:8]
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ProblemError(422, "empty-file", "The body is empty: send the workbook or csv file as the body.")
        kind = _format(content_type, head)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return Upload(file=spool, sha256=digest.hexdigest(), size=size, format=kind)
