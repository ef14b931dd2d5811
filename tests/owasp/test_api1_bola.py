"""OWASP API1:2023 Broken Object Level Authorization (BOLA).

Covered here, against the live app and database:
  - every authenticated operation of the OpenAPI document whose path names an object
    ({uscc}, {filing_id}, {rating_id}, {round_id}, {objection_id}, {consent_id},
    {webhook_id}, {delivery_id}, {client_id}, {org_id}, {plan_id}), GET and state-changing methods
    alike, sent with a valid body (the access matrix's) for the objects of one enterprise
    and of the bank it consented to, by: another active enterprise, another bank, a
    verifier it did not engage and a pending enterprise. Each answer is 404 (or 403 by
    role), never 2xx; a 404 is the very answer for an id nobody holds (existence does not
    leak); and afterwards every one of those objects is as it was;
  - objects of one party addressed under another's path (another enterprise's consent id
    under one's own USCC; another bank's delivery under one's own webhook);
  - lists show only one's own objects (objections, consents, webhooks, the access log,
    a non-engaged verifier's view of filings);
  - a bank without consent: rating reads, certificate downloads and financed emissions
    give nothing and log nothing.
The access matrix (tests/e2e/test_access_matrix.py) checks enterprise_other against
{uscc}, {filing_id} and {rating_id}; this module adds the other parties and ids.
"""

from __future__ import annotations

import uuid

from tests.e2e.test_access_matrix import MATRIX
from tests.helpers import Api
from tests.owasp.common import assert_problem, fill, openapi_operations, placeholders, row_counts
from tests.owasp.estate import OWNED, Estate, nobody, problem_fields


def test_every_object_path_refuses_other_parties_and_leaks_no_existence(api: Api) -> None:
    estate = Estate(api)
    operations = {
        op: spec
        for op, spec in openapi_operations(api).items()
        if spec.get("security") and placeholders(op.partition(" ")[2])
    }
    unclassified = {op: placeholders(op) - OWNED for op in operations if placeholders(op) - OWNED}
    assert not unclassified, f"path parameters not classified as owned objects: {unclassified}"
    assert not set(operations) - set(MATRIX), "operations without a request in the access matrix"

    before, counts = estate.snapshot(), row_counts(api.settings)
    walked: set[str] = set()
    problems: list[str] = []
    for operation in sorted(operations):
        method, template, request, values = estate.request(operation)
        ids = placeholders(template)
        walked |= ids
        path = fill(template, values)
        unknown = fill(template, {**values, **{name: nobody(name) for name in ids}})
        for label, attacker in estate.attackers.items():
            r = estate.send(method, path, request, attacker)
            where = f"{operation} as {label}"
            if r.status_code not in (403, 404):
                problems.append(f"{where}: {r.status_code} {r.text[:200]}")
                continue
            assert_problem(r)
            if r.status_code == 404:  # the very answer for ids nobody holds
                other = estate.send(method, unknown, request, attacker)
                if problem_fields(other) != problem_fields(r):
                    problems.append(
                        f"{where}: {problem_fields(r)} differs from an unknown id's {problem_fields(other)}"
                    )
    assert not problems, "\n".join(problems)
    assert walked >= {
        "uscc",
        "filing_id",
        "rating_id",
        "round_id",
        "objection_id",
        "consent_id",
        "webhook_id",
        "delivery_id",
        "client_id",
        "org_id",
        "plan_id",
    }, walked
    assert estate.snapshot() == before, "a refused request changed the owner's objects"
    after = row_counts(api.settings)
    changed = {t: (counts[t], after[t]) for t in counts if counts[t] != after[t]}
    assert not changed, f"refused requests wrote rows: {changed}"


