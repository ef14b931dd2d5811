"""Where a client's settings come from: arguments, or the environment (the CLI's default)."""

from __future__ import annotations

import os
from typing import Any

from carbon_account_client.auth import Credentials

__all__ = ["credentials_of", "env_settings"]


def credentials_of(client_id: str | None, client_secret: str | None) -> Credentials | None:
    if (client_id is None) != (client_secret is None):
        raise ValueError("give both client_id and client_secret, or neither (public operations only)")
    return Credentials(client_id, client_secret) if client_id and client_secret else None


def env_settings() -> dict[str, Any]:
    """CARBON_API_URL, CARBON_CLIENT_ID, CARBON_CLIENT_SECRET as constructor arguments."""
    url = os.environ.get("CARBON_API_URL")
    if not url:
        raise ValueError("set CARBON_API_URL (e.g. https://carbon.zibo.example)")
    return {
        "base_url": url,
        "client_id": os.environ.get("CARBON_CLIENT_ID") or None,
        "client_secret": os.environ.get("CARBON_CLIENT_SECRET") or None,
    }
