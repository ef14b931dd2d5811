"""The `carbon-account` command: serve, database migrations, demo data, bootstrap clients."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from domain.organisations import OrgKind
from service.settings import Settings, data_dir, load_settings

__all__ = ["main"]

BOOTSTRAP_KINDS = ("admin", "regulator", "rating_authority", "finance_regulator")
_T0 = time.monotonic()


def _stage(message: str) -> None:
    """One line per start-up stage, with the seconds since the command started."""
    print(f"[{time.monotonic() - _T0:5.1f} s] {message}", file=sys.stderr, flush=True)


def _load_settings_saying_so() -> Settings:
    """Settings; starting the embedded PostgreSQL first (and saying how) when there is no DATABASE_URL."""
    if not os.environ.get("DATABASE_URL"):
        from service.db.embedded import ensure_embedded

        emb = ensure_embedded(data_dir() / "pgdata")
        what = {
            "initialised": "database initialised",
            "started": "database started",
            "adopted": f"database adopted (pid {emb.pid}, left running by an earlier start)",
            "joined": f"database joined (pid {emb.pid}, run by another carbon-account process)",
        }[emb.how]
        _stage(f"{what}: embedded PostgreSQL in {emb.pgdata}")
    return load_settings()


async def _prepare_database(settings: Settings) -> None:
    """Migrate as the owner, let the application role log in, load the shipped reference data."""
    import os

    from service.db.prepare import prepare_database

    await prepare_database(settings.database_url, os.environ.get("APP_DATABASE_PASSWORD"))


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app
    from service.public_url import LoopbackInProduction, checked

    settings = _load_settings_saying_so()
    settings = _demo_webhooks(settings, args)
    try:  # before any work: a production service must not sign loopback links into certificates
        settings, how = checked(settings, args.host, args.port)
    except LoopbackInProduction as exc:
        print(f"carbon-account serve: {exc}", file=sys.stderr)
        return 2
    _stage(
        f"public base URL {settings.public_base_url} ({how}): certificates link to {settings.public_base_url}/verify/…"
    )
    if settings.embedded or args.migrate:
        asyncio.run(_prepare_database(settings))
        _stage("database migrated, reference data loaded")
    if args.demo:
        from service.demo import seed_demo

        print(json.dumps(asyncio.run(seed_demo(settings, _stage)), ensure_ascii=False, indent=2))
    where = "the embedded PostgreSQL" if settings.embedded else "DATABASE_URL"
    serving = f"serving on http://{args.host}:{args.port} with {where}"

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:  # listening now (a taken port ends here instead)
                _stage(serving)

    app = create_app(settings)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, server_header=False)
    server = Server(config)
    server.run()
    return 0 if server.started else 3  # as uvicorn.run: 3 when start-up failed (a port in use)


def _demo_webhooks(settings: Settings, args: argparse.Namespace) -> Settings:
    """A demo on a loopback address lets webhooks reach this machine over http (the README's
    receiver), as WEBHOOK_ALLOW_INSECURE=1 would; a setting given explicitly is kept."""
    import ipaddress

    import msgspec

    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:  # a host name
        loopback = False
    if not (args.demo and loopback) or "WEBHOOK_ALLOW_INSECURE" in os.environ:
        return settings
    _stage("webhooks may be sent over http to this machine (a demo on a loopback address)")
    return msgspec.structs.replace(settings, webhook_allow_insecure=True)


def _db(args: argparse.Namespace) -> int:
    from service.db.migrate import downgrade

    settings = load_settings()
    if args.action == "upgrade":
        asyncio.run(_prepare_database(settings))
    elif args.revision is None:
        raise SystemExit("db downgrade needs --revision (e.g. -1; base drops every table)")
    else:
        downgrade(settings.database_url, args.revision)
    print(f"database {args.action} done", file=sys.stderr)
    return 0


def _clients(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.embedded:
        asyncio.run(_prepare_database(settings))
    from service.bootstrap import bootstrap_client

    out = asyncio.run(bootstrap_client(settings, OrgKind(args.org_kind), args.org_name, args.org_id, args.name))
    print(json.dumps(out, indent=2))
    print("The secret is shown once; store it now.", file=sys.stderr)
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    from service.demo import seed_demo

    settings = _load_settings_saying_so()
    if settings.embedded or args.migrate:
        asyncio.run(_prepare_database(settings))
        _stage("database migrated, reference data loaded")
    print(json.dumps(asyncio.run(seed_demo(settings, _stage)), ensure_ascii=False, indent=2))
    print("Secrets are shown once; every enterprise's are in the credentials file.", file=sys.stderr)
    return 0


def _demo_credentials_file(explicit: str | None) -> Path:
    """The credentials `serve --demo` wrote for this database (DATABASE_URL or the embedded
    one), else the newest in the data directory. Starts no database."""
    from service.db.embedded import embedded_url
    from service.demo import credentials_path

    if explicit:
        return Path(explicit)
    own = credentials_path(os.environ.get("DATABASE_URL") or embedded_url(data_dir() / "pgdata"))
    if own.exists():
        return own
    found = sorted(data_dir().glob("demo-credentials-*.json"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise SystemExit(f"no demo credentials in {data_dir()}: run `carbon-account serve --demo` first")
    return found[-1]


def _token(api: str, client_id: str, secret: str) -> str:
    import httpx

    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    try:
        r = httpx.post(f"{api}/v1/auth/token", data=form, timeout=10)
    except httpx.HTTPError as exc:
        raise SystemExit(f"carbon-account demo env: cannot reach {api} ({exc}); is `serve --demo` running?") from exc
    if r.status_code != 200:
        raise SystemExit(
            f"carbon-account demo env: {api} refused {client_id} ({r.status_code}); "
            "does it serve the database these demo credentials were seeded into?"
        )
    return str(r.json()["access_token"])


def _demo_env(args: argparse.Namespace) -> int:
    """`export VAR=value` lines for the README's walk-through: eval "$(carbon-account demo env --tokens)"."""
    import shlex

    import msgspec

    from service.demo import WALKTHROUGH_ROLES, walkthrough_env

    default_api = next(f.default for f in msgspec.structs.fields(Settings) if f.name == "public_base_url")
    api = args.api or os.environ.get("PUBLIC_BASE_URL") or str(default_api) or "http://127.0.0.1:8000"
    path = _demo_credentials_file(args.credentials)
    env = walkthrough_env(json.loads(path.read_text(encoding="utf-8")), api)
    if args.tokens:  # every token first: on any failure print nothing for eval to half-apply
        tokens = {var: _token(env["API"], env[f"{p}_ID"], env[f"{p}_SECRET"]) for p, var in WALKTHROUGH_ROLES}
        env |= tokens
    print("\n".join(f"export {name}={shlex.quote(value)}" for name, value in env.items()))
    return 0


