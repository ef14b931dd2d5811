"""The ASGI application for servers run with several workers:

    uvicorn --factory service.asgi:app --workers 2 --port 8000 --no-server-header

Settings come from the environment (DATABASE_URL, CARBON_SECRET_KEY, ...), as for `serve`.
"""

from __future__ import annotations

from litestar import Litestar

from service.app import create_app
from service.public_url import checked
from service.settings import load_settings

__all__ = ["app"]


def app() -> Litestar:
    """The app; in production a loopback PUBLIC_BASE_URL stops it here (LoopbackInProduction)."""
    settings, _ = checked(load_settings())
    return create_app(settings)
