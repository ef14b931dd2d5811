"""Rate limits (a service allowing 3 requests per client per minute): the SDK waits out a 429's
Retry-After and succeeds; with too small a budget, no retries, or a request unsafe to repeat, it
raises RateLimited at once with `retry_after`."""

from __future__ import annotations

import time

import pytest
from carbon_account_client import RateLimited, RetryPolicy

from domain.organisations import OrgKind
from tests.sdk.blocking import Connect
from tests.sdk.city import bootstrap
from tests.sdk.limited import LIMIT, RetryRuns, clear_of_the_minute_edge
from tests.sdk.service import Service
from tests.sdk.traffic import Traffic


def test_a_429_is_waited_out_and_retried(retry_runs: RetryRuns) -> None:
    for kind, outcome in retry_runs.wait().items():
        assert outcome.error is None, (kind, outcome.error)
        assert outcome.statuses == [200] * LIMIT + [429, 200], kind
        assert outcome.retry_after is not None and 1 <= outcome.retry_after <= 60
        assert outcome.retry_after <= outcome.elapsed < outcome.retry_after + 10, kind


@pytest.mark.parametrize("policy", [RetryPolicy(max_total_wait=0.5), RetryPolicy(max_retries=0)])
def test_beyond_the_budget_rate_limited_is_raised(
    limited_service: Service, connect: Connect, traffic: Traffic, policy: RetryPolicy
) -> None:
    client = connect(bootstrap(limited_service, OrgKind.REGULATOR), url=limited_service.url, http=traffic.http,
                     retry=policy)  # fmt: skip
    clear_of_the_minute_edge()
    for _ in range(LIMIT):
        client.banks()
    started = time.monotonic()
    with pytest.raises(RateLimited) as limited:
        client.banks()
    assert time.monotonic() - started < 0.5  # no wait: the window ends later than the budget allows
    assert limited.value.status == 429 and limited.value.code == "rate-limited"
    assert limited.value.retry_after is not None and limited.value.retry_after >= 1
    assert traffic.statuses("/v1/banks") == [200] * LIMIT + [429]


def test_a_request_unsafe_to_repeat_is_not_retried(
    limited_service: Service, connect: Connect, traffic: Traffic
) -> None:
    client = connect(bootstrap(limited_service, OrgKind.REGULATOR), url=limited_service.url, http=traffic.http,
                     retry=RetryPolicy(max_total_wait=75))  # fmt: skip
    clear_of_the_minute_edge()
    for _ in range(LIMIT):
        client.banks()
    started = time.monotonic()
    with pytest.raises(RateLimited):  # a POST without Idempotency-Key might act twice: never resent
        client.request("POST", "/v1/enterprises/91370303MA3C00000X/approval", json={"decision": "approve"})
    assert time.monotonic() - started < 0.5
    assert [
        r.status_code for r in traffic.responses if r.request.method == "POST" and "approval" in r.request.url.path
    ] == [429]
