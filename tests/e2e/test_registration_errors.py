"""Bad registrations are refused with a problem document naming the field, and write nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from service.db.engine import make_engine
from service.settings import Settings
from tests.helpers import Api, new_uscc

PROBLEM = "application/problem+json"


def counts(settings: Settings) -> dict[str, int]:
    """Rows in every table a registration writes, read as the owner."""

    async def run() -> dict[str, int]:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            async with engine.connect() as conn:
                return {
                    t: int((await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one())
                    for t in ("organisations", "enterprises", "api_clients", "audit_events", "idempotency_keys")
                }
        finally:
            await engine.dispose()

    return asyncio.run(run())


def body(**overrides: Any) -> dict[str, Any]:
    out = {"uscc": new_uscc(), "name": "淄博测试陶瓷有限公司", "district": "370303", "industry": "3071"}
    out.update(overrides)
    return {k: v for k, v in out.items() if v is not None}


def assert_refused(api: Api, payload: Any, status: int, field: str | None, **kwargs: Any) -> dict[str, Any]:
    before = counts(api.settings)
    r = api.client.post("/v1/enterprises", json=payload, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    doc = r.json()
    assert doc["status"] == status and doc["type"].startswith("urn:carbon-account:problem:")
    if field is not None:
        assert field in [e["field"] for e in doc["errors"]], doc
    assert counts(api.settings) == before, "a refused request wrote something"
    return dict(doc)


def test_a_valid_registration_writes_enterprise_org_client_and_audit(api: Api) -> None:
    before = counts(api.settings)
    r = api.client.post("/v1/enterprises", json=body())
    assert r.status_code == 201, r.text
    after = counts(api.settings)
    assert {k: after[k] - before[k] for k in after} == {
        "organisations": 1,
        "enterprises": 1,
        "api_clients": 1,
        "audit_events": 3,
        "idempotency_keys": 0,
    }


@pytest.mark.parametrize(
    ("uscc", "why"),
    [
        ("91350100M000100Y44", "check character"),  # the real 91350100M000100Y43 with its last character changed
        ("91350100M000101Y43", "organisation code"),
        ("91350100M00010", "18 characters"),
        ("91350100M000100I43", "character set"),
    ],
)
def test_an_invalid_uscc_is_refused(api: Api, uscc: str, why: str) -> None:
    doc = assert_refused(api, body(uscc=uscc), 422, "uscc")
    assert why in doc["errors"][0]["detail"]


def test_a_district_outside_zibo_is_refused(api: Api) -> None:
    assert_refused(api, body(district="370102"), 422, "district")  # 济南市历下区


def test_an_unknown_zone_is_refused(api: Api) -> None:
    assert_refused(api, body(zone="nowhere"), 422, "zone")


@pytest.mark.parametrize("industry", ["3019", "9999", "30", "abcd"])
def test_an_unknown_industry_class_is_refused(api: Api, industry: str) -> None:
    assert_refused(api, body(industry=industry), 422, "industry")


def test_a_duplicate_uscc_is_a_409(api: Api) -> None:
    first = body()
    assert api.client.post("/v1/enterprises", json=first).status_code == 201
    doc = assert_refused(api, dict(first, name="另一个名字"), 409, None)
    assert doc["type"].endswith(":conflict")


def test_unknown_fields_are_refused_and_named(api: Api) -> None:
    assert_refused(api, dict(body(), status="active"), 422, "status")


def test_a_missing_field_is_named(api: Api) -> None:
    payload = body()
    del payload["district"]
    assert_refused(api, payload, 422, "district")


def test_a_wrongly_typed_field_is_named(api: Api) -> None:
    assert_refused(api, body(name=12345), 422, "name")


def test_a_2mb_body_is_a_413(api: Api) -> None:
    assert_refused(api, body(name="x" * 2_000_000), 413, None)


def test_malformed_json_is_a_400_problem(api: Api) -> None:
    before = counts(api.settings)
    r = api.client.post("/v1/enterprises", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"].startswith(PROBLEM), r.text
    assert counts(api.settings) == before


def test_an_unknown_path_is_a_404_problem(api: Api) -> None:
    r = api.client.get("/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)
