"""The dependency direction is a test: service → scoring → domain; clients alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_clients_import_nothing_of_the_server() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(service|domain|scoring|migrations)\b", re.M)
    offenders = [str(p) for p in (ROOT / "clients").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []
