"""An import plan checked against the database, then written in one transaction.

The checks the file alone cannot make: the enterprise exists and the caller may file
for it (an enterprise for itself, a regulator for any), and each filing's version
follows the period's versions (a first filing, or a correction naming the latest).
Writing takes the same per-enterprise-and-period advisory locks as a single create,
then inserts every filing and its audit event with one statement each.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

import msgspec
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, StateConflict
from domain.filing_import import PlannedFiling, Problem
from domain.filings import FilingStatus, next_version
from domain.organisations import OrgKind
from service.auth.principal import Principal
from service.db.models import AuditEvent, Enterprise, Filing, FilingImport
from service.filings import encode_content
from service.imports.upload import Upload

__all__ = ["CheckedFiling", "Created", "check_against_database", "write_import"]

_FILING_SHEET = "填报"


class Created(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    uscc: str
    period: int
    version: int
    status: str


class CheckedFiling(msgspec.Struct, frozen=True, kw_only=True):
    filing: PlannedFiling
    enterprise_id: uuid.UUID
    version: int
    supersedes_id: uuid.UUID | None


def _problem(f: PlannedFiling, column: str, detail: str) -> Problem:
    return Problem(sheet=_FILING_SHEET, row=f.row, column=column, cell=f.cells.get(column), detail=detail)


async def _enterprises(db: AsyncSession, actor: Principal, usccs: set[str]) -> dict[str, uuid.UUID]:
    """The enterprises the caller may file for, by USCC (others look the same as unknown ones)."""
    if actor.kind is OrgKind.ENTERPRISE:
        usccs = {u for u in usccs if actor.owns(u)}
    rows = await db.execute(select(Enterprise.uscc, Enterprise.enterprise_id).where(Enterprise.uscc.in_(usccs)))
    return {r.uscc: r.enterprise_id for r in rows}


async def check_against_database(
    db: AsyncSession, actor: Principal, filings: list[PlannedFiling], *, lock: bool
) -> tuple[list[CheckedFiling], list[Problem]]:
    """Each filing's enterprise and version; with `lock`, hold the periods until the commit."""
    ents = await _enterprises(db, actor, {f.uscc for f in filings})
    problems: list[Problem] = []
    known: list[tuple[PlannedFiling, uuid.UUID]] = []
    for f in filings:
        if f.uscc not in ents:
            problems.append(_problem(f, "uscc", f"no enterprise {f.uscc} that you may file for"))
        else:
            known.append((f, ents[f.uscc]))
    if lock and known:
        keys = sorted({(f"filings:{eid}", f.period) for f, eid in known})
        await db.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(hashtext(k), p)) FROM unnest(CAST(:ks AS text[]), CAST(:ps AS int[])) AS t(k, p)"
            ),
            {"ks": [k for k, _ in keys], "ps": [p for _, p in keys]},
        )
    existing: dict[tuple[uuid.UUID, int], list[tuple[uuid.UUID, int, FilingStatus]]] = defaultdict(list)
    if known:
        stmt = select(Filing.id, Filing.enterprise_id, Filing.period, Filing.version, Filing.status).where(
            Filing.enterprise_id.in_({eid for _, eid in known})
        )
        for r in await db.execute(stmt):
            existing[(r.enterprise_id, r.period)].append((r.id, r.version, FilingStatus(r.status)))
    checked: list[CheckedFiling] = []
    for f, eid in known:
        versions = existing[(eid, f.period)]
        try:
            version = next_version(f.period, [(v, s) for _, v, s in versions], f.supersedes)
        except (Conflict, StateConflict) as exc:
            problems.append(_problem(f, "supersedes" if f.supersedes is not None else "period", exc.detail))
            continue
        supersedes_id = next((i for i, v, _ in versions if v == f.supersedes), None)
        checked.append(CheckedFiling(filing=f, enterprise_id=eid, version=version, supersedes_id=supersedes_id))
    return checked, problems


async def write_import(
    db: AsyncSession, actor: Principal, checked: list[CheckedFiling], upload: Upload
) -> tuple[uuid.UUID, list[Created]]:
    """Insert every filing as a draft with the file's SHA-256 in its content; record the import."""
    import_id = uuid.uuid4()
    rows: list[dict[str, object]] = []
    created: list[Created] = []
    for c in checked:
        content = msgspec.structs.replace(c.filing.content, source_file_sha256=upload.sha256)
        document, sha = encode_content(content)
        filing_id = uuid.uuid4()
        rows.append(
            {
                "id": filing_id,
                "enterprise_id": c.enterprise_id,
                "period": c.filing.period,
                "version": c.version,
                "status": FilingStatus.DRAFT.value,
                "supersedes_id": c.supersedes_id,
                "content": document,
                "content_sha256": sha,
                "created_by_client_id": actor.client_id,
            }
        )
        created.append(
            Created(id=filing_id, uscc=c.filing.uscc, period=c.filing.period, version=c.version, status="draft")
        )
    if rows:
        await db.execute(insert(Filing), rows)
        events = [
            {
                "client_id": actor.client_id,
                "org_id": actor.org_id,
                "action": "filing.create",
                "target": f"filing:{c.id}",
                "detail": {
                    "uscc": c.uscc,
                    "period": str(c.period),
                    "version": str(c.version),
                    "import": str(import_id),
                },
            }
            for c in created
        ]
        await db.execute(insert(AuditEvent), events)
    db.add(
        FilingImport(
            id=import_id,
            org_id=actor.org_id,
            client_id=actor.client_id,
            file_sha256=upload.sha256,
            file_bytes=upload.size,
            format=upload.format,
            filing_ids=[c.id for c in created],
        )
    )
    await db.flush()
    return import_id, created
