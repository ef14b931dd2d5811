"""What a client sent and got, recorded by httpx event hooks (no stand-in for the server)."""

from __future__ import annotations

import httpx

__all__ = ["Traffic"]


class Traffic:
    """What a client sent and got: an httpx client of the test's kind with event hooks."""

    def __init__(self, kind: str) -> None:
        self.sent: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []
        if kind == "sync":
            self.http: httpx.Client | httpx.AsyncClient = httpx.Client(
                event_hooks={"request": [self.sent.append], "response": [self._answered]}
            )
        else:

            async def sent(request: httpx.Request) -> None:
                self.sent.append(request)

            async def answered(response: httpx.Response) -> None:
                self._answered(response)

            self.http = httpx.AsyncClient(event_hooks={"request": [sent], "response": [answered]})

    def _answered(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def count(self, path: str) -> int:
        """Requests sent to `path`."""
        return sum(1 for r in self.sent if r.url.path == path)

    def statuses(self, path: str) -> list[int]:
        return [r.status_code for r in self.responses if r.request.url.path == path]
