"""`carbon-account-client`: a bank's and an enterprise's everyday tasks from the shell.

Configuration from CARBON_API_URL, CARBON_CLIENT_ID and CARBON_CLIENT_SECRET, or the
flags --url, --client-id and --client-secret (before or after the command). Text for
people, `--json` for scripts. Exit status: 0 done, 1 refused or invalid (an API error,
a token that does not verify, an import with problems), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import msgspec

from carbon_account_client import models as m
from carbon_account_client.errors import ApiError, CarbonError, ImportRejected, NotFound
from carbon_account_client.portfolio import MAX_LOANS, read_loans_csv
from carbon_account_client.progress import ProgressBar
from carbon_account_client.sync_client import CarbonClient
from carbon_account_client.tables import table

__all__ = ["main"]


def _print_json(value: Any) -> None:
    print(msgspec.json.format(msgspec.json.encode(value), indent=2).decode())


def _pairs(rows: Sequence[tuple[str, object]]) -> None:
    size = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(size)}  {'' if value is None else value}")


def _bar(args: argparse.Namespace, label: str, unit: str = "bytes") -> ProgressBar:
    return ProgressBar(label, unit=unit, enabled=False if args.quiet else None)


def _client(args: argparse.Namespace, url: str) -> CarbonClient:
    client_id = args.client_id or os.environ.get("CARBON_CLIENT_ID") or None
    secret = args.client_secret or os.environ.get("CARBON_CLIENT_SECRET") or None
    return CarbonClient(url, client_id, secret)


# --- commands ----------------------------------------------------------------------------


def _rating(client: CarbonClient, args: argparse.Namespace) -> int:
    rating = client.latest_rating(args.uscc)
    checked = client.verify_offline(rating.token or rating.grade_token, uscc=args.uscc)
    if rating.token:  # both tokens of a full answer must hold
        client.verify_offline(rating.grade_token, uscc=args.uscc)
    if args.json:
        _print_json({"rating": {k: v for k, v in msgspec.structs.asdict(rating).items() if k != "rating"},
                     "verified_offline": {"kid": checked.kid, "scope": checked.scope, "valid": True}})  # fmt: skip
        return 0
    name = (checked.claims.get("enterprise") or {}).get("name")
    grade = f"{rating.grade} (band {rating.band})" if rating.band else rating.grade
    _pairs([("Enterprise", f"{name} ({rating.uscc})"), ("Year", rating.year), ("Colour", rating.colour),
            ("Grade", grade), ("Finance tier", rating.finance_tier), ("Status", rating.status),
            ("Valid until", rating.expires_at.date()), ("Rating id", rating.id),
            ("Signature", f"verified offline (kid {checked.kid}, scope {checked.scope})")])  # fmt: skip
    return 0


def _verify(client: CarbonClient, args: argparse.Namespace) -> int:
    subject: str = args.subject.strip()
    if subject.count(".") == 2:  # a compact JWS
        checked = client.verify_offline(subject, allow_expired=True)
        if args.json:
            _print_json({"valid": True, **{k: v for k, v in msgspec.structs.asdict(checked).items() if k != "claims"}})
        else:
            _pairs([("Signature", f"valid (kid {checked.kid}), checked offline against the JWKS"),
                    ("Enterprise", checked.uscc), ("Year", checked.year), ("Colour", checked.colour),
                    ("Grade", checked.grade), ("Scope", checked.scope), ("Expired", "yes" if checked.expired else "no"),
                    ("Note", "offline checks cannot see a revocation: the API's /v1/verify can")])  # fmt: skip
        return 1 if checked.expired else 0
    try:
        summary = client.certificate_summary(subject)
    except NotFound:
        print(f"no certificate has the number {subject}", file=sys.stderr)
        return 1
    if args.json:
        _print_json(summary)
    else:
        _pairs([("Certificate", summary.certificate_no), ("Status", summary.status),
                ("Enterprise", f"{summary.enterprise_name} ({summary.uscc})"), ("Year", summary.year),
                ("Colour", summary.colour), ("Grade", summary.grade), ("Valid until", summary.valid_until.date()),
                ("PDF SHA-256", summary.sha256)])  # fmt: skip
    return 0 if summary.status == "active" else 1


def _certificate(client: CarbonClient, args: argparse.Namespace) -> int:
    with _bar(args, "certificate") as bar:
        cert = client.certificate(args.rating_id, progress=bar)
    out = Path(args.output or Path(f"{cert.certificate_no}.pdf").name)  # a name, never a path the API chose
    out.write_bytes(cert.content)
    if args.json:
        _print_json({"file": str(out), "certificate_no": cert.certificate_no, "sha256": cert.sha256,
                     "bytes": len(cert.content)})  # fmt: skip
    else:
        print(f"{out}: {len(cert.content)} bytes, SHA-256 {cert.sha256} (matches the API's digest)")
    return 0


def _portfolio(client: CarbonClient, args: argparse.Namespace) -> int:
    try:
        loans = read_loans_csv(args.loans)
    except (OSError, ValueError) as exc:
        print(f"carbon-account-client: {exc}", file=sys.stderr)
        return 2
    with _bar(args, "loans", unit="loans") as bar:
        result = client.financed_emissions(loans, chunk_size=args.chunk_size, progress=bar)
    if args.output:
        Path(args.output).write_bytes(msgspec.json.format(msgspec.json.encode(result), indent=2))
    if args.json:
        _print_json(result)
        return 0
    rows = [(r.reference, r.uscc, r.status, r.attribution_factor, r.scope1_tco2, r.scope2_tco2, r.pcaf_score)
            for r in result.loans]  # fmt: skip
    print(table(["reference", "uscc", "status", "attribution", "scope1 tCO2", "scope2 tCO2", "PCAF"], rows))
    print(f"\nScope 1: {result.scope1_tco2} t{result.gas}   Scope 2: {result.scope2_tco2} t{result.gas}   "
          f"loans with figures: {result.loans_with_figures}/{len(result.loans)}   "
          f"weighted PCAF score: {result.weighted_pcaf_score}")  # fmt: skip
    return 0


def _problems(problems: Sequence[m.ImportProblem], more: int) -> str:
    rows = [(p.sheet, p.cell or f"row {p.row}", p.column, p.detail) for p in problems]
    listed = table(["sheet", "cell", "column", "detail"], rows)
    return listed + (f"\n… and {more} more problem(s)" if more else "")


def _import(client: CarbonClient, args: argparse.Namespace) -> int:
    try:
        with _bar(args, "upload") as bar:
            result = client.import_filings(args.file, dry_run=args.dry_run, idempotency_key=args.idempotency_key,
                                           progress=bar)  # fmt: skip
    except ImportRejected as exc:
        if args.json:
            _print_json(exc.body)
        else:
            print(f"refused, nothing imported: {exc.detail}\n{_problems(exc.problems, exc.more_problems)}")
        return 1
    if args.json:
        _print_json(result)
    else:
        what = "dry run" if result.dry_run else f"import {result.import_id}"
        print(f"{what}: {result.filings} filings in {args.file} ({result.format}, SHA-256 {result.file_sha256})")
        if result.problems:
            print(_problems(result.problems, result.more_problems))
        if result.created:
            print(table(["id", "uscc", "period", "version", "status"],
                        [(f.id, f.uscc, f.period, f.version, f.status) for f in result.created]))  # fmt: skip
    return 1 if result.problems or result.more_problems else 0


def _template(client: CarbonClient, args: argparse.Namespace) -> int:
    out = Path(args.output)
    out.write_bytes(client.filing_template("csv" if out.suffix.lower() == ".csv" else "xlsx"))
    print(out)
    return 0


# --- the parser --------------------------------------------------------------------------


def _common() -> argparse.ArgumentParser:
    """Options accepted before or after the command (SUPPRESS: a later absence keeps an earlier value)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, help="the API (default: $CARBON_API_URL)")
    common.add_argument("--client-id", default=argparse.SUPPRESS, help="default: $CARBON_CLIENT_ID")
    common.add_argument("--client-secret", default=argparse.SUPPRESS, help="default: $CARBON_CLIENT_SECRET")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="JSON on stdout")
    common.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS, help="no progress bar")
    return common


