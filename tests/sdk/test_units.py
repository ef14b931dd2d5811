"""The SDK's pure rules, without a server: the retry schedule and its budget, Retry-After in
both forms, when a token is renewed, the digest header, merging chunked portfolios, and a
pager that stops on a repeated cursor."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from email.utils import format_datetime

import httpx
import pytest
from carbon_account_client import CarbonError, CertificateDigestMismatch, RetryPolicy
from carbon_account_client.auth import TokenCache
from carbon_account_client.certificates import certificate_of, repr_digest_sha256
from carbon_account_client.models import LoanResult, Page, Portfolio, Token
from carbon_account_client.pagination import iterate
from carbon_account_client.portfolio import merge
from carbon_account_client.retry import retry_after


def test_the_retry_schedule_backs_off_with_jitter_within_its_budget() -> None:
    policy = RetryPolicy(max_retries=4, max_total_wait=60, backoff_base=0.5)
    for retry in range(4):
        backoff = 0.5 * 2**retry
        waits = [policy.delay(retry, None, 0.0) for _ in range(200)]
        assert all(w is not None and backoff / 2 <= w <= backoff for w in waits)
        assert len(set(waits)) > 1  # jittered
    assert policy.delay(4, None, 0.0) is None  # retries exhausted
    told = [policy.delay(0, 7.0, 0.0) for _ in range(100)]
    assert all(w is not None and 7.0 <= w <= 8.0 for w in told)  # never earlier than Retry-After
    assert policy.delay(0, 61.0, 0.0) is None and policy.delay(1, 30.0, 40.0) is None  # beyond the budget
    assert policy.delay(1, 19.5, 40.0) == pytest.approx(20.0, abs=0.5)  # capped by what is left


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after("17") == 17.0
    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    assert 28 <= (retry_after(later) or 0) <= 30
    assert retry_after(None) is None and retry_after("soon") is None


def test_a_token_is_renewed_before_the_end_of_its_life() -> None:
    now = [100.0]
    cache = TokenCache(clock=lambda: now[0])
    cache.store(Token(access_token="a", token_type="Bearer", expires_in=900), requested_at=100.0)
    now[0] = 969.9
    assert cache.current() == "a"
    now[0] = 970.0  # 30 s before the end
    assert cache.current() is None
    cache.store(Token(access_token="b", token_type="Bearer", expires_in=20), requested_at=1000.0)
    now[0] = 1017.9
    assert cache.current() == "b"
    now[0] = 1018.0  # 10 % of a 20 s life
    assert cache.current() is None
    cache.invalidate("a")  # not the current one: kept
    now[0] = 1001.0
    assert cache.current() == "b"
    cache.invalidate("b")
    assert cache.current() is None and cache.fetched == 2


def test_a_certificate_must_hash_to_every_digest_sent() -> None:
    body = b"%PDF-1.7 certificate"
    digest = hashlib.sha256(body).digest()
    headers = {"repr-digest": f"sha-256=:{base64.b64encode(digest).decode()}:", "x-certificate-sha256": digest.hex(),
               "content-disposition": 'attachment; filename="ZB-AAAA-BBBB-CCCC-DDDD.pdf"'}  # fmt: skip
    rating_id = uuid.uuid4()
    cert = certificate_of(rating_id, httpx.Response(200, headers=headers, content=body))
    assert (cert.certificate_no, cert.sha256, cert.rating_id) == ("ZB-AAAA-BBBB-CCCC-DDDD", digest.hex(), rating_id)
    with pytest.raises(CertificateDigestMismatch, match="Repr-Digest"):
        certificate_of(rating_id, httpx.Response(200, headers=headers, content=body + b" tampered"))
    with pytest.raises(CertificateDigestMismatch, match="X-Certificate-SHA256"):
        certificate_of(
            rating_id, httpx.Response(200, headers={**headers, "x-certificate-sha256": "00" * 32}, content=body)
        )
    with pytest.raises(CertificateDigestMismatch, match="no SHA-256"):
        certificate_of(rating_id, httpx.Response(200, content=body))


def test_the_repr_digest_header() -> None:
    assert repr_digest_sha256("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert repr_digest_sha256("md5=:abc:") is None and repr_digest_sha256(None) is None


def test_chunked_portfolios_merge_with_the_weighted_score_recomputed() -> None:
    def loan(amount: int, score: int | None, status: str = "ok") -> LoanResult:
        return LoanResult(uscc="x", status=status, outstanding_yuan=Decimal(amount), basis="evic", pcaf_score=score)

    first = Portfolio(loans=[loan(100, 1)], scope1_tco2=Decimal(1), scope2_tco2=Decimal(2), loans_with_figures=1,
                      weighted_pcaf_score=Decimal(1))  # fmt: skip
    second = Portfolio(loans=[loan(300, 2), loan(50, None, "no_consent")], scope1_tco2=Decimal(3),
                       scope2_tco2=Decimal(4), loans_with_figures=1, weighted_pcaf_score=Decimal(2))  # fmt: skip
    merged = merge([first, second])
    assert (merged.scope1_tco2, merged.scope2_tco2, merged.loans_with_figures) == (4, 6, 2)
    assert merged.weighted_pcaf_score == Decimal("1.75")  # (100·1 + 300·2) / 400, not the mean 1.5
    assert len(merged.loans) == 3


def test_a_repeated_cursor_stops_the_pager() -> None:
    pages = {None: Page(items=[1, 2], next_cursor="c1"), "c1": Page(items=[3], next_cursor="c1")}
    with pytest.raises(CarbonError, match="twice"):
        list(iterate(lambda cursor: pages[cursor]))
    assert list(iterate(lambda cursor: Page(items=[9]))) == [9]
