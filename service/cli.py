"""The `carbon-account` command: serve, database migrations, demo data, bootstrap clients."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from domain.organisations import OrgKind
from service.settings import Settings, load_settings

__all__ = ["main"]

BOOTSTRAP_KINDS = ("admin", "regulator", "rating_authority")


async def _prepare_database(settings: Settings) -> None:
    """Migrate as the owner, let the application role log in, load the shipped reference data."""
    import os

    from service.db.prepare import prepare_database

    await prepare_database(settings.database_url, os.environ.get("APP_DATABASE_PASSWORD"))


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app

    settings = load_settings()
    if settings.embedded or args.migrate:
        asyncio.run(_prepare_database(settings))
    if args.demo:
        from service.demo import seed_demo

        print(json.dumps(asyncio.run(seed_demo(settings)), ensure_ascii=False, indent=2))
    where = (
        "embedded PostgreSQL (" + settings.database_url.split("host=")[-1] + ")"
        if settings.embedded
        else "DATABASE_URL"
    )
    print(f"carbon-account: serving on http://{args.host}:{args.port} with {where}", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level, server_header=False)
    return 0


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

    settings = load_settings()
    if settings.embedded or args.migrate:
        asyncio.run(_prepare_database(settings))
    print(json.dumps(asyncio.run(seed_demo(settings)), ensure_ascii=False, indent=2))
    print("Secrets are shown once; every enterprise's are in the credentials file.", file=sys.stderr)
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
                rnd = await start_round(db, None, args.year)
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
    from service.auth.keystore import rotate
    from service.db.engine import make_engine, make_sessionmaker

    settings = load_settings()
    delay = settings.rating_key_delay_seconds if args.delay is None else args.delay

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


def _parser() -> argparse.ArgumentParser:
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

    ratings = sub.add_parser("ratings", help="rating rounds")
    ratings_sub = ratings.add_subparsers(dest="ratings_command", required=True)
    run = ratings_sub.add_parser("run", help="start a round for a year and run it in the foreground")
    run.add_argument("--year", type=int, required=True)
    run.set_defaults(func=_ratings_run)

    keys = sub.add_parser("keys", help="rating signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rot = keys_sub.add_parser("rotate", help="publish a new rating key; it signs after the publication delay")
    rot.add_argument("--delay", type=int, help="seconds before it signs (default RATING_KEY_DELAY_SECONDS, 600)")
    rot.set_defaults(func=_keys_rotate)

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
