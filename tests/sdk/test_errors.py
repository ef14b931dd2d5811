"""Typed exceptions from the API's problem documents (both clients): 404, 422 with the
offending fields named, 409, 403, 401, and the SDK's own refusal without credentials."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from carbon_account_client import (
    ApiError,
    CarbonError,
    Forbidden,
    NotFound,
    Unauthorized,
    ValidationFailed,
)

from tests.helpers import cement
from tests.sdk.blocking import Connect
from tests.sdk.city import CST, City, Org


def test_not_found_carries_the_problem_document(city: City, connect: Connect) -> None:
    bank, uscc = connect(city.bank), city.enterprises[3].uscc  # no consent: nothing to see
    with pytest.raises(NotFound) as hidden:
        bank.latest_rating(uscc)
    problem = hidden.value
    assert isinstance(problem, ApiError) and isinstance(problem, CarbonError)
    assert (problem.status, problem.title, problem.code) == (404, "Not found", "not-found")
    assert problem.type.startswith("urn:carbon-account:problem:") and problem.detail
    assert problem.instance == f"/v1/enterprises/{uscc}/ratings/latest" and problem.errors == []
    assert problem.response.headers["content-type"].startswith("application/problem+json")
    with pytest.raises(NotFound):
        bank.rating(uuid.uuid4())


def test_a_422_names_each_field(city: City, connect: Connect) -> None:
    org = city.enterprises[4]
    ent = connect(org)
    past = dt.datetime(2020, 1, 1, tzinfo=CST)
    with pytest.raises(ValidationFailed) as expired:
        ent.grant_consent(org.uscc, city.bank.org_id, purpose="credit", scope="full", expires_at=past)
    assert (expired.value.status, expired.value.title, expired.value.code) == (
        422,
        "Validation failed",
        "invalid-field",
    )
    assert [(e.field, e.detail) for e in expired.value.errors] == [("expires_at", "must be in the future")]
    with pytest.raises(ValidationFailed) as unknown:
        ent.grant_consent(org.uscc, city.bank.org_id, purpose="gift", scope="full", expires_at=city.ahead())
    assert [e.field for e in unknown.value.errors] == ["purpose"]
    content = {**cement(), "energy": [{"carrier": "bituminous_coal", "quantity": "many", "unit": "t"}]}
    with pytest.raises(ValidationFailed) as bad_line:
        ent.create_filing(org.uscc, 2022, content)
    assert [e.field for e in bad_line.value.errors] == ["energy[0].quantity"]
    with pytest.raises(ValidationFailed) as cursor:
        connect(city.bank).consents_page("not-a-cursor-of-this-api")
    assert [e.field for e in cursor.value.errors] == ["query.cursor"]


def test_forbidden_unauthorized_and_no_credentials(city: City, connect: Connect) -> None:
    with pytest.raises(Forbidden) as forbidden:
        connect(city.enterprises[0]).consents_page()  # a bank's operation
    assert forbidden.value.status == 403
    wrong = Org(kind="bank", org_id=city.bank.org_id, client_id=city.bank.client_id, client_secret="cas_wrong")
    with pytest.raises(Unauthorized) as refused:
        connect(wrong).banks()
    assert (refused.value.status, refused.value.code) == (401, "invalid-client")
    with pytest.raises(CarbonError, match="needs client credentials"):
        connect().banks()