def test_another_partys_object_under_ones_own_path_is_not_found(api: Api) -> None:
    estate = Estate(api)
    c, v = api.client, estate.values
    other = estate.attackers["another enterprise"]
    before = estate.snapshot()
    # another enterprise withdraws the owner's consent by naming its own USCC in the path
    r = c.delete(f"/v1/enterprises/{other.uscc}/consents/{v['consent_id']}", headers=other.headers)
    assert_problem(r, 404)
    nobody = c.delete(f"/v1/enterprises/{other.uscc}/consents/{uuid.uuid4()}", headers=other.headers)
    assert problem_fields(nobody) == problem_fields(r)
    # another bank redelivers the bank's delivery through a webhook of its own
    bank2 = estate.attackers["another bank"]
    mine = c.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/b2", "events": ["rating.issued"]}, headers=bank2.headers
    )
    assert mine.status_code == 201, mine.text
    url = f"/v1/webhooks/{mine.json()['id']}/deliveries/{v['delivery_id']}/redelivery"
    assert_problem(c.post(url, headers=bank2.headers), 404)
    # a verifier not engaged: neither the filing nor its verification
    verifier = estate.attackers["a verifier not engaged"]
    body = {"outcome": "verified", "opinion": "x", "report_sha256": "ab" * 32}
    fid = estate.world.own_filing
    assert_problem(c.post(f"/v1/filings/{fid}/verification", json=body, headers=verifier.headers), 404)
    assert estate.snapshot() == before


def test_lists_show_only_ones_own_objects(api: Api) -> None:
    estate = Estate(api)
    c, v, own = api.client, estate.values, estate.owner
    other, bank2 = estate.attackers["another enterprise"], estate.attackers["another bank"]
    verifier = estate.attackers["a verifier not engaged"]
    # the owner's objection, consent, webhook and access-log entries exist ...
    assert [o["id"] for o in c.get("/v1/objections", headers=own.headers).json()] == [v["objection_id"]]
    consents = [x["id"] for x in c.get("/v1/consents", headers=estate.bank.headers).json()["items"]]
    assert v["consent_id"] in consents and len(consents) == 2  # and the one the financing request granted
    assert [w["id"] for w in c.get("/v1/webhooks", headers=estate.bank.headers).json()] == [v["webhook_id"]]
    c.get(f"/v1/ratings/{v['rating_id']}", headers=estate.bank.headers)  # a logged read of the owner
    own_log = c.get(f"/v1/enterprises/{own.uscc}/access-log", headers=own.headers).json()["items"]
    assert own_log and {e["uscc"] for e in own_log} == {own.uscc}
    # ... and no one else's list shows them
    assert c.get("/v1/objections", headers=other.headers).json() == []
    assert c.get("/v1/consents", headers=bank2.headers).json()["items"] == []
    assert c.get("/v1/webhooks", headers=bank2.headers).json() == []
    other_log = c.get(f"/v1/enterprises/{other.uscc}/access-log", headers=other.headers).json()["items"]
    assert all(e["uscc"] == other.uscc for e in other_log)
    assert_problem(c.get(f"/v1/enterprises/{own.uscc}/filings", headers=verifier.headers), 404)
    assert_problem(c.get(f"/v1/enterprises/{own.uscc}/account", headers=other.headers), 404)


def test_a_bank_without_consent_reads_nothing_and_is_not_logged(api: Api) -> None:
    estate = Estate(api)
    c, v, own = api.client, estate.values, estate.owner
    bank2 = estate.attackers["another bank"]
    log_before = c.get(f"/v1/enterprises/{own.uscc}/access-log", headers=own.headers).json()["items"]
    for path in (
        f"/v1/ratings/{v['rating_id']}",
        f"/v1/enterprises/{own.uscc}/ratings/latest",
        f"/v1/ratings/{v['rating_id']}/certificate.pdf",
    ):
        r = c.get(path, headers=bank2.headers)
        assert_problem(r, 404)
        assert "application/pdf" not in r.headers["content-type"] and b"%PDF" not in r.content
    r = c.post(
        "/v1/portfolio/financed-emissions",
        json={"loans": [{"uscc": own.uscc, "outstanding_yuan": "1000000", "equity_plus_debt_yuan": "5000000"}]},
        headers=bank2.headers,
    )
    assert r.status_code == 200, r.text
    (loan,) = r.json()["loans"]
    assert loan["status"] == "no_consent", loan
    figures = {k: val for k, val in loan.items() if "tco2" in k or k in ("attribution_factor", "data_quality")}
    assert all(val is None for val in figures.values()), loan
    # the consenting bank does read it: the ids are real
    assert c.get(f"/v1/ratings/{v['rating_id']}", headers=estate.bank.headers).status_code == 200
    log_after = c.get(f"/v1/enterprises/{own.uscc}/access-log", headers=own.headers).json()["items"]
    assert bank2.org_id not in {e["org_id"] for e in log_after}
    assert len(log_after) == len(log_before) + 1  # only the consenting bank's read
