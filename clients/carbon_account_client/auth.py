"""Client-credentials access tokens: fetched on first use, renewed before they expire.

A token is renewed once less than min(30 s, 10 % of its lifetime) remains, so that no
request leaves with a token about to lapse in flight. A 401 on a token thought good (a
rotated secret, a clock that disagrees with the server's) renews it once more; the
transports do that. The clients hold a lock around `current`/`store` so that concurrent
callers share one fetch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from carbon_account_client.models import Token

__all__ = ["REFRESH_FRACTION", "REFRESH_SECONDS", "Credentials", "TokenCache"]

REFRESH_SECONDS = 30.0
REFRESH_FRACTION = 0.1


@dataclass(frozen=True, slots=True)
class Credentials:
    """An API client's id and secret (the organisation's, from its admin or its registration)."""

    client_id: str
    client_secret: str = field(repr=False)

    def form(self) -> dict[str, str]:
        """The token request's form (RFC 6749, 4.4.2)."""
        return {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}


class TokenCache:
    """The current token and when it is due for renewal."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self.fetched = 0
        """Tokens fetched so far (to observe renewals)."""

    def current(self) -> str | None:
        """The token, or None when there is none or it is due for renewal."""
        if self._token is None or self.clock() >= self._renew_at:
            return None
        return self._token

    def store(self, token: Token, requested_at: float) -> str:
        """Keep a token fetched by a request sent at `requested_at` (its lifetime counts from then)."""
        lifetime = max(0.0, float(token.expires_in))
        margin = min(REFRESH_SECONDS, REFRESH_FRACTION * lifetime)
        self._token, self._renew_at = token.access_token, requested_at + lifetime - margin
        self.fetched += 1
        return token.access_token

    def invalidate(self, token: str | None) -> None:
        """Forget `token` after a 401 (unless another caller already replaced it)."""
        if token is not None and token == self._token:
            self._token = None
