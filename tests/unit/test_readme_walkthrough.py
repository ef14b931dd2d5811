"""The README's walk-through as tests.walkthrough runs it (the run itself is on .ci/run's
newcomer path): its blocks parse, every variable is defined before it is used, and the curl
wrapper fails on an answer the README does not announce."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.demo import WALKTHROUGH_ROLES, walkthrough_env
from tests.walkthrough import blocks, script

README = Path(__file__).resolve().parents[2] / "README.md"
SHELL_VARS = {"PATH", "HOME", "WALKTHROUGH_LOG", "EXPECT"}


def _demo_exports() -> set[str]:
    creds = {"client_id": "c", "client_secret": "s", "org_id": "o"}
    saved = {
        "admin": creds, "regulator": creds, "rating_authority": creds, "bank_1": creds, "verifier_1": creds,
        "enterprises": [{"uscc": "u", "status": "active", "verifier": "verifier_1", **creds}],
        "walkthrough": {"enterprise": "u", "bank": "bank_1", "verifier": "verifier_1"},
    }  # fmt: skip
    return set(walkthrough_env(saved, "http://x")) | {token for _, token in WALKTHROUGH_ROLES}


def test_the_blocks_parse_and_define_every_variable_before_use() -> None:
    found = blocks(README.read_text(encoding="utf-8"))
    assert len(found) >= 6
    defined = _demo_exports() | SHELL_VARS
    for n, block in enumerate(found, 1):
        check = subprocess.run(["bash", "-n"], input=block, text=True, capture_output=True, check=False)
        assert check.returncode == 0, f"block {n}: {check.stderr}"
        for line in block.splitlines():
            code = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
            code = re.sub(r"'[^']*'", "''", code)  # single-quoted text is not expanded
            defined |= set(re.findall(r"(?:^|[\s;(])([A-Z_][A-Z0-9_]*)=", code))  # `until X=$(…) && [ "$X" ]`
            used = set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", code))
            missing = used - defined
            assert not missing, f"block {n} uses {sorted(missing)} before defining them: {line.strip()}"


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's naming
            self.send_response(int(self.path.strip("/")))
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    ("line", "passes"),
    [
        ("curl -s $URL/200", True),
        ("curl -s $URL/404", False),  # not announced
        ("EXPECT=404 curl -s $URL/404", True),
        ("EXPECT=404 curl -s $URL/200", False),  # announced, but not what came
        ("X=$(curl -s $URL/503)", False),  # inside a substitution too
        ("curl -s $URL/422 | cat", False),  # and in a pipe
    ],
)
def test_the_wrapper_fails_on_answers_the_readme_does_not_announce(
    server: str, tmp_path: Path, line: str, passes: bool
) -> None:
    readme = f"<!-- walkthrough -->\n```bash\nURL={server}\n{line}\necho reached-the-end\n```\n"
    env = {**os.environ, "WALKTHROUGH_LOG": str(tmp_path / "calls.log")}
    proc = subprocess.run(["bash", "-c", script(readme)], capture_output=True, text=True, env=env, check=False)
    assert (proc.returncode == 0 and "reached-the-end" in proc.stdout) is passes, proc.stderr
    assert (tmp_path / "calls.log").read_text().startswith("HTTP ")
