"""Benchmark: one bulk-import file of N filings, checked (dry run) and imported over HTTP.

    python -m bench.filing_import --filings 5000

Seeds N enterprises (COPY), writes an xlsx workbook in the template's layout with N
filings (a 填报 row, two energy rows, a product and a clinker row each: 5 N rows), starts
the service (uvicorn, one worker) and, as a regulator, posts the file with dry_run=true,
then for real. Prints each request's seconds and checks that N filings were written,
each holding the file's SHA-256. The aim (issue 9): 5,000 filings in under 30 s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import time
import uuid
from typing import Any

import asyncpg
import httpx
import openpyxl

from bench.bank_read import SECRET, _server, _token, bench_database
from domain.filing_sheets import SHEETS
from domain.organisations import OrgKind
from service.bootstrap import bootstrap_client
from service.demo import demo_uscc
from service.settings import Settings
from tests import db as testdb
from tests.live import free_port, wait_until_up

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _seed(dsn: str, n: int) -> list[str]:
    orgs, ents, usccs = [], [], []
    for i in range(n):
        org_id, uscc = uuid.uuid4(), demo_uscc("370303", f"M{i:06d}")
        orgs.append((org_id, "enterprise", f"导入测试企业{i}", "active"))
        ents.append((org_id, uscc, f"导入测试企业{i}", "370303", "3011", "building_materials"))
        usccs.append(uscc)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("organisations", records=orgs, columns=["id", "kind", "name", "status"])
        await conn.copy_records_to_table(
            "enterprises", records=ents, columns=["enterprise_id", "uscc", "name", "district", "industry", "sector"]
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return usccs


def workbook(usccs: list[str], period: int = 2024) -> bytes:
    """The template's layout with one cement filing per USCC, figures varied a little."""
    book = openpyxl.Workbook(write_only=True)
    sheets = {s.name: book.create_sheet(s.name) for s in SHEETS}
    for s in SHEETS:
        sheets[s.name].append([c.header for c in s.columns])
    for i, uscc in enumerate(usccs):
        key = [uscc, period]
        sheets["填报"].append([*key, None, 40000 + i, 150000 + i, 50000 + i, None, None])
        sheets["能源"].append([*key, "bituminous_coal", 100000 + i, "t", "fuel", None, None, None, None])
        sheets["能源"].append([*key, "diesel", 120 + i % 50, "t", "fuel", None, None, None, None])
        sheets["产品"].append([*key, "cement_clinker", 800000 + i, 1000000, 85000 + i % 900, "tce", None, None])
        sheets["熟料"].append([*key, 800000 + i, 0.65, 0.02, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _written(dsn: str, sha: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        filings = await conn.fetchval("SELECT count(*) FROM filings WHERE content->>'source_file_sha256' = $1", sha)
        imports = await conn.fetchval("SELECT count(*) FROM filing_imports WHERE file_sha256 = $1", sha)
    finally:
        await conn.close()
    return {"filings_with_file_sha256": int(filings), "import_records": int(imports)}


def run(n: int) -> dict[str, Any]:
    with bench_database() as settings:
        return _run(settings, n)


def _run(settings: Settings, n: int) -> dict[str, Any]:
    owner = testdb.dsn(settings.database_url)
    usccs = asyncio.run(_seed(owner, n))
    creds = asyncio.run(bootstrap_client(settings, OrgKind.REGULATOR, "bench regulator", None, "bench"))
    t0 = time.perf_counter()
    body = workbook(usccs)
    built = time.perf_counter() - t0
    sha = hashlib.sha256(body).hexdigest()
    env = {"DATABASE_URL": settings.database_url, "CARBON_SECRET_KEY": SECRET, "RUN_JOBS": "0",
           "RATE_LIMIT_PER_MINUTE": "100000"}  # fmt: skip
    port = free_port()
    with _server("service.asgi:app", port, 1, env) as api:
        wait_until_up(f"{api}/readyz")
        headers = {"Authorization": f"Bearer {_token(api, creds['client_id'], creds['client_secret'])}",
                   "Content-Type": XLSX}  # fmt: skip
        timings: dict[str, float] = {}
        answers: dict[str, Any] = {}
        for label, query in (("dry_run", "true"), ("import", "false")):
            started = time.perf_counter()
            r = httpx.post(f"{api}/v1/filings/import?dry_run={query}", content=body, headers=headers, timeout=300)
            timings[label] = round(time.perf_counter() - started, 2)
            answers[label] = {"status": r.status_code, "problems": len(r.json().get("problems", []))}
    return {
        "filings": n,
        "rows": 5 * n,
        "file_bytes": len(body),
        "workbook_built_seconds": round(built, 2),
        "seconds": timings,
        "answers": answers,
        **asyncio.run(_written(owner, sha)),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filings", type=int, default=5_000)
    print(json.dumps(run(parser.parse_args().filings), indent=2, ensure_ascii=False))
