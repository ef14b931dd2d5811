"""Offline verification refuses every forgery: an altered payload, another Ed25519 key under a
published kid, alg none, HS256 keyed with the public key, another enterprise's or issuer's
token, an access token, junk. An unknown kid refetches the key set at most once per token, and
not within `min_refetch` of the last fetch."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import jwt
import pytest
from carbon_account_client import TokenInvalid
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.sdk.blocking import Connect
from tests.sdk.city import City


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _real(city: City, connect: Connect) -> tuple[str, str]:
    rating = connect(city.bank).latest_rating(city.enterprises[0].uscc)
    assert rating.token is not None
    return rating.token, rating.kid


def test_forgeries_are_refused(city: City, connect: Connect) -> None:
    token, kid = _real(city, connect)
    verifier = connect()  # offline verification needs no credentials
    assert verifier.verify_offline(token).kid == kid
    header, payload, signature = token.split(".")
    claims = _claims(token)
    claims["colour"], claims["grade"] = ("red", 5) if claims["colour"] != "red" else ("dark_green", 1)
    rating_header = {"kid": kid, "typ": "rating+jwt"}

    altered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    impostor = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers=rating_header)
    unsigned = f"{_b64(json.dumps({'alg': 'none', **rating_header}).encode())}.{payload}."
    public_x = next(k.x for k in verifier.jwks().keys if k.kid == kid)
    assert public_x is not None
    confused = jwt.encode(claims, base64.urlsafe_b64decode(public_x + "=="), algorithm="HS256", headers=rating_header)
    for forged, reason in [(altered, "signature"), (impostor, "signature"), (unsigned, "algorithm 'none'"),
                           (confused, "algorithm 'HS256'"), ("not-a-token", "compact JWS"),
                           (f"{header}.{payload}", "compact JWS")]:  # fmt: skip
        with pytest.raises(TokenInvalid, match=reason):
            verifier.verify_offline(forged)
    with pytest.raises(TokenInvalid, match=f"not '{city.enterprises[1].uscc}'"):
        verifier.verify_offline(token, uscc=city.enterprises[1].uscc)  # someone else's rating
    with pytest.raises(TokenInvalid, match="issuer"):
        verifier.verify_offline(token, issuer="https://elsewhere.example")
    form = {"grant_type": "client_credentials", "client_id": city.bank.client_id,
            "client_secret": city.bank.client_secret}  # fmt: skip
    access = httpx.post(f"{city.service.url}/v1/auth/token", data=form).json()["access_token"]
    with pytest.raises(TokenInvalid, match="at\\+jwt"):
        verifier.verify_offline(access)  # signed by the service, but not a rating
    assert verifier.keys.fetches == 1  # the kid was known: no forgery made it refetch


def test_an_unknown_kid_refetches_once_per_token_and_not_too_often(city: City, connect: Connect) -> None:
    token, _ = _real(city, connect)
    claims = _claims(token)
    made_up = [
        jwt.encode(
            claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": f"k-{i}", "typ": "rating+jwt"}
        )
        for i in range(3)
    ]
    eager = connect(jwks_min_refetch=0)
    eager.verify_offline(token)
    for i, forged in enumerate(made_up, start=1):
        with pytest.raises(TokenInvalid, match="unknown key id"):
            eager.verify_offline(forged)
        assert eager.keys.fetches == 1 + i  # one refetch for each token, never two
    guarded = connect()  # the default: no refetch within 30 s of the last fetch
    guarded.verify_offline(token)
    for forged in made_up * 3:
        with pytest.raises(TokenInvalid, match="unknown key id"):
            guarded.verify_offline(forged)
    assert guarded.keys.fetches == 1
