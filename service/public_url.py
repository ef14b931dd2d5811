"""The public base URL: where readers of a certificate reach the service (its QR code and footer).

A certificate carries the link for good (it is signed in), so it must be the address the
public reaches, not where the process happens to listen. Unset (PUBLIC_BASE_URL), `serve`
derives it from its own --host/--port and says so. In production (CARBON_ENV=production,
as docker-compose.yml sets) a loopback base URL is refused at start-up, by `serve` and by the
ASGI factory alike, since every certificate would link to the reader's own machine.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import msgspec

from service.settings import Settings

__all__ = ["FALLBACK", "LoopbackInProduction", "checked", "derive", "is_loopback", "is_production", "verify_base"]

FALLBACK = "http://127.0.0.1:8000"  # a process not started by `serve` (tests, scripts) with none set
_WILDCARD = {"0.0.0.0", "::", ""}


class LoopbackInProduction(RuntimeError):
    """A production service would sign loopback links into its certificates."""


def is_production(settings: Settings) -> bool:
    """Production: declared with CARBON_ENV=production (a server database alone does not say so:
    developers and the test suite run on one with a loopback address)."""
    return settings.environment == "production"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def derive(host: str, port: int) -> str:
    """`http://host:port` for the address `serve` listens on; a wildcard address names the machine."""
    if host in _WILDCARD:
        host = socket.getfqdn() or socket.gethostname()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def checked(settings: Settings, host: str | None = None, port: int | None = None) -> tuple[Settings, str]:
    """The settings with a base URL (derived from host and port when unset, else FALLBACK) and how
    it was chosen; raises LoopbackInProduction for a production service whose base URL is loopback."""
    explicit = bool(settings.public_base_url.strip())
    if explicit:
        url, how = settings.public_base_url.strip().rstrip("/"), "PUBLIC_BASE_URL"
    elif host is not None and port is not None:
        url, how = derive(host, port), f"derived from --host {host} --port {port}; set PUBLIC_BASE_URL to change"
    else:
        url, how = FALLBACK, "PUBLIC_BASE_URL unset"
    if is_production(settings) and is_loopback(url):
        raise LoopbackInProduction(
            f"public base URL {url} ({how}) is a loopback address: certificates would link every reader "
            "to their own machine. Set PUBLIC_BASE_URL to the address the public reaches "
            "(e.g. https://carbon.zibo.gov.cn); a loopback one is only accepted outside CARBON_ENV=production."
        )
    return msgspec.structs.replace(settings, public_base_url=url), how


def verify_base(settings: Settings) -> str:
    """The base the certificate worker links to: the configured (or `serve`-derived) one, else FALLBACK."""
    return settings.public_base_url.strip().rstrip("/") or FALLBACK
