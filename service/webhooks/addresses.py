"""Where a webhook may go: resolve the host and refuse private, loopback and link-local
addresses (at registration and again before every attempt: DNS can change)."""

from __future__ import annotations

import asyncio
import socket

from domain.webhooks import address_allowed

__all__ = ["resolve_allowed"]


async def resolve_allowed(host: str, port: int, *, allow_insecure: bool) -> str | None:
    """None when every address of `host` is allowed; else why not."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return f"{host} does not resolve"
    addresses = {info[4][0] for info in infos}
    refused = sorted(a for a in addresses if not address_allowed(str(a), allow_insecure=allow_insecure))
    if refused:
        return f"{host} resolves to a private, loopback or link-local address ({', '.join(map(str, refused))})"
    return None