def _ratings_run(args: argparse.Namespace) -> int:
    """Start a round for the year and run it here, in the foreground."""
    from service.db.engine import make_engine, make_sessionmaker
    from service.ratings.job import RoundRunner
    from service.ratings.rounds import get_round, start_round

    settings = load_settings()
    if settings.embedded:
        asyncio.run(_prepare_database(settings))

    async def run() -> dict[str, object]:
        engine = make_engine(settings.app_database_url, pool_size=2)
        try:
            sessionmaker = make_sessionmaker(engine)
            async with sessionmaker() as db, db.begin():
                rnd = await start_round(db, None, args.year, args.methodology)
            await RoundRunner(engine, sessionmaker, settings).claim_and_run(rnd.id)
            while True:  # a server's worker may have taken the round first: wait for it
                async with sessionmaker() as db:
                    done = await get_round(db, rnd.id)
                if done.status != "running":
                    break
                await asyncio.sleep(0.5)
            return {"round_id": str(done.id), "year": done.year, "status": done.status, "rated": done.rated,
                    "error": done.error}  # fmt: skip
        finally:
            await engine.dispose()

    out = asyncio.run(run())
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0 if out["status"] == "completed" else 1


def _keys_rotate(args: argparse.Namespace) -> int:
    """Publish a new rating key now; it signs once the publication delay has passed."""
    import re

    from service.auth.keystore import rotate
    from service.db.engine import make_engine, make_sessionmaker
    from service.security_headers import JWKS_CACHE_CONTROL

    settings = load_settings()
    delay = settings.rating_key_delay_seconds if args.delay is None else args.delay
    # A verifier may hold the key set for max-age seconds: a key that signs sooner makes its
    # tokens unverifiable there until the cache expires.
    max_age = int(re.search(r"max-age=(\d+)", JWKS_CACHE_CONTROL)[1])  # type: ignore[index]
    if delay < max_age and not args.unsafe_short_delay:
        print(
            f"refused: --delay {delay} is shorter than the JWKS cache lifetime (Cache-Control max-age={max_age} s"
            f" on /.well-known/jwks.json); verifiers that cached the key set would reject tokens signed by the"
            f" new key for up to {max_age} s. Use --delay {max_age} or more (or --unsafe-short-delay on a"
            " service nobody verifies against yet).",
            file=sys.stderr,
        )
        return 2

    async def run() -> dict[str, object]:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db, db.begin():
                key = await rotate(db, "rating", settings.secret_key, delay)
                return {
                    "kid": key.kid,
                    "published_at": key.created_at.isoformat(),
                    "signs_from": key.activates_at.isoformat(),
                }
        finally:
            await engine.dispose()

    print(json.dumps(asyncio.run(run()), indent=2))
    return 0


