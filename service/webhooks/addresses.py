"""Where a webhook may go: resolve the host and refuse private, loopback and link-local
addresses (at registration and again before every attempt: DNS can change).

The attempt then connects to the very address that was vetted (`vetted_address`), so a
name that resolves to a public address for the check and a private one for the
connection (DNS rebinding) cannot steer a delivery inside the network."""

from __future__ import annotations

import asyncio
import socket

from domain.webhooks import address_allowed

__all__ = ["resolve_allowed", "vetted_address"]


async def vetted_address(host: str, port: int, *, allow_insecure: bool) -> tuple[str | None, str | None]:
    """(an address to connect to, None) when every address of `host` is allowed; else (None, why not)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return None, f"{host} does not resolve"
    addresses = [str(info[4][0]) for info in infos]
    refused = sorted({a for a in addresses if not address_allowed(a, allow_insecure=allow_insecure)})
    if refused or not addresses:
        return None, f"{host} resolves to a private, loopback or link-local address ({', '.join(refused)})"
    return addresses[0], None


async def resolve_allowed(host: str, port: int, *, allow_insecure: bool) -> str | None:
    """None when every address of `host` is allowed; else why not."""
    return (await vetted_address(host, port, allow_insecure=allow_insecure))[1]
