"""The `carbon-account-client` command, run in-process against the real service: a rating
verified offline (flags or environment), verifying a token or a certificate number, a
certificate download checked against its digest, a loan book in chunks, an import's dry
run with its problems as a table, the template; and the installed entry point."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from carbon_account_client.cli import main
from carbon_account_client.models import Loan
from carbon_account_client.progress import ProgressBar

from tests.sdk.city import City, Org, certificate_ready, sdk
from tests.workbooks import cement_rows, xlsx

Out = pytest.CaptureFixture[str]


def _as(org: Org, city: City) -> list[str]:
    return ["--url", city.service.url, "--client-id", org.client_id, "--client-secret", org.client_secret]


def test_rating_is_printed_and_verified_offline(city: City, capsys: Out, monkeypatch: pytest.MonkeyPatch) -> None:
    uscc = city.enterprises[0].uscc
    assert main(["rating", uscc, *_as(city.bank, city)]) == 0
    text = capsys.readouterr().out
    with sdk(city.service, city.bank) as bank:
        rating = bank.latest_rating(uscc)
    assert f"Colour        {rating.colour}" in text and f"({uscc})" in text
    assert f"verified offline (kid {rating.kid}, scope full)" in text

    for name, value in (("CARBON_API_URL", city.service.url), ("CARBON_CLIENT_ID", city.bank.client_id),
                        ("CARBON_CLIENT_SECRET", city.bank.client_secret)):  # fmt: skip
        monkeypatch.setenv(name, value)
    assert main(["--json", "rating", city.enterprises[2].uscc]) == 0  # a grade-only consent
    answer = json.loads(capsys.readouterr().out)
    assert answer["verified_offline"] == {"kid": rating.kid, "scope": "grade_only", "valid": True}
    assert answer["rating"]["token"] is None and answer["rating"]["colour"]
    assert main(["rating", city.enterprises[3].uscc]) == 1  # no consent: the API's 404
    assert "404 Not found" in capsys.readouterr().err


def test_verify_a_token_offline(city: City, capsys: Out) -> None:
    with sdk(city.service, city.bank) as bank:
        token = bank.latest_rating(city.enterprises[0].uscc).token
    assert token is not None
    assert main(["verify", token, "--url", city.service.url, "--json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["valid"] is True and verified["uscc"] == city.enterprises[0].uscc and verified["expired"] is False
    header, payload, signature = token.split(".")
    mid = len(payload) // 2  # a middle character carries six whole bits: still base64, no longer signed
    forged = payload[:mid] + ("A" if payload[mid] != "A" else "B") + payload[mid + 1 :]
    assert main(["verify", f"{header}.{forged}.{signature}", "--url", city.service.url]) == 1
    assert "do not hold" in capsys.readouterr().err


def test_certificate_download_then_verify_its_number(city: City, capsys: Out, tmp_path: Path) -> None:
    org = city.enterprises[1]
    with sdk(city.service, org) as ent:
        rating = ent.latest_rating(org.uscc)
        certificate_ready(ent, str(rating.id))
    out = tmp_path / "cert.pdf"
    assert main(["certificate", str(rating.id), "-o", str(out), "--json", *_as(org, city)]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and out.read_bytes().startswith(b"%PDF")
    assert main(["verify", saved["certificate_no"], "--url", city.service.url, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["status"], summary["uscc"], summary["sha256"]) == ("active", org.uscc, saved["sha256"])
    assert main(["verify", "ZB-NONE-NONE-NONE-NONE", "--url", city.service.url]) == 1
    assert "no certificate" in capsys.readouterr().err


def test_portfolio_in_chunks(city: City, capsys: Out, tmp_path: Path) -> None:
    e = city.enterprises
    loans = tmp_path / "loans.csv"
    loans.write_text(
        "uscc,outstanding_yuan,equity_plus_debt_yuan,evic_yuan,reference\n"
        f'{e[0].uscc},25000000,100000000,,L-0\n{e[1].uscc},"30,000,000",,90000000,L-1\n'
        f"{e[2].uscc},1000000,5000000,,L-2\n",
        encoding="utf-8-sig",
    )
    written = tmp_path / "portfolio.json"
    assert (
        main(["portfolio", str(loans), "--chunk-size", "2", "-o", str(written), "--json", *_as(city.bank, city)]) == 0
    )
    printed = json.loads(capsys.readouterr().out)
    with sdk(city.service, city.bank) as bank:
        book = [Loan(uscc=e[0].uscc, outstanding_yuan=Decimal(25_000_000), equity_plus_debt_yuan=Decimal(100_000_000),
                     reference="L-0"),
                Loan(uscc=e[1].uscc, outstanding_yuan=Decimal(30_000_000), evic_yuan=Decimal(90_000_000), reference="L-1"),
                Loan(uscc=e[2].uscc, outstanding_yuan=Decimal(1_000_000), equity_plus_debt_yuan=Decimal(5_000_000),
                     reference="L-2")]  # fmt: skip
        expected = json.loads(msgspec.json.encode(bank.financed_emissions(book)))
    assert printed == expected == json.loads(written.read_text())
    assert main(["portfolio", str(loans), *_as(city.bank, city)]) == 0
    table = capsys.readouterr().out
    assert "L-2" in table and "no_consent" in table and "loans with figures: 2/3" in table


def test_import_dry_run_prints_the_problems(new_enterprise: Org, city: City, capsys: Out, tmp_path: Path) -> None:
    uscc = new_enterprise.uscc
    rows = cement_rows(uscc)
    rows["产品"][0][3] = "八十万"
    wrong, right = tmp_path / "wrong.xlsx", tmp_path / "right.xlsx"
    wrong.write_bytes(xlsx(rows))
    right.write_bytes(xlsx(cement_rows(uscc)))
    assert main(["import", str(wrong), "--dry-run", *_as(new_enterprise, city)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["sheet", "cell", "column", "detail"]
    assert lines[3].split()[:3] == ["产品", "D2", "output"]
    assert main(["import", str(wrong), *_as(new_enterprise, city)]) == 1  # refused whole
    assert "nothing imported" in capsys.readouterr().out
    assert main(["import", str(right), "--dry-run", "-q", *_as(new_enterprise, city)]) == 0
    assert "dry run: 1 filings" in capsys.readouterr().out
    assert main(["import", str(right), "--json", *_as(new_enterprise, city)]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["dry_run"] is False and [f["uscc"] for f in done["created"]] == [uscc]
    template = tmp_path / "template.xlsx"
    assert main(["template", "-o", str(template), "--url", city.service.url]) == 0
    assert template.read_bytes().startswith(b"PK")


def test_the_progress_bar_and_the_entry_point(capsys: Out, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    with ProgressBar("upload", enabled=True, stream=screen) as bar:
        bar(0, 2048)
        bar(2048, 2048)
    assert "100%" in screen.getvalue() and "2.0 KB/2.0 KB" in screen.getvalue() and screen.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar("upload", stream=quiet)(1, 2)  # not a terminal: nothing drawn
    assert quiet.getvalue() == ""
    monkeypatch.delenv("CARBON_API_URL", raising=False)
    assert main(["rating", "91370303MA3C00000X"]) == 2
    assert "CARBON_API_URL" in capsys.readouterr().err
    script = Path(sys.executable).parent / "carbon-account-client"
    shown = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=30, check=False)
    assert shown.returncode == 0 and "portfolio" in shown.stdout and "import" in shown.stdout
