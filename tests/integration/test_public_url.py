"""The public base URL (issue 21.3): derived from serve's address when unset and said at start-up;
a production service (CARBON_ENV=production) refuses a loopback one before it does anything, by
`serve` and by the ASGI factory; a development one (a server database included) accepts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from service.public_url import FALLBACK, LoopbackInProduction, checked, derive, is_loopback, verify_base
from service.settings import Settings

CLI = str(Path(sys.executable).parent / "carbon-account")


def _settings(**kw: object) -> Settings:
    return Settings(database_url="postgresql://x@db/x", app_database_url="postgresql://y@db/x", secret_key="k", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "loopback"),
    [("http://127.0.0.1:8000", True), ("http://localhost:9000", True), ("http://[::1]:8000", True),
     ("http://127.8.0.1", True), ("https://carbon.zibo.gov.cn", False), ("http://10.0.0.5:8000", False)],
)  # fmt: skip
def test_loopback_addresses_are_recognised(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_unset_it_is_derived_from_the_address_serve_listens_on() -> None:
    embedded = _settings(embedded=True)
    settings, how = checked(embedded, "127.0.0.1", 8123)
    assert settings.public_base_url == "http://127.0.0.1:8123" and "--port 8123" in how
    assert derive("0.0.0.0", 80) == f"http://{socket.getfqdn() or socket.gethostname()}:80"
    assert derive("::1", 8000) == "http://[::1]:8000"
    assert verify_base(embedded) == FALLBACK and verify_base(settings) == "http://127.0.0.1:8123"


def test_production_refuses_a_loopback_base_url_set_or_derived() -> None:
    production = {"environment": "production"}
    with pytest.raises(LoopbackInProduction, match="PUBLIC_BASE_URL"):
        checked(_settings(**production), "127.0.0.1", 8000)
    with pytest.raises(LoopbackInProduction):
        checked(_settings(public_base_url="http://localhost:8000/", **production), "0.0.0.0", 8000)
    settings, how = checked(_settings(public_base_url="https://carbon.zibo.gov.cn/", **production), "127.0.0.1", 8000)
    assert settings.public_base_url == "https://carbon.zibo.gov.cn" and how == "PUBLIC_BASE_URL"
    developing, _ = checked(_settings(), "127.0.0.1", 8000)  # a server database is not production by itself
    assert developing.public_base_url == "http://127.0.0.1:8000"


def test_serve_refuses_at_start_up_before_touching_the_database() -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "CARBON_SECRET_KEY": "k",
           "CARBON_ENV": "production", "CARBON_DATA_DIR": tempfile.mkdtemp(prefix="carbon-url-")}  # fmt: skip
    env.pop("PUBLIC_BASE_URL", None)
    done = subprocess.run([CLI, "serve", "--port", "8765"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "http://127.0.0.1:8765" in done.stderr and "loopback" in done.stderr and "PUBLIC_BASE_URL" in done.stderr


def test_the_asgi_factory_refuses_it_in_production_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from service import asgi

    for name, value in {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "CARBON_SECRET_KEY": "k",
                        "CARBON_ENV": "production", "PUBLIC_BASE_URL": "http://localhost:8000"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with pytest.raises(LoopbackInProduction):
        asgi.app()
