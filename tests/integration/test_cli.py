"""The `carbon-account` command: db upgrade on an empty database, clients create, bad kinds refused."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from tests import db as testdb
from tests.helpers import Api
from tests.integration.test_migrations import table_names

CLI = str(Path(sys.executable).parent / "carbon-account")


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CARBON_SECRET_KEY": "test-secret-key-not-for-production",
        "CARBON_DATA_DIR": tempfile.mkdtemp(prefix="carbon-cli-"),  # credentials files stay out of $HOME
    }
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_clients_create_bootstraps_a_regulator_whose_secret_works(api: Api) -> None:
    result = run_cli(
        "clients",
        "create",
        "--org-kind",
        "regulator",
        "--org-name",
        "淄博市生态环境局",
        database_url=api.settings.database_url,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["org_kind"] == "regulator"
    token = api.token_for(out["client_id"], out["client_secret"])
    r = api.client.get("/v1/enterprises", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text


def test_clients_create_refuses_kinds_the_api_creates(api: Api) -> None:
    result = run_cli("clients", "create", "--org-kind", "bank", database_url=api.settings.database_url)
    assert result.returncode != 0
    assert "invalid choice" in result.stderr


def test_db_upgrade_migrates_an_empty_database(pg_url: str) -> None:
    name = "carbon_cli_" + secrets.token_hex(4)
    asyncio.run(testdb.admin_execute(pg_url, f'CREATE DATABASE "{name}"'))
    try:
        url = testdb.with_database(pg_url, name)
        result = run_cli("db", "upgrade", database_url=url)
        assert result.returncode == 0, result.stderr
        assert "enterprises" in asyncio.run(table_names(url))
    finally:
        testdb.drop_database(pg_url, name)


def test_ratings_run_rates_the_year_in_the_foreground(api: Api) -> None:
    from domain.organisations import OrgKind
    from tests.helpers import Filings, cement

    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    Filings(api).submitted(ent, 2023, cement())
    result = run_cli("ratings", "run", "--year", "2023", database_url=api.settings.database_url)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["status"], out["rated"]) == ("completed", 1)
    latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
    assert latest["round_id"] == out["round_id"]
