"""What the schema fuzzer found, pinned down as plain requests (each was a 500 or an answer
that broke the OpenAPI document before its fix)."""

from __future__ import annotations

import pytest

from domain.organisations import OrgKind
from tests.helpers import Api, Caller, Filings

PROBLEM_JSON = "application/problem+json"


def _problem(r: object, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith(PROBLEM_JSON)  # type: ignore[attr-defined]
    return dict(r.json())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/factor-sets?year=76936990271",
        "/v1/rating-rounds?year=-21297905",
        "/v1/stats/overview?year=40000",
        "/v1/stats/districts?year=1999",
        "/v1/stats/sectors?year=2101",
        "/v1/enterprises/{uscc}/filings?period=998836983",
        "/v1/enterprises/{uscc}/account?year=998836983",
    ],
)
def test_a_year_out_of_range_is_a_422_not_a_database_overflow(api: Api, path: str) -> None:
    """Query years were checked against nothing (the msgspec bounds of `Year` do not apply to
    query parameters): a year beyond SMALLINT reached PostgreSQL and failed there."""
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    body = _problem(api.client.get(path.format(uscc=ent.uscc), headers=regulator.headers), 422)
    assert body["errors"][0]["field"] in ("query.year", "query.period"), body  # type: ignore[index]


@pytest.mark.parametrize("path", ["/v1/stats/overview", "/v1/policy/consequences"])
def test_a_missing_required_query_parameter_is_named(api: Api, path: str) -> None:
    """Litestar says which parameter is missing only in its sentence: the field is named too."""
    regulator = api.bootstrap(OrgKind.REGULATOR)
    body = _problem(api.client.get(path, headers=regulator.headers), 422)
    assert body["errors"] == [{"field": "query.year", "detail": "a value is required"}], body
    zh = api.client.get(path, headers={**regulator.headers, "Accept-Language": "zh-CN"}).json()
    assert zh["errors"] == [{"field": "query.year", "detail": "必须给出值"}], zh


def test_an_integer_condition_value_is_valid_under_the_documented_schema(api: Api) -> None:
    """A policy rule's threshold 13650 (an integer) matched both `integer` and `number` of a
    oneOf: the document says anyOf."""
    doc = api.client.get("/schema/openapi.json").json()
    value = doc["components"]["schemas"]["Condition"]["properties"]["value"]
    assert "oneOf" not in value and {"type": "integer"} in value["anyOf"], value
    assert {"type": "number"} not in value["anyOf"]  # fractions travel as decimal strings


def test_the_year_bounds_are_documented(api: Api) -> None:
    doc = api.client.get("/schema/openapi.json").json()
    (param,) = doc["paths"]["/v1/stats/overview"]["get"]["parameters"]
    assert (param["schema"]["minimum"], param["schema"]["maximum"]) == (2000, 2100)


def _admin(api: Api) -> Caller:
    return api.bootstrap(OrgKind.ADMIN)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/admin/organisations", {"kind": "verifier", "name": "nul\u0000name"}),
        ("/v1/enterprises", {"uscc": "{uscc}", "name": "水泥\u0000厂", "district": "370303", "industry": "3011"}),
    ],
)
def test_a_nul_character_in_text_is_a_422_not_a_database_error(api: Api, path: str, body: dict[str, str]) -> None:
    """PostgreSQL stores no U+0000 in text or jsonb; the insert failed with a 500."""
    from tests.helpers import new_uscc

    admin = _admin(api)
    filled = {k: v.replace("{uscc}", new_uscc()) for k, v in body.items()}
    problem = _problem(api.client.post(path, json=filled, headers=admin.headers), 422)
    assert "U+0000" in str(problem["detail"])


def test_a_nul_character_in_a_filing_is_refused(api: Api) -> None:
    """Filing content is jsonb, which refuses \\u0000 too (a different SQLSTATE)."""
    ent, _ = api.register()
    content = {"period": 2023, "energy": [{"carrier": "bituminous_coal", "quantity": "1", "unit": "t\u0000"}]}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/filings", json=content, headers=ent.headers)
    assert r.status_code == 422, r.text
    Filings(api).create(ent, 2023)  # and the enterprise can still file


def test_the_import_documents_one_body_per_status(api: Api) -> None:
    """201 was documented as oneOf(report, result), and a result is also a valid report, which
    oneOf forbids; a dry run's 200 was not documented at all; nor was the file body."""
    op = api.client.get("/schema/openapi.json").json()["paths"]["/v1/filings/import"]["post"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportReport"
    }
    assert op["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportResult"
    }
    assert set(op["requestBody"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_a_float_in_a_policy_set_is_a_422_naming_it_not_a_500(api: Api) -> None:
    """The set is hashed as canonical JSON with decimals as strings; a float reached the hash and
    failed there. A condition's value and a rule's params name the float's place."""
    import json
    from importlib import resources

    ra = api.bootstrap(OrgKind.RATING_AUTHORITY)
    shipped = json.loads(resources.files("domain.data").joinpath("policies_zibo.json").read_bytes())
    param = json.loads(json.dumps(shipped))
    param["rules"][0]["params"]["share"] = 0.3
    body = _problem(api.client.post("/v1/policy-sets", json=param, headers=ra.headers), 422)
    assert body["errors"][0]["field"] == "rules[0].params.share", body  # type: ignore[index]
    value = json.loads(json.dumps(shipped))
    value["rules"][0]["when"][0]["value"] = 0.5
    body = _problem(api.client.post("/v1/policy-sets", json=value, headers=ra.headers), 422)
    assert body["errors"][0]["field"].startswith("rules[0].when[0].value"), body  # type: ignore[index]
