"""A delivery connects to the address that was vetted, not to a fresh resolution of the name.

`rebind.invalid` cannot resolve (RFC 6761). The vetting step is made to answer 127.0.0.1
for it, as a rebinding DNS server would answer a public address for the check: the POST
still reaches the receiver on 127.0.0.1, carrying the URL's own Host header, which shows
the connection went to the vetted address and the name was never resolved again.
"""

from __future__ import annotations

import asyncio

import pytest

from service.webhooks import addresses, delivery
from tests.e2e.test_webhooks import Receiver, register
from tests.helpers import Api
from tests.integration.test_webhook_delivery import _bank, _queue, _rows, _work, quiet_api  # noqa: F401


def test_the_attempt_connects_to_the_vetted_address(quiet_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    receiver = Receiver()
    receiver.start()
    name = f"rebind.invalid:{receiver.port}"

    async def vetted(host: str, port: int, *, allow_insecure: bool) -> tuple[str | None, str | None]:
        return ("127.0.0.1", None) if host == "rebind.invalid" else (None, f"{host} refused")

    monkeypatch.setattr(addresses, "vetted_address", vetted)
    monkeypatch.setattr(delivery, "vetted_address", vetted)
    bank = _bank(quiet_api)
    register(quiet_api, bank, f"http://{name}/hook", ["rating.issued"])
    asyncio.run(_queue(quiet_api.settings, bank, 1))
    asyncio.run(_work(quiet_api.settings, 1, passes=1))
    (row,), _ = asyncio.run(_rows(quiet_api.settings))
    assert (row.status, row.last_error) == ("delivered", None)
    ((headers, _body),) = receiver.received
    assert headers["host"] == name