def parser() -> argparse.ArgumentParser:
    common = _common()
    root = argparse.ArgumentParser(prog="carbon-account-client", description=__doc__, parents=[common],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = root.add_subparsers(dest="command", required=True)
    rating = sub.add_parser("rating", parents=[common], help="an enterprise's latest rating, verified offline")
    rating.add_argument("uscc")
    rating.set_defaults(run=_rating)
    verify = sub.add_parser("verify", parents=[common], help="a rating token (offline) or a certificate number")
    verify.add_argument("subject", metavar="token|certificate_no")
    verify.set_defaults(run=_verify)
    cert = sub.add_parser("certificate", parents=[common], help="download a rating's certificate, SHA-256 checked")
    cert.add_argument("rating_id")
    cert.add_argument("-o", "--output", help="the file (default: <certificate number>.pdf)")
    cert.set_defaults(run=_certificate)
    port = sub.add_parser("portfolio", parents=[common], help="financed emissions of a loan book (CSV)")
    port.add_argument("loans", help="CSV: uscc, outstanding_yuan, equity_plus_debt_yuan or evic_yuan, reference")
    port.add_argument("-o", "--output", help="also write the result as JSON to this file")
    port.add_argument("--chunk-size", type=int, default=MAX_LOANS, help=f"loans per request (≤ {MAX_LOANS})")
    port.set_defaults(run=_portfolio)
    imp = sub.add_parser("import", parents=[common], help="import filings from a workbook (.xlsx) or CSV")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check only: list the problems, create nothing")
    imp.add_argument("--idempotency-key", help="send it again safely (the API replays the first answer)")
    imp.set_defaults(run=_import)
    tmpl = sub.add_parser("template", parents=[common], help="download the bulk-filing template")
    tmpl.add_argument("-o", "--output", default="filings-template.xlsx", help="a .xlsx or .csv file")
    tmpl.set_defaults(run=_template)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for name in ("url", "client_id", "client_secret"):
        setattr(args, name, getattr(args, name, None))
    args.json, args.quiet = getattr(args, "json", False), getattr(args, "quiet", False)
    url = args.url or os.environ.get("CARBON_API_URL")
    if not url:
        print("carbon-account-client: give --url or set CARBON_API_URL", file=sys.stderr)
        return 2
    try:
        with _client(args, url) as client:
            return int(args.run(client, args))
    except ApiError as exc:
        print(f"carbon-account-client: the API refused: {exc}", file=sys.stderr)
    except CarbonError as exc:
        print(f"carbon-account-client: {exc}", file=sys.stderr)
    except httpx.HTTPError as exc:
        print(f"carbon-account-client: cannot reach the API: {exc}", file=sys.stderr)
    except (OSError, ValueError) as exc:
        print(f"carbon-account-client: {exc}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
