"""Bulk import through the SDK (both clients): the template (xlsx and csv), a dry run that lists
problems by sheet and cell, an import that is refused whole (ImportRejected with the problems),
one that creates drafts, and an Idempotency-Key that replays it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from carbon_account_client import ImportRejected

from tests.sdk.blocking import Connect
from tests.sdk.city import Org
from tests.workbooks import cement_rows, csv_file, xlsx


def bad_rows(uscc: str) -> dict[str, list[list[object]]]:
    rows = cement_rows(uscc)
    rows["能源"][0][3] = "很多"  # the quantity is not a number
    return rows


def test_the_template_in_both_formats(connect: Connect) -> None:
    anyone = connect()
    assert anyone.filing_template().startswith(b"PK\x03\x04")  # an xlsx workbook is a zip
    assert anyone.filing_template("csv").decode("utf-8-sig").startswith("表 sheet,")
    with pytest.raises(ValueError):
        anyone.filing_template("ods")


def test_dry_run_refusal_and_import(new_enterprise: Org, connect: Connect, tmp_path: Path) -> None:
    ent, uscc = connect(new_enterprise), new_enterprise.uscc
    wrong = xlsx(bad_rows(uscc))
    dry = ent.import_filings(wrong, dry_run=True)
    assert (dry.dry_run, dry.format, dry.file_sha256) == (True, "xlsx", hashlib.sha256(wrong).hexdigest())
    assert [(p.sheet, p.cell, p.column) for p in dry.problems] == [("能源", "D2", "quantity")]
    assert dry.import_id is None and dry.created == []
    with pytest.raises(ImportRejected) as refused:
        ent.import_filings(wrong)
    assert refused.value.status == 422 and refused.value.problems == dry.problems
    assert [e.field for e in refused.value.errors] == ["能源!D2"] and refused.value.more_problems == 0
    assert ent.filings(uscc).items == []  # all or nothing

    path = tmp_path / "filings.csv"
    path.write_bytes(csv_file(cement_rows(uscc)))
    seen: list[tuple[int, int | None]] = []
    key = f"import-{uscc}"
    done = ent.import_filings(path, idempotency_key=key, progress=lambda d, t: seen.append((d, t)))
    assert (done.dry_run, done.format, done.filings, done.problems) == (False, "csv", 1, [])
    assert done.import_id is not None and seen[-1] == (path.stat().st_size, path.stat().st_size)
    [created] = done.created
    assert (created.uscc, created.period, created.version, created.status) == (uscc, 2024, 1, "draft")
    assert [f.id for f in ent.filings(uscc, period=2024).items] == [created.id]
    assert ent.filing(created.id).content["value_added_wan"] == "50000"
    replayed = ent.import_filings(path, idempotency_key=key)
    assert replayed.import_id == done.import_id and len(ent.filings(uscc).items) == 1
