"""`POST /v1/auth/token`: the OAuth 2.0 client-credentials grant (RFC 6749, 4.4)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from service.auth.access import public
from service.auth.grant import authenticate_client
from service.auth.tokens import issue_access_token
from service.db.session import DB
from service.errors import ProblemError

__all__ = ["AuthController", "TokenRequest", "TokenResponse"]


class TokenRequest(msgspec.Struct, kw_only=True):
    grant_type: Literal["client_credentials"]
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None  # accepted and ignored: a client's rights come from its organisation


class TokenResponse(msgspec.Struct, kw_only=True):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int


def _invalid_client() -> ProblemError:
    # One answer for every failure, so that a caller cannot probe which part was wrong.
    return ProblemError(
        401,
        "invalid-client",
        "Client authentication failed.",
        headers={"WWW-Authenticate": 'Basic realm="carbon-account"'},
    )


def _basic_credentials(request: Request[Any, Any, Any]) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise _invalid_client() from exc
    return client_id, secret


class AuthController(Controller):
    path = "/v1/auth"
    tags = ["auth"]

    @post(
        "/token",
        status_code=200,
        response_headers={"Cache-Control": "no-store", "Pragma": "no-cache"},  # RFC 6749, 5.1
        **public(errors=(401, 422, 429)),
    )
    async def token(
        self,
        data: Annotated[TokenRequest, Body(media_type=RequestEncodingType.URL_ENCODED)],
        request: Request[Any, Any, Any],
        db: DB,
    ) -> TokenResponse:
        """Exchange a client id and secret (form fields or HTTP Basic) for a short-lived access token.
        Failed attempts are limited per address (TOKEN_FAILURES_PER_MINUTE, 10); past the limit every
        attempt from the address is 429 until the minute ends, a right secret too, so guessing stops.
        Clients that authenticate are not counted: fetching tokens is no budget a client has to share."""
        limiter = request.app.state.token_failures
        failed = f"ip:token-failed:{request.client.host if request.client else 'unknown'}"
        if (wait := limiter.exceeded(failed)) is not None:
            raise ProblemError(
                429, "rate-limited", f"Too many failed attempts; retry in {wait} s.", headers={"Retry-After": str(wait)}
            )
        creds = _basic_credentials(request) or (data.client_id or "", data.client_secret or "")
        client_id, secret = creds
        client = await authenticate_client(db, client_id, secret)
        if client is None:
            await limiter.hit(failed)
            raise _invalid_client()
        state = request.app.state
        token, ttl = issue_access_token(
            state.access_key,
            client_id=client.client_id,
            org_id=client.org_id,
            secret_version=client.secret_version,
            issuer=state.settings.issuer,
            audience=state.settings.audience,
            ttl=state.settings.access_token_ttl_seconds,
        )
        return TokenResponse(access_token=token, token_type="Bearer", expires_in=ttl)
