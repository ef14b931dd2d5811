"""A bulk-import file: its bytes and content type, from a path or from bytes already read."""

from __future__ import annotations

from pathlib import Path

from carbon_account_client.endpoints import CSV, XLSX

__all__ = ["Source", "read_upload"]

Source = str | Path | bytes
_ZIP = b"PK\x03\x04"  # an .xlsx file is a zip archive


def read_upload(source: Source, format: str | None = None) -> tuple[bytes, str]:
    """(bytes, Content-Type): `format` (xlsx or csv) if given, else the file's suffix, else its first bytes."""
    if isinstance(source, bytes):
        content, suffix = source, ""
    else:
        path = Path(source)
        content, suffix = path.read_bytes(), path.suffix.lower().lstrip(".")
    kind = (format or suffix or ("xlsx" if content.startswith(_ZIP) else "csv")).lower()
    if kind not in ("xlsx", "csv"):
        raise ValueError(f"cannot import a {kind!r} file: give an .xlsx or .csv file (or format=)")
    return content, XLSX if kind == "xlsx" else CSV
