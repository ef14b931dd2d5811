"""The served OpenAPI document marks strict bodies: every request-body schema of a msgspec
Struct declared `forbid_unknown_fields=True` (the body itself, and every Struct nested in it)
says `additionalProperties: false`, as the API answers unknown members with 422; and every
Decimal is a string of format `decimal`."""

from __future__ import annotations

from typing import Any

from service.openapi_strict import strict_struct_schemas
from tests.helpers import Api


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_every_strict_request_body_schema_forbids_additional_properties(api: Api) -> None:
    doc = api.client.get("/schema/openapi.json").json()
    strict, unmarked = strict_struct_schemas(api.client.app, doc)
    assert strict >= 25  # the bodies and the Structs nested in them (a sanity check on the walk)
    assert unmarked == [], "strict Structs whose schema allows additional properties:\n  " + "\n  ".join(unmarked)


def test_an_unknown_member_is_refused_as_the_schema_says(api: Api) -> None:
    doc = api.client.get("/schema/openapi.json").json()
    assert doc["components"]["schemas"]["RoundCreate"]["additionalProperties"] is False
    r = api.client.post(
        "/v1/enterprises", json={"uscc": "x", "name": "n", "district": "370303", "industry": "3011", "extra": 1}
    )
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["extra"]


def test_decimals_are_documented_as_decimal_strings(api: Api) -> None:
    doc = api.client.get("/schema/openapi.json").json()
    sourced = doc["components"]["schemas"]["Sourced"]["properties"]["value"]
    assert sourced == {"type": "string", "format": "decimal"}
    bare = [
        n for n in _walk(doc["components"]["schemas"]) if n.get("format") == "decimal" and n.get("type") != "string"
    ]
    assert bare == []
