"""The README's walk-through, run as written against a served demo (issue 22.3).

Every ```bash block that follows a `<!-- walkthrough -->` line in README.md is run, in order,
in one bash session with `set -euo pipefail` (so an undefined variable fails too), from the
repository's root. `curl` is wrapped: any answer that is not 2xx fails the run, unless the
README announces it on that command with `EXPECT=<status> curl …` (harmless for a reader:
curl ignores the variable). `.ci/run` runs it on the newcomer path, against the demo that
the README's serve command started:

    python -m tests.walkthrough [--readme README.md] [--timeout 600]

The run needs the demo fresh (it registers the README's example enterprise once).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["MARKER", "blocks", "main", "script"]

MARKER = "<!-- walkthrough -->"

# Records each answer's status; fails on a non-2xx the README did not announce with EXPECT=.
CURL_WRAPPER = r"""
curl() {
  local hdr rc code
  hdr=$(mktemp)
  command curl -sS -D "$hdr" "$@" && rc=0 || rc=$?
  code=$(awk '/^HTTP\//{c=$2} END{print c}' "$hdr")
  rm -f "$hdr"
  echo "HTTP ${code:-none} (expected ${EXPECT:-2xx}) curl $*" >>"$WALKTHROUGH_LOG"
  if [ "$rc" -ne 0 ]; then echo "walk-through: curl failed ($rc): curl $*" >&2; return "$rc"; fi
  case "$code" in 2??) [ -z "${EXPECT:-}" ] && return 0 ;; esac
  if [ "$code" = "${EXPECT:-}" ]; then return 0; fi
  echo "walk-through: HTTP $code (expected ${EXPECT:-2xx}) from: curl $*" >&2
  return 1
}
"""


def blocks(readme: str) -> list[str]:
    """The bash blocks that follow a walk-through marker, in order."""
    out: list[str] = []
    lines = readme.splitlines()
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        start = i + 1
        if start >= len(lines) or lines[start].strip() != "```bash":
            raise ValueError(f"README line {i + 1}: {MARKER} must be followed by a ```bash block")
        end = next(j for j in range(start + 1, len(lines)) if lines[j].strip() == "```")
        out.append("\n".join(lines[start + 1 : end]))
    return out


def script(readme: str) -> str:
    """The whole run: the wrapper, then each block, announcing itself."""
    parts = ["set -euo pipefail", CURL_WRAPPER]
    for n, block in enumerate(blocks(readme), 1):
        parts += [f"echo '== walk-through block {n}' >&2", block]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.walkthrough", description=__doc__.split("\n\n")[0])
    p.add_argument("--readme", default="README.md")
    p.add_argument("--timeout", type=float, default=600)
    args = p.parse_args(argv)
    readme = Path(args.readme).resolve()
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
        env = {**os.environ, "WALKTHROUGH_LOG": log.name}
        proc = subprocess.run(
            ["bash", "-c", script(readme.read_text(encoding="utf-8"))],
            cwd=readme.parent,
            env=env,
            timeout=args.timeout,
            check=False,
        )
        calls = Path(log.name).read_text(encoding="utf-8").splitlines()
    print(
        f"walk-through: {len(blocks(readme.read_text(encoding='utf-8')))} blocks, {len(calls)} curl calls",
        file=sys.stderr,
    )
    if proc.returncode != 0:
        print("walk-through FAILED; its last calls:", *calls[-5:], sep="\n  ", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
