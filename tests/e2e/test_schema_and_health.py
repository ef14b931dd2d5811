"""OpenAPI 3.1 with security and error responses per operation; /healthz and /readyz."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from service.db.engine import make_engine
from service.db.migrate import head_revision
from tests.helpers import Api


def test_openapi_is_3_1_and_every_operation_states_callers_security_and_errors(api: Api) -> None:
    doc = api.client.get("/schema/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["clientCredentials"]["type"] == "oauth2"
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op["description"].startswith("Callers:"), where
            secured = bool(op.get("security"))
            if secured:
                assert {"401", "403"} <= set(op["responses"]), where
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], where


def test_healthz(api: Api) -> None:
    r = api.client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_readyz_checks_the_database_and_the_migration_head(api: Api) -> None:
    r = api.client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"database": "ok", "migrations": head_revision(), "certificates": "ok"}

    async def pretend_behind() -> None:
        engine = make_engine(api.settings.database_url, pool_size=1)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        await engine.dispose()

    asyncio.run(pretend_behind())
    r = api.client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "older" in r.json()["detail"]


def test_readyz_says_why_certificates_are_unavailable_without_a_font(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import service.api.health as health

    monkeypatch.setattr(health, "find_cjk_font", lambda path: None)
    r = api.client.get("/readyz")
    assert r.status_code == 200  # the rest of the service is ready
    assert r.json()["checks"]["certificates"].startswith("unavailable:")


def test_certificate_downloads_answer_503_without_a_font(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    import service.api.certificates.controller as certificates
    from domain.organisations import OrgKind

    monkeypatch.setattr(certificates, "find_cjk_font", lambda path: None)
    regulator = api.bootstrap(OrgKind.REGULATOR)
    r = api.client.get(f"/v1/ratings/{uuid.uuid4()}/certificate.pdf", headers=regulator.headers)
    assert r.status_code == 503
    assert r.json()["type"].endswith("certificates-unavailable") and "fonts-wqy-microhei" in r.json()["detail"]
