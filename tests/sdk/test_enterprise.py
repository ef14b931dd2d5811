"""What an enterprise does through the SDK (each test with both clients): register, read its
profile, engage a verifier, file (create, edit, submit, the result, the account), idempotent
creation, consents (grant, list, withdraw), its ratings and certificate, who read them (the
access log, page by page), and objections."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from carbon_account_client import Conflict

from tests.helpers import cement, new_uscc
from tests.sdk.blocking import Connect
from tests.sdk.city import City, Org, certificate_ready, org_of, sdk
from tests.sdk.traffic import Traffic


def test_register_engage_and_file(city: City, connect: Connect, traffic: Traffic) -> None:
    registered = connect().register_enterprise(new_uscc(), "淄博新登记陶瓷有限公司", "370303", "3011", zone="high_tech")
    assert registered.enterprise.status == "pending" and registered.client.client_secret
    uscc = registered.enterprise.uscc
    ent = connect(org_of(registered), http=traffic.http)
    assert ent.enterprise(uscc).status == "pending"  # its own profile, while pending
    with sdk(city.service, city.regulator) as regulator:
        regulator.request("POST", f"/v1/enterprises/{uscc}/approval", json={"decision": "approve"})
    profile = ent.enterprise(uscc)
    assert (profile.status, profile.district_name, profile.sector) == ("active", "张店区", "building_materials")

    verifier = next(v for v in ent.verifiers() if str(v.org_id) == city.verifier.org_id)
    assert ent.engage_verifier(uscc, verifier.org_id).verifier_name == verifier.name
    assert [str(e.verifier_org_id) for e in ent.engagements(uscc)] == [city.verifier.org_id]

    draft = ent.create_filing(uscc, 2023, cement(value_added="40000"))
    assert traffic.sent[-1].headers["idempotency-key"].startswith("sdk-")  # creating POSTs carry a key
    assert (draft.status, draft.version, draft.period, draft.content["value_added_wan"]) == ("draft", 1, 2023, "40000")
    edited = ent.edit_filing(draft.id, cement(value_added="45000"))
    assert edited.content["value_added_wan"] == "45000" and edited.content_sha256 != draft.content_sha256
    submitted = ent.submit_filing(draft.id)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert ent.filing(draft.id).content == edited.content
    assert [(f.id, f.status) for f in ent.filings(uscc).items] == [(draft.id, "submitted")]
    assert ent.filings(uscc, period=2024).items == []

    result = ent.filing_result(draft.id)
    assert result.filing.id == draft.id and result.result.year == 2023 and result.factor_set.year == 2023
    emissions = result.result.emissions
    assert emissions.scope1 + emissions.scope2 == emissions.total and emissions.total > 0
    assert result.result.value_added_wan == Decimal("45000")
    assert result.result.intensity == emissions.total / Decimal("45000")
    account = ent.account(uscc)
    assert [y.year for y in account.years] == [2023] and account.years[0].current is not None
    assert account.years[0].current.result.emissions == emissions
    assert ent.account(uscc, year=2023).years[0].versions[0].id == draft.id


def test_an_idempotency_key_creates_once(new_enterprise: Org, connect: Connect) -> None:
    ent = connect(new_enterprise)
    uscc, key = new_enterprise.uscc, f"filing-{uuid.uuid4()}"
    first = ent.create_filing(uscc, 2024, cement(), idempotency_key=key)
    again = ent.create_filing(uscc, 2024, cement(), idempotency_key=key)
    assert again.id == first.id
    assert [f.id for f in ent.filings(uscc, period=2024).items] == [first.id]
    ent.submit_filing(first.id)
    second = ent.create_filing(uscc, 2024, cement(), supersedes=1)  # a correction names the version
    assert (second.version, second.supersedes_id) == (2, first.id)


def test_consents_granted_listed_and_withdrawn(city: City, connect: Connect) -> None:
    org = city.enterprises[5]
    ent = connect(org)
    consent = ent.grant_consent(org.uscc, city.other_bank.org_id, purpose="bond", scope="grade_only",
                                expires_at=city.ahead(days=90))  # fmt: skip
    assert (consent.purpose, consent.scope, consent.active, consent.bank_name) == (
        "bond",
        "grade_only",
        True,
        "淄博农商行",
    )
    assert ent.enterprise_consents(org.uscc)[0].id == consent.id  # newest first
    withdrawn = ent.withdraw_consent(org.uscc, consent.id)
    assert withdrawn.withdrawn_at is not None and not withdrawn.active
    with pytest.raises(Conflict) as twice:
        ent.withdraw_consent(org.uscc, consent.id)
    assert twice.value.status == 409 and twice.value.title == "Conflict"


def test_ratings_certificate_and_the_access_log_page_by_page(city: City, connect: Connect) -> None:
    org = city.enterprises[1]
    ent = connect(org)
    [summary] = ent.ratings(org.uscc)
    assert summary.year == 2023 and summary.status == "active"
    own = ent.latest_rating(org.uscc)
    assert own.id == summary.id and own.scope == "full" and own.token
    assert ent.verify_offline(own.token, uscc=org.uscc).rating_id == own.id
    certificate_ready(ent, str(own.id))
    assert ent.certificate(own.id).content.startswith(b"%PDF")

    with sdk(city.service, city.bank) as bank:  # three logged reads by the bank
        bank.latest_rating(org.uscc)
        bank.rating(own.id)
        bank.latest_rating(org.uscc)
    everything = ent.access_log_page(org.uscc, limit=200)
    assert everything.next_cursor is None and len(everything.items) >= 3
    paged = list(ent.access_log(org.uscc, page_size=2))
    assert [e.id for e in paged] == [e.id for e in everything.items]
    assert [e.id for e in paged] == sorted((e.id for e in paged), reverse=True)  # newest first
    assert {e.org_kind for e in paged} == {"bank"} and {e.uscc for e in paged} == {org.uscc}


def test_an_objection_to_a_rating(city: City, connect: Connect) -> None:
    org = city.enterprises[3]
    ent = connect(org)
    rating = ent.latest_rating(org.uscc)
    objection = ent.object_to(rating.id, "产品能耗计量有误, 请复核 (sdk test)")
    assert (objection.status, objection.rating_id, objection.uscc) == ("open", rating.id, org.uscc)
    assert objection.id in [o.id for o in ent.objections()]
    assert objection.id in [o.id for o in ent.objections(status="open")]
    assert objection.id not in [o.id for o in ent.objections(status="dismissed")]
    # one objection may be open per rating: the authority answers it, so that the other client may object
    decided = connect(city.ra).request(
        "POST", f"/v1/objections/{objection.id}/decision", json={"decision": "dismiss", "reply": "sdk test"}
    )
    assert decided.status_code == 200
