"""Typed settings, read from the environment once at start-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import msgspec
from platformdirs import user_data_dir

from service.problem_text import language_setting

__all__ = ["APP_ROLE", "Settings", "data_dir", "load_settings"]

# The database role the application connects as. Migrations create it (NOLOGIN until
# `db upgrade` gives it a login) and grant it exactly what each table allows.
APP_ROLE = "carbon_app"


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    database_url: str
    """Owner connection (runs migrations, owns the tables). `postgresql://...`."""
    app_database_url: str
    """Connection the API serves with: the unprivileged `carbon_app` role."""
    secret_key: str
    """Key-encryption secret: private signing keys are stored encrypted under it."""
    issuer: str = "https://carbon.zibo.example"
    """`iss` of every token the service signs."""
    audience: str = "carbon-account-api"
    """`aud` that access tokens must carry."""
    access_token_ttl_seconds: int = 900
    """Lifetime of an access token (short: a revoked client stops within this, and at once via the DB check)."""
    max_body_bytes: int = 1_048_576
    """Request bodies above this size get 413."""
    public_base_url: str = ""
    """Where readers reach the API (PUBLIC_BASE_URL), e.g. `https://carbon.zibo.gov.cn`: the
    certificates' QR code and footer link to `{public_base_url}/verify/{no}`. Unset, `serve`
    derives it from its own --host/--port and says so at start-up (service.public_url)."""
    embedded: bool = False
    """True when the service started its own private PostgreSQL."""
    rating_key_delay_seconds: int = 600
    """A rotated rating key is published this long before it signs (JWKS caches hold 5 minutes)."""
    run_jobs: bool = True
    """Run the job worker (rating rounds) in this process; any number of processes may."""
    job_poll_seconds: float = 2.0
    """How often the worker looks for jobs another process queued."""
    rate_limit_per_minute: int = 1200
    """Requests per API client per minute (0: no limit); beyond it 429 with Retry-After."""
    token_failures_per_minute: int = 10
    """Failed token requests an address may make a minute (0: no limit); beyond it every token
    request from the address, the right secret too, is 429 until the minute ends."""
    redis_url: str | None = None
    """Redis for the rate limiter's shared counts; without it each worker counts alone."""
    web_concurrency: int = 1
    """Worker processes serving the API (without Redis each allows limit ÷ this)."""
    webhook_allow_insecure: bool = False
    """Allow http and private, loopback or link-local webhook addresses (tests, on-premise use)."""
    webhook_retry_scale: float = 1.0
    """Multiplies the retry schedule's waits (tests shrink a day to seconds)."""
    cjk_font: str | None = None
    """A CJK TrueType font (.ttf/.ttc) embedded in certificates; unset: the package's own (GB 2312 subset)."""
    pdf_workers: int = 1
    """Processes rendering and signing certificates (reportlab is not thread-safe); 0: one thread here."""
    problem_default_language: str = "en"
    """Language of problem documents (`en` or `zh-CN`) when a request's Accept-Language names neither."""
    environment: str = "development"
    """CARBON_ENV: `production` refuses what only a trial may do (a loopback public base URL)."""


def environment_setting(value: str) -> str:
    """CARBON_ENV: development (the default) or production."""
    if value not in ("development", "production"):
        raise SystemExit(f"CARBON_ENV must be development or production, not {value!r}")
    return value


def data_dir() -> Path:
    """The user's data directory for the embedded database and generated secrets."""
    path = Path(os.environ.get("CARBON_DATA_DIR") or user_data_dir("carbon-account"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _persistent_secret(path: Path) -> str:
    """A secret generated once and kept (0600) beside the embedded database."""
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


def app_url_for(owner_url: str, password: str | None) -> str:
    """The owner URL with the application role's name (and password) in place of the owner's."""
    from sqlalchemy.engine import make_url

    url = make_url(owner_url).set(username=APP_ROLE, password=password)
    return url.render_as_string(hide_password=False)


def load_settings(database_url: str | None = None) -> Settings:
    """Settings from the environment; with no DATABASE_URL, the embedded server's URL."""
    env = os.environ
    owner_url = database_url or env.get("DATABASE_URL")
    embedded = owner_url is None
    if embedded:
        from service.db.embedded import start_embedded

        owner_url = start_embedded(data_dir() / "pgdata")
    secret = env.get("CARBON_SECRET_KEY")
    if secret is None:
        if not embedded:
            raise SystemExit("CARBON_SECRET_KEY must be set when DATABASE_URL points at a server")
        secret = _persistent_secret(data_dir() / "secret_key")
    app_password = env.get("APP_DATABASE_PASSWORD")
    kwargs: dict[str, object] = {}
    for field, var, cast in (
        ("issuer", "CARBON_ISSUER", str),
        ("audience", "CARBON_AUDIENCE", str),
        ("access_token_ttl_seconds", "ACCESS_TOKEN_TTL_SECONDS", int),
        ("max_body_bytes", "MAX_BODY_BYTES", int),
        ("public_base_url", "PUBLIC_BASE_URL", str),
        ("rating_key_delay_seconds", "RATING_KEY_DELAY_SECONDS", int),
        ("run_jobs", "RUN_JOBS", lambda v: v.lower() not in ("0", "false", "no")),
        ("job_poll_seconds", "JOB_POLL_SECONDS", float),
        ("rate_limit_per_minute", "RATE_LIMIT_PER_MINUTE", int),
        ("token_failures_per_minute", "TOKEN_FAILURES_PER_MINUTE", int),
        ("redis_url", "REDIS_URL", str),
        ("web_concurrency", "WEB_CONCURRENCY", int),
        ("webhook_allow_insecure", "WEBHOOK_ALLOW_INSECURE", lambda v: v.lower() in ("1", "true", "yes")),
        ("webhook_retry_scale", "WEBHOOK_RETRY_SCALE", float),
        ("cjk_font", "CARBON_CJK_FONT", str),
        ("pdf_workers", "PDF_WORKERS", int),
        ("problem_default_language", "PROBLEM_DEFAULT_LANGUAGE", language_setting),
        ("environment", "CARBON_ENV", environment_setting),
    ):
        if var in env:
            kwargs[field] = cast(env[var])
    return Settings(
        database_url=owner_url,
        app_database_url=env.get("APP_DATABASE_URL") or app_url_for(owner_url, app_password),
        secret_key=secret,
        embedded=embedded,
        **kwargs,  # type: ignore[arg-type]
    )