def _pki(args: argparse.Namespace) -> int:
    """`pki status`: the signer and TSA certificates the PDF-signing CA issued; `pki revoke`:
    revoke one (listed in the CRL from now; the next signing batch replaces it)."""
    from cryptography import x509
    from sqlalchemy import select

    from service.certificates.pki_store import NotRevocable, revoke
    from service.db.engine import make_engine, make_sessionmaker
    from service.db.models import PkiIssued, PkiRevocation

    settings = load_settings()

    async def run() -> list[dict[str, object]] | dict[str, object]:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db, db.begin():
                if args.pki_command == "revoke":
                    made = await revoke(db, args.serial, args.reason)
                    return {"serial": made.serial, "reason": made.reason, "revoked_at": made.revoked_at.isoformat()}
                revoked = {r.serial: r for r in (await db.execute(select(PkiRevocation))).scalars()}
                rows = await db.execute(select(PkiIssued).where(PkiIssued.kind != "crl").order_by(PkiIssued.created_at))
                out: list[dict[str, object]] = []
                for row in rows.scalars():
                    serial = str(x509.load_pem_x509_certificate(row.pem.encode("ascii")).serial_number)
                    gone = revoked.get(serial)
                    out.append({"kind": row.kind, "serial": serial, "not_before": row.not_before.isoformat(),
                                "not_after": row.not_after.isoformat(),
                                "revoked": None if gone is None else {"reason": gone.reason,
                                                                      "at": gone.revoked_at.isoformat()}})  # fmt: skip
                return out
        finally:
            await engine.dispose()

    try:
        print(json.dumps(asyncio.run(run()), indent=2))
    except NotRevocable as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    return 0


def _parser() -> argparse.ArgumentParser:
    from service.pdf.pki import REVOCATION_REASONS

    parser = argparse.ArgumentParser(prog="carbon-account", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API (embedded PostgreSQL when DATABASE_URL is unset)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="seed demo organisations and print their credentials")
    serve.add_argument("--migrate", action="store_true", help="run migrations first (always on the embedded server)")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=_serve)

    db = sub.add_parser("db", help="database migrations (run as the owning role in DATABASE_URL)")
    db.add_argument("action", choices=["upgrade", "downgrade"])
    db.add_argument("--revision", help="downgrade target, required for downgrade (e.g. -1, or base to drop everything)")
    db.set_defaults(func=_db)

    seed = sub.add_parser("seed-demo", help="seed the demo city (about 40 enterprises, filings, verifiers, banks)")
    seed.add_argument("--migrate", action="store_true", help="run migrations first (always on the embedded server)")
    seed.set_defaults(func=_seed_demo)

    demo = sub.add_parser("demo", help="the demo city's credentials")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    env = demo_sub.add_parser(
        "env", help='shell exports for the README walk-through: eval "$(carbon-account demo env)"'
    )
    env.add_argument("--tokens", action="store_true", help="also fetch an access token per role from the running API")
    env.add_argument("--api", help="the API's base URL (default PUBLIC_BASE_URL, else http://127.0.0.1:8000)")
    env.add_argument("--credentials", help="a demo-credentials-*.json (default: the data directory's)")
    env.set_defaults(func=_demo_env)

    ratings = sub.add_parser("ratings", help="rating rounds")
    ratings_sub = ratings.add_subparsers(dest="ratings_command", required=True)
    run = ratings_sub.add_parser("run", help="start a round for a year and run it in the foreground")
    run.add_argument("--year", type=int, required=True)
    run.add_argument("--methodology", type=int, help="the methodology version (default: the latest)")
    run.set_defaults(func=_ratings_run)

    keys = sub.add_parser("keys", help="rating signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rot = keys_sub.add_parser("rotate", help="publish a new rating key; it signs after the publication delay")
    rot.add_argument(
        "--delay", type=int, help="seconds before it signs (default RATING_KEY_DELAY_SECONDS, 600; at least 300)"
    )
    rot.add_argument(
        "--unsafe-short-delay",
        action="store_true",
        help="allow a delay shorter than the JWKS cache lifetime (300 s): tests, a service nobody verifies yet",
    )
    rot.set_defaults(func=_keys_rotate)

    pki = sub.add_parser("pki", help="the PDF-signing CA's signer and TSA certificates")
    pki_sub = pki.add_subparsers(dest="pki_command", required=True)
    pki_sub.add_parser(
        "status", help="every signer and TSA certificate, with serial, validity, revocation"
    ).set_defaults(func=_pki)
    rev = pki_sub.add_parser("revoke", help="revoke a signer or TSA certificate (key compromise, say)")
    rev.add_argument("--serial", type=int, required=True, help="the certificate's serial (decimal, from `pki status`)")
    rev.add_argument("--reason", required=True, choices=list(REVOCATION_REASONS))
    rev.set_defaults(func=_pki)

    clients = sub.add_parser("clients", help="bootstrap API clients")
    clients_sub = clients.add_subparsers(dest="clients_command", required=True)
    create = clients_sub.add_parser("create", help="create an organisation (or use --org-id) and a client")
    create.add_argument("--org-kind", required=True, choices=BOOTSTRAP_KINDS)
    create.add_argument("--org-name", help="name of the new organisation")
    create.add_argument("--org-id", help="add the client to this existing organisation instead")
    create.add_argument("--name", default="bootstrap", help="the client's name")
    create.set_defaults(func=_clients)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
