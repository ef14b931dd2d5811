"""The real service as a subprocess: `uvicorn --factory service.asgi:app` on a free localhost port.

Each service gets a fresh database copied from the session's migrated template and a
short access-token lifetime, so every SDK test also exercises token renewal.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from service.settings import Settings
from tests import db as testdb
from tests.live import free_port, uvicorn_command, wait_until_up

__all__ = ["SECRET_KEY", "Service", "start_service"]

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key-not-for-production"
TOKEN_TTL = 5
"""Seconds: an SDK renews a token of this lifetime after 4.5 s."""


@dataclass
class Service:
    url: str
    settings: Settings
    """The service's settings as the test process needs them (bootstrap, key rotation)."""
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return make_url(self.settings.database_url).database or ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_service(pg_url: str, template: str, **env: str) -> Service:
    """Start the service on a new database; return once /readyz answers 200."""
    owner, app_url = testdb.create_from_template(pg_url, template)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = tempfile.mkdtemp(prefix="carbon-sdk-")
    settings_env = {
        "DATABASE_URL": owner,
        "APP_DATABASE_URL": app_url,
        "CARBON_SECRET_KEY": SECRET_KEY,
        "CARBON_DATA_DIR": data_dir,
        "PUBLIC_BASE_URL": url,
        "ACCESS_TOKEN_TTL_SECONDS": str(TOKEN_TTL),
        "JOB_POLL_SECONDS": "0.1",
        "PDF_WORKERS": "0",
        "WEBHOOK_ALLOW_INSECURE": "true",
        "WEBHOOK_RETRY_SCALE": "0.001",
        **env,
    }
    log = Path(data_dir) / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            uvicorn_command(port), cwd=ROOT, env={**os.environ, **settings_env}, stdout=out, stderr=out
        )
    settings = Settings(database_url=owner, app_database_url=app_url, secret_key=SECRET_KEY)
    service = Service(url=url, settings=settings, process=process, log=log, env=settings_env)
    try:
        wait_until_up(f"{url}/readyz", process, log=lambda: log.read_text()[-4000:])
    except RuntimeError:
        service.stop()
        raise
    return service
