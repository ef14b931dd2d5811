"""What a bank does through the SDK (each test once with CarbonClient, once with AsyncCarbonClient):
the directory, syncing its consents page by page, reading ratings and verifying them offline,
downloading a certificate with its digest checked, financed emissions in chunks, the
published documents, and the API's own verification."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from carbon_account_client import NotFound, ValidationFailed
from carbon_account_client.models import Loan

from tests.sdk.blocking import Connect
from tests.sdk.city import City, certificate_ready, sdk
from tests.sdk.traffic import Traffic


def test_the_directory_and_the_consents_synced_page_by_page(city: City, connect: Connect, traffic: Traffic) -> None:
    bank = connect(city.bank, http=traffic.http)
    assert {str(b.org_id) for b in bank.banks()} >= {city.bank.org_id, city.other_bank.org_id}  # other tests add banks
    first = bank.consents_page(limit=2)
    assert len(first.items) == 2 and first.next_cursor
    consents = list(bank.consents(page_size=2))  # three consents: two pages
    assert traffic.statuses("/v1/consents") == [200, 200, 200]
    assert [c.uscc for c in consents] == [e.uscc for e in city.enterprises[:3]]  # oldest change first
    assert [c.scope for c in consents] == ["full", "full", "grade_only"]
    assert all(c.active and str(c.bank_org_id) == city.bank.org_id for c in consents)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert list(bank.consents(updated_since=later)) == []


def test_ratings_read_under_consent_verify_offline(city: City, connect: Connect) -> None:
    bank = connect(city.bank)
    full, grade_only = city.enterprises[0], city.enterprises[2]
    rating = bank.latest_rating(full.uscc)
    assert rating.scope == "full" and rating.token and rating.rating is not None
    assert rating.status == "active" and rating.year == 2023
    checked = bank.verify_offline(rating.token, uscc=full.uscc, issuer="https://carbon.zibo.example")
    assert (checked.rating_id, checked.colour, checked.grade, checked.finance_tier, checked.kid) == (
        rating.id, rating.colour, rating.grade, rating.finance_tier, rating.kid,
    )  # fmt: skip
    assert checked.scope == "full" and not checked.expired and checked.claims["figures"]["scope1"]
    assert bank.rating(rating.id).token == rating.token

    limited = bank.latest_rating(grade_only.uscc)
    assert limited.scope == "grade_only" and limited.token is None and limited.rating is None
    summary = bank.verify_offline(limited.grade_token, uscc=grade_only.uscc)
    assert summary.scope == "grade_only" and summary.colour == limited.colour
    assert "figures" not in summary.claims
    assert bank.keys.fetches == 1  # the key set was fetched once, then cached


def test_the_apis_own_verification(city: City, connect: Connect) -> None:
    rating = connect(city.bank).latest_rating(city.enterprises[0].uscc)
    anyone = connect()
    assert rating.token is not None
    verdict = anyone.verify_online(rating.token)
    assert verdict.valid and verdict.status == "active" and verdict.rating_id == rating.id
    assert verdict.kid == rating.kid and verdict.scope == "full"
    assert anyone.verify_online(rating.grade_token).scope == "grade_only"
    bad = anyone.verify_online(rating.token[:-4] + ("AAAA" if not rating.token.endswith("AAAA") else "BBBB"))
    assert not bad.valid and bad.reason


def test_a_certificate_downloads_with_its_digest_checked(city: City, connect: Connect) -> None:
    ent = city.enterprises[0]
    bank = connect(city.bank)
    rating = bank.latest_rating(ent.uscc)
    with sdk(city.service, ent) as own:
        certificate_ready(own, str(rating.id))
    seen: list[tuple[int, int | None]] = []
    cert = bank.certificate(rating.id, progress=lambda done, total: seen.append((done, total)))
    assert cert.content.startswith(b"%PDF") and cert.sha256 == hashlib.sha256(cert.content).hexdigest()
    assert cert.certificate_no.startswith("ZB-") and cert.rating_id == rating.id
    assert seen and seen[-1][0] == len(cert.content)
    public = connect().certificate_summary(cert.certificate_no)
    assert (public.status, public.uscc, public.sha256, public.colour) == (
        "active",
        ent.uscc,
        cert.sha256,
        rating.colour,
    )
    by_number = connect().verify_online(certificate_no=cert.certificate_no)
    assert by_number.valid and by_number.certificate is not None
    assert by_number.certificate.certificate_no == cert.certificate_no
    with pytest.raises(NotFound):  # no full consent: the same answer as no such rating
        bank.certificate(bank.latest_rating(city.enterprises[2].uscc).id)


def _book(city: City) -> list[Loan]:
    e = city.enterprises
    return [
        Loan(uscc=e[0].uscc, outstanding_yuan=Decimal(25_000_000), equity_plus_debt_yuan=Decimal(100_000_000),
             reference="L-0"),
        Loan(uscc=e[1].uscc, outstanding_yuan=Decimal(30_000_000), evic_yuan=Decimal(90_000_000), reference="L-1"),
        Loan(uscc=e[2].uscc, outstanding_yuan=Decimal(1_000_000), equity_plus_debt_yuan=Decimal(5_000_000),
             reference="L-2"),
        Loan(uscc=e[3].uscc, outstanding_yuan=Decimal(1_000_000), equity_plus_debt_yuan=Decimal(5_000_000),
             reference="L-3"),
    ]  # fmt: skip


def test_financed_emissions_in_chunks_equal_one_request(city: City, connect: Connect, traffic: Traffic) -> None:
    bank = connect(city.bank, http=traffic.http)
    book = _book(city)
    whole = bank.financed_emissions(book)
    steps: list[tuple[int, int]] = []
    chunked = bank.financed_emissions(book, chunk_size=1, progress=lambda done, total: steps.append((done, total)))
    assert traffic.count("/v1/portfolio/financed-emissions") == 1 + 4
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert chunked == whole
    assert [loan.status for loan in whole.loans] == ["ok", "ok", "no_consent", "no_consent"]
    assert [loan.reference for loan in whole.loans] == ["L-0", "L-1", "L-2", "L-3"]
    assert whole.loans[0].attribution_factor == Decimal("0.25")
    # scope 2 of the cement filing: 50 000 MWh purchased × 0.6096 tCO2/MWh = 30 480 t, a quarter of it
    assert whole.loans[0].scope2_tco2 == Decimal("7620")
    assert whole.loans_with_figures == 2 and whole.weighted_pcaf_score == Decimal(1)  # both verified
    assert whole.scope2_tco2 == Decimal("7620") + Decimal("30480") / 3


def test_a_refused_loan_is_named_by_its_place_in_the_whole_book(city: City, connect: Connect) -> None:
    book = _book(city)
    book[3] = Loan(uscc=book[3].uscc, outstanding_yuan=Decimal(1), equity_plus_debt_yuan=Decimal(2),
                   evic_yuan=Decimal(2))  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        connect(city.bank).financed_emissions(book, chunk_size=2)
    assert refused.value.status == 422
    assert [e.field for e in refused.value.errors] == ["loans[3].equity_plus_debt_yuan"]


def test_published_documents(connect: Connect) -> None:
    anyone = connect()
    methodologies = anyone.methodologies()
    assert [m.version for m in methodologies] == ["1", "2"]
    one = anyone.methodology("1")
    assert one.finance_tiers["dark_green"] == "preferential" and one.grade_limits[0].grade == 1
    assert all(k.kty == "OKP" and k.crv == "Ed25519" for k in anyone.jwks().keys)
    with pytest.raises(NotFound):
        anyone.methodology("99")
    with pytest.raises(NotFound):
        anyone.certificate_summary("ZB-NONE-NONE-NONE-NONE")
