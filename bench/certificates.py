"""Benchmark: certificates issued (rendered and PAdES-signed) per second on one core, and
stored certificate downloads under load.

    python -m bench.certificates --count 200 --seconds 15

Issuance runs render + sign in this process, one after another, on a demo certificate.
Downloads: the API as in production (uvicorn, workers) on a database seeded with the demo
city, its certificates issued by the job; a regulator downloads one certificate (a logged
read serving the stored bytes) under wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import time
from typing import Any

import asyncpg

from bench.bank_read import SECRET, _seed, _server, _token, bench_database
from bench.load import load
from service.certificates.issue import CertificateWorker
from service.db.engine import make_engine, make_sessionmaker
from service.pdf.fonts import find_cjk_font
from service.pdf.layout import render
from service.pdf.model import CertificateData, ProductLevel
from service.pdf.pki import new_pki
from service.pdf.signing import PdfSigner
from service.settings import Settings
from tests import db as testdb
from tests.live import free_port, wait_until_up

SAMPLE = CertificateData(
    certificate_no="ZB-BENC-HMAR-KCER-TIFI", verify_url="https://carbon.zibo.example/verify/ZB-BENC-HMAR-KCER-TIFI",
    enterprise_name="淄博鲁中水泥有限公司(演示)", uscc="91370302MA3C8XYZ1K", district="淄川区", industry="3011 水泥制造",
    year=2024, colour="light_green", grade=3, band="medium", finance_tier="eligible", energy_tce="85432.1",
    co2_total="120000", co2_combustion="62000", co2_process="48000", co2_electricity="11000", co2_heat="0",
    co2_captured="1000", intensity="1.200000", k="1.0000",
    products=[ProductLevel(name="水泥熟料", unit="kgce/t", unit_energy_use="104.2", benchmark="100", baseline="117",
                           level="baseline")],
    data_quality="A", methodology_version="1", issued_on=dt.date(2025, 3, 31), valid_until=dt.date(2026, 9, 30),
    rating_key_id="0123456789abcdef", rating_token_sha256="ab" * 32,
)  # fmt: skip


def issuance(count: int) -> dict[str, Any]:
    font = find_cjk_font(None)
    if font is None:
        raise SystemExit("no CJK font: apt-get install fonts-wqy-microhei")
    signer = PdfSigner(new_pki())
    signer.sign(render(SAMPLE, font))  # warm-up: font parse, first signature
    times = []
    for _ in range(count):
        start = time.perf_counter()
        signer.sign(render(SAMPLE, font))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"count": count, "per_second_one_core": round(1000 / statistics.mean(times), 1),
            "p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(len(times) * 0.95)], 1)}  # fmt: skip


async def _issue_all(settings: Settings) -> tuple[str, int]:
    engine = make_engine(settings.app_database_url, pool_size=2)
    worker = CertificateWorker(make_sessionmaker(engine), settings)
    try:
        while await worker.run_once():
            pass
        conn = await asyncpg.connect(testdb.dsn(settings.database_url))
        try:
            rating = await conn.fetchval("SELECT rating_id FROM certificates LIMIT 1")
            issued = await conn.fetchval("SELECT count(*) FROM certificates")
        finally:
            await conn.close()
        return str(rating), int(issued)
    finally:
        worker.close()
        await engine.dispose()


def downloads(seconds: int, workers: int, connections: int) -> dict[str, Any]:
    with bench_database(pdf_workers=0) as settings:
        creds = asyncio.run(_seed(settings))
        rating_id, issued = asyncio.run(_issue_all(settings))
        env = {"DATABASE_URL": settings.database_url, "CARBON_SECRET_KEY": SECRET, "RUN_JOBS": "0",
               "WEB_CONCURRENCY": str(workers), "RATE_LIMIT_PER_MINUTE": "0"}  # fmt: skip
        with _server("service.asgi:app", free_port(), workers, env) as api:
            wait_until_up(f"{api}/healthz")
            token = _token(api, creds["regulator"]["client_id"], creds["regulator"]["client_secret"])
            url = f"{api}/v1/ratings/{rating_id}/certificate.pdf"
            headers = {"Authorization": f"Bearer {token}"}
            load(url, headers, 2, connections)
            result = load(url, headers, seconds, connections)
    return {"certificates_issued_by_the_job": issued, **result}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    out = {"issuance": issuance(args.count), "downloads": downloads(args.seconds, args.workers, args.connections)}
    print(json.dumps(out, ensure_ascii=False, indent=2))
