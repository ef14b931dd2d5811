"""Idempotency-Key on creating POSTs: replays without secrets; a reused key with another body is a 422."""

from __future__ import annotations

from domain.organisations import OrgKind
from tests.e2e.test_registration_errors import body, counts
from tests.helpers import Api


def test_same_key_and_body_replays_the_first_answer_without_the_secret(api: Api) -> None:
    payload = body()
    headers = {"Idempotency-Key": "reg-1"}
    first = api.client.post("/v1/enterprises", json=payload, headers=headers)
    assert first.status_code == 201
    assert first.json()["client"]["client_secret"].startswith("cas_")
    before = counts(api.settings)
    again = api.client.post("/v1/enterprises", json=payload, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    expected = first.json()
    del expected["client"]["client_secret"]
    assert again.json() == expected
    assert counts(api.settings) == before


def test_same_key_with_another_body_is_refused_and_writes_nothing(api: Api) -> None:
    headers = {"Idempotency-Key": "reg-2"}
    first = body()
    assert api.client.post("/v1/enterprises", json=first, headers=headers).status_code == 201
    before = counts(api.settings)
    r = api.client.post("/v1/enterprises", json=dict(first, name="另一个名字"), headers=headers)
    assert r.status_code == 422
    assert r.json()["type"].endswith(":idempotency-key-reused")
    assert r.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert counts(api.settings) == before


def test_a_refused_request_does_not_consume_its_key(api: Api) -> None:
    headers = {"Idempotency-Key": "reg-3"}
    assert api.client.post("/v1/enterprises", json=body(district="110101"), headers=headers).status_code == 422
    assert api.client.post("/v1/enterprises", json=body(), headers=headers).status_code == 201


def test_keys_are_scoped_per_caller(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    other_admin = api.bootstrap(OrgKind.ADMIN)
    payload = {"kind": "bank", "name": "淄博银行"}
    a = api.client.post("/v1/admin/organisations", json=payload, headers={**admin.headers, "Idempotency-Key": "k"})
    b = api.client.post(
        "/v1/admin/organisations", json=payload, headers={**other_admin.headers, "Idempotency-Key": "k"}
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_client_creation_replay_hides_the_secret(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    bank = api.client.post("/v1/admin/organisations", json={"kind": "bank", "name": "b"}, headers=admin.headers).json()
    path = f"/v1/admin/organisations/{bank['id']}/clients"
    headers = {**admin.headers, "Idempotency-Key": "c-1"}
    first = api.client.post(path, json={"name": "loans"}, headers=headers)
    again = api.client.post(path, json={"name": "loans"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert "client_secret" in first.json() and "client_secret" not in again.json()
    assert again.json()["client_id"] == first.json()["client_id"]


def test_anonymous_keys_are_scoped_to_the_uscc_so_strangers_cannot_block_them(api: Api) -> None:
    headers = {"Idempotency-Key": "reg-001"}  # the README's example key, used by two registrants
    assert api.client.post("/v1/enterprises", json=body(), headers=headers).status_code == 201
    assert api.client.post("/v1/enterprises", json=body(), headers=headers).status_code == 201
