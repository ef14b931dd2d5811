"""Access tokens: fetched once and reused, renewed before they expire (the service issues
5-second tokens here), renewed once when the API refuses one, and a rotated secret ends in
Unauthorized after that one renewal."""

from __future__ import annotations

import time

import httpx
from carbon_account_client import AsyncCarbonClient, CarbonClient, Unauthorized
from carbon_account_client.models import Token

from tests.sdk.blocking import Blocking, Connect, LoopThread
from tests.sdk.city import City, admin_created, sdk
from tests.sdk.service import TOKEN_TTL
from tests.sdk.traffic import Traffic

TOKEN = "/v1/auth/token"


def _bearer(traffic: Traffic, path: str) -> str:
    return next(r.headers["authorization"] for r in reversed(traffic.sent) if r.url.path == path)


def test_tokens_are_renewed_before_they_expire(city: City, loop_thread: LoopThread) -> None:
    plain, concurrent = Traffic("sync"), Traffic("async")
    clients = [
        (CarbonClient(city.service.url, city.bank.client_id, city.bank.client_secret, http=plain.http), plain),
        (Blocking(AsyncCarbonClient(city.service.url, city.bank.client_id, city.bank.client_secret,
                                    http=concurrent.http), loop_thread), concurrent),
    ]  # fmt: skip
    first: list[str] = []
    for client, traffic in clients:
        client.banks()
        client.banks()
        assert traffic.count(TOKEN) == 1 and client.tokens_fetched == 1  # reused while good
        first.append(_bearer(traffic, "/v1/banks"))
    time.sleep(TOKEN_TTL + 1.2)  # past the renewal point and the token's own expiry (exp rounds up a second)
    for (client, traffic), old in zip(clients, first, strict=True):
        client.banks()
        assert traffic.count(TOKEN) == 2 and client.tokens_fetched == 2
        assert _bearer(traffic, "/v1/banks") != old
        assert 401 not in traffic.statuses("/v1/banks")  # renewed before, not after a refusal
        stale = httpx.get(f"{city.service.url}/v1/banks", headers={"Authorization": old})
        assert stale.status_code == 401  # the old one would have been refused
        client.close()


def test_a_refused_token_is_renewed_once(city: City, connect: Connect, traffic: Traffic) -> None:
    bank = connect(city.bank, http=traffic.http)
    bank.banks()
    # as after a restart with a new signing key: the SDK holds a token the API no longer accepts
    bank.tokens.store(Token(access_token="eyJ.not.valid", token_type="Bearer", expires_in=900), time.monotonic())
    assert {str(b.org_id) for b in bank.banks()} >= {city.bank.org_id}
    assert traffic.statuses("/v1/banks") == [200, 401, 200]
    assert traffic.count(TOKEN) == 2


def test_a_rotated_secret_ends_in_unauthorized(city: City, connect: Connect, traffic: Traffic) -> None:
    with sdk(city.service, city.admin) as admin:
        org = admin_created(admin, "bank", "临时银行")
        bank = connect(org, http=traffic.http)
        bank.banks()
        admin.request("POST", f"/v1/admin/clients/{org.client_id}/rotation")
    try:
        bank.banks()
        raise AssertionError("a rotated secret still works")
    except Unauthorized as refused:
        assert refused.code == "invalid-client"
    assert traffic.statuses("/v1/banks") == [200, 401]  # its token is refused at once
    assert traffic.statuses(TOKEN) == [200, 401]  # one renewal, with the old secret: refused
