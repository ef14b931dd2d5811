"""Failed token requests are throttled by the served API itself (uvicorn, two workers), not only
in-process: a guesser is stopped after TOKEN_FAILURES_PER_MINUTE failures, the right secret too,
whatever the per-client request budget (the live service runs with a budget of 1,000,000)."""

from __future__ import annotations

import time

import httpx

from domain.organisations import OrgKind
from service.settings import Settings
from tests.helpers import Api
from tests.live import live_service


def _start_of_a_minute_with_room() -> None:
    """The limit's window is the clock minute: begin where a dozen requests cannot straddle it."""
    if (second := time.time() % 60) > 50:
        time.sleep(60.5 - second)


def test_guessing_a_secret_over_http_is_stopped_and_the_right_secret_waits(api: Api, settings: Settings) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    with live_service(settings, TOKEN_FAILURES_PER_MINUTE="10", REDIS_URL="redis://127.0.0.1:6379/0",
                      WEB_CONCURRENCY="2", workers=2) as url:  # fmt: skip
        _start_of_a_minute_with_room()
        with httpx.Client(base_url=url, timeout=10) as http:

            def token(secret: str) -> httpx.Response:
                form = {"grant_type": "client_credentials", "client_id": regulator.client_id, "client_secret": secret}
                return http.post("/v1/auth/token", data=form)

            answers = [token(f"cas_guess{i}").status_code for i in range(14)]
            right = token(regulator.client_secret)
    assert answers[:10] == [401] * 10, answers
    assert set(answers[10:]) == {429}, answers
    assert right.status_code == 429, right.text
    assert right.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(right.headers["retry-after"]) <= 60
    assert "access_token" not in right.text
