"""Benchmark: one rating round over N synthetic enterprises, rated, signed twice and stored.

    python -m bench.rating_round --enterprises 10000 [--methodology 1,2]

Uses the server in BENCH_DATABASE_URL (or TEST_DATABASE_URL; else the embedded one), in a
database of its own that it drops afterwards. Seeds N active enterprises over twelve
GB/T 4754 classes with verified 2023 and 2024 filings (COPY), then runs the round job as
the service does and prints enterprises per second and the time of each stage. With several
methodology versions, each is run on the same data in turn (a first, warming round under the
first version, then every version once, each superseding the one before) and v2's time is
reported against v1's.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import hashlib
import json
import os
import random
import secrets
import time
import uuid
from typing import Any

import asyncpg
import msgspec
from sqlalchemy import text

from domain.filings import FilingContent
from domain.industry import classify
from service.db.engine import make_engine, make_sessionmaker
from service.db.prepare import prepare_database
from service.demo import demo_uscc
from service.demo_filings import TEMPLATES, demo_content
from service.ratings.job import RoundRunner
from service.settings import Settings, app_url_for
from tests import db as testdb

DISTRICTS = ("370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323")
STANDINGS = ("benchmark", "baseline", "baseline", "baseline", "below_baseline")


def _content(template_key: str, rng: random.Random, year: int, standing: str, scale: float) -> tuple[str, str]:
    content = msgspec.convert(demo_content(TEMPLATES[template_key], rng, year, standing, scale), FilingContent)
    document = msgspec.to_builtins(content)
    return json.dumps(document), hashlib.sha256(msgspec.json.encode(document, order="sorted")).hexdigest()


async def seed(dsn: str, n: int) -> None:
    rng = random.Random(42)
    keys = list(TEMPLATES)
    orgs, ents, filings = [], [], []
    for i in range(n):
        key = keys[i % len(keys)]
        org_id = uuid.uuid4()
        district = DISTRICTS[i % len(DISTRICTS)]
        uscc = demo_uscc(district, f"B{i:06d}")
        industry = TEMPLATES[key].industry
        orgs.append((org_id, "enterprise", f"基准测试企业{i}", "active"))
        ents.append((org_id, uscc, f"基准测试企业{i}", district, industry, classify(industry).sector.value))
        standing, scale = STANDINGS[i % len(STANDINGS)], rng.random()
        for year in (2023, 2024):
            document, sha = _content(key, rng, year, standing, scale)
            status = "verified" if i % 10 else "submitted"
            filings.append((uuid.uuid4(), org_id, year, 1, status, document, sha))
    now = datetime.datetime.now(datetime.UTC)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("organisations", records=orgs, columns=["id", "kind", "name", "status"])
        await conn.copy_records_to_table(
            "enterprises", records=ents, columns=["enterprise_id", "uscc", "name", "district", "industry", "sector"]
        )
        await conn.execute("ALTER TABLE filings DISABLE TRIGGER filings_frozen")  # bulk load only
        await conn.copy_records_to_table(
            "filings",
            records=[(*f, now) for f in filings],
            columns=["id", "enterprise_id", "period", "version", "status", "content", "content_sha256", "submitted_at"],
        )
        await conn.execute("ALTER TABLE filings ENABLE TRIGGER filings_frozen")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def run_round(settings: Settings, year: int, methodology: str = "1") -> dict[str, Any]:
    engine = make_engine(settings.app_database_url, pool_size=2)
    stages: dict[str, float] = {}
    started = time.perf_counter()

    async def mark(stage: str) -> None:
        stages[stage] = time.perf_counter() - started

    runner = RoundRunner(engine, make_sessionmaker(engine), settings)
    runner.hook = mark
    round_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO rating_rounds (id, year, methodology_version, status) VALUES (:id, :y, :m, 'running')"),
            {"id": round_id, "y": year, "m": methodology},
        )
    started = time.perf_counter()
    await runner.claim_and_run(round_id)
    total = time.perf_counter() - started
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT status, rated, error FROM rating_rounds WHERE id = :id"), {"id": round_id})
        ).one()
    await engine.dispose()
    return {"status": row.status, "rated": row.rated, "error": row.error, "seconds": total, "stages": stages}


async def main(n: int, methodologies: tuple[str, ...] = ("1",)) -> dict[str, Any]:
    server = os.environ.get("BENCH_DATABASE_URL") or testdb.server_url()
    name = "carbon_bench_" + secrets.token_hex(4)
    await testdb.admin_execute(server, f'CREATE DATABASE "{name}"')
    owner = testdb.with_database(server, name)
    try:
        await prepare_database(owner, os.environ.get("APP_DATABASE_PASSWORD"))
        t0 = time.perf_counter()
        await seed(testdb.dsn(owner), n)
        seeded = time.perf_counter() - t0
        settings = Settings(
            database_url=owner,
            app_database_url=app_url_for(owner, os.environ.get("APP_DATABASE_PASSWORD")),
            secret_key="bench-secret",
        )
        results = {}
        if len(methodologies) > 1:  # warm the caches and the tables once, so no version runs cold
            await run_round(settings, 2024, methodologies[0])
        for version in methodologies:
            results[version] = await run_round(settings, 2024, version)
    finally:
        await testdb.admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    first = results[methodologies[0]]
    out: dict[str, Any] = {"enterprises": n, "seed_seconds": round(seeded, 2), **first,
                           "enterprises_per_second": round((first["rated"] or 0) / first["seconds"], 1)}  # fmt: skip
    if len(methodologies) > 1:
        out["by_methodology"] = {
            v: {"seconds": round(r["seconds"], 2), "status": r["status"], "rated": r["rated"]}
            for v, r in results.items()
        }
        out["ratio_to_first"] = {v: round(r["seconds"] / first["seconds"], 3) for v, r in results.items()}
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--methodology", default="1", help="versions to run in turn, e.g. 1,2")
    args = parser.parse_args()
    out = asyncio.run(main(args.enterprises, tuple(args.methodology.split(","))))
    out["stages"] = {k: round(v, 2) for k, v in out["stages"].items()}
    out["seconds"] = round(out["seconds"], 2)
    print(json.dumps(out, ensure_ascii=False, indent=2))
