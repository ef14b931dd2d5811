"""Bulk-import answers: a dry run's report, an import's created filings."""

from __future__ import annotations

import uuid

import msgspec

from domain.filing_import import Problem
from service.imports.store import Created

__all__ = ["ImportReport", "ImportResult"]


class ImportReport(msgspec.Struct, kw_only=True):
    """A dry run: what the file would create, and every problem by sheet, row and column."""

    dry_run: bool
    file_sha256: str
    format: str
    filings: int
    """Filings the file would create (those without a problem)."""
    problems: list[Problem]
    more_problems: int = 0
    """Problems beyond the first 1,000 listed."""


class ImportResult(msgspec.Struct, kw_only=True):
    """An import done: every filing created as a draft, in one transaction."""

    import_id: uuid.UUID
    dry_run: bool
    file_sha256: str
    format: str
    filings: int
    created: list[Created]
    problems: list[Problem]
