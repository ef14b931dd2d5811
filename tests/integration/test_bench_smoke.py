"""The benchmarks' short forms: each runs end to end on a small load (figures are not judged here)."""

from __future__ import annotations

import asyncio

import pytest

from bench import rating_round


def test_rating_round_benchmark_runs(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_url)
    out = asyncio.run(rating_round.main(60))
    assert (out["status"], out["rated"], out["error"]) == ("completed", 60, None)
    assert out["enterprises_per_second"] > 0


def test_bank_read_benchmark_runs(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import bank_read

    monkeypatch.setenv("BENCH_DATABASE_URL", pg_url)
    monkeypatch.setenv("CARBON_DATA_DIR", "")  # the bench sets its own
    out = bank_read.run(seconds=1, workers=1, connections=4)
    assert out["bank_read"]["errors"] == 0 and out["bank_read"]["rps"] > 0
    assert out["access_log_rows_per_successful_read"] is not None


def test_certificate_benchmark_runs(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import certificates

    monkeypatch.setenv("BENCH_DATABASE_URL", pg_url)
    monkeypatch.setenv("CARBON_DATA_DIR", "")
    assert certificates.issuance(3)["per_second_one_core"] > 0
    out = certificates.downloads(seconds=1, workers=1, connections=2)
    assert out["errors"] == 0 and out["certificates_issued_by_the_job"] > 0


def test_filing_import_benchmark_runs(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import filing_import

    monkeypatch.setenv("BENCH_DATABASE_URL", pg_url)
    monkeypatch.setenv("CARBON_DATA_DIR", "")
    out = filing_import.run(20)
    assert out["answers"]["dry_run"] == {"status": 200, "problems": 0}
    assert out["answers"]["import"] == {"status": 201, "problems": 0}
    assert (out["filings_with_file_sha256"], out["import_records"]) == (20, 1)


def test_mixed_load_benchmark_runs(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import mixed_load

    monkeypatch.setenv("BENCH_DATABASE_URL", pg_url)
    monkeypatch.setenv("CARBON_DATA_DIR", "")
    out = mixed_load.run(seconds=3, rate=40, workers=1)
    assert out["errors"] == 0 and out["requests"] > 60
    assert set(out["operations"]) == {"bank_read", "filing", "verify", "certificate"}
    assert (out["filing_writes_lost"], out["access_log_rows_lost"], out["access_log_rows_extra"]) == (0, 0, 0)
