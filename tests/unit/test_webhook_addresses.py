"""Webhooks go to public addresses only, including IPv6 forms that embed an IPv4 address."""

from __future__ import annotations

import pytest

from domain.webhooks import address_allowed


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fe80::1", "::ffff:10.0.0.1",
     "64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
)  # fmt: skip
def test_private_and_embedding_addresses_are_refused(address: str) -> None:
    assert address_allowed(address, allow_insecure=False) is False
    assert address_allowed(address, allow_insecure=True) is True


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address, allow_insecure=False) is True
