"""The embedded PostgreSQL lives as long as the processes using it: `serve` stopped with SIGTERM
leaves no postmaster, render process or warning behind; a server left by a killed process is
adopted and stopped by the next start; a second command while `serve` runs does not stop it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.live import free_port, wait_until_up

CLI = str(Path(sys.executable).parent / "carbon-account")
STAGE = re.compile(r"^\[ *\d+\.\d s\] (.*)$", re.M)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="carbon-embedded-"))
    yield path
    for proc in _postgres_on(path / "pgdata"):  # a failed test must not leave its server running
        proc.kill()


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL", "CARBON_SECRET_KEY")}
    env.pop("XDG_RUNTIME_DIR", None)  # as in a container or under su: the library must not warn
    return {**env, "CARBON_DATA_DIR": str(data), "JOB_POLL_SECONDS": "0.2", "PDF_WORKERS": "1"}


def _postgres_on(pgdata: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if any(str(pgdata) == part for part in cmdline) and "postgres" in " ".join(cmdline[:1]):
            found.append(proc)
    return found


def _wait(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


def test_serve_stopped_with_sigterm_leaves_nothing_running(data_dir: Path) -> None:
    pgdata, port, log = data_dir / "pgdata", free_port(), data_dir / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([CLI, "serve", "--demo", "--port", str(port)], env=_env(data_dir),
                                stdout=subprocess.DEVNULL, stderr=out)  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/readyz", proc, timeout=240, log=log.read_text)
        assert _postgres_on(pgdata), "the embedded server should be running while serve is"
        serving = psutil.Process(proc.pid)
        # with a font, the certificates render in a process pool: let it start, as in real use
        _wait(lambda: len(serving.children()) > 0, 20)
        helpers = serving.children(recursive=True)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != -signal.SIGTERM, "SIGTERM killed serve before its exit handlers ran"
    assert _wait(lambda: not _postgres_on(pgdata), 10), [p.info["cmdline"] for p in _postgres_on(pgdata)]
    assert not (pgdata / "postmaster.pid").exists()
    assert _wait(lambda: not any(h.is_running() and h.status() != psutil.STATUS_ZOMBIE for h in helpers), 10)
    time.sleep(0.5)  # the resource tracker reports leaks as the last holder exits
    stderr = log.read_text()
    assert "leaked semaphore" not in stderr, stderr
    assert "XDG_RUNTIME_DIR" not in stderr, stderr
    stages = STAGE.findall(stderr)
    assert stages[0].startswith("database initialised"), stages
    assert any(s.startswith("database migrated") for s in stages[1:]), stages
    assert any(s.startswith(f"public base URL http://127.0.0.1:{port}") for s in stages), stages
    assert any(s.startswith("webhooks may be sent over http") for s in stages), stages  # a demo on loopback
    assert any(s.startswith("seeded 47 enterprises") for s in stages), stages
    assert any(s.startswith("rated 2024") for s in stages), stages
    assert any("certificates queued" in s for s in stages), stages
    assert stages[-1] == f"serving on http://127.0.0.1:{port} with the embedded PostgreSQL", stages


def _python(code: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]  # fmt: skip


START = textwrap.dedent("""
    import sys
    from pathlib import Path
    from service.db.embedded import ensure_embedded
    emb = ensure_embedded(Path({pgdata!r}))
    print(emb.how, emb.pid, flush=True)
""")


def test_a_server_left_by_a_killed_process_is_adopted_then_stopped(data_dir: Path) -> None:
    pgdata, env = data_dir / "pgdata", _env(data_dir)
    killed = _python(START.format(pgdata=str(pgdata)) + "import os, signal; os.kill(os.getpid(), signal.SIGKILL)", env)
    out, err = killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL, err
    how, stale_pid = out.split()
    assert how == "initialised" and _postgres_on(pgdata), err  # left running: nobody stopped it

    adopter = _python(START.format(pgdata=str(pgdata)), env)
    out, err = adopter.communicate(timeout=120)
    assert adopter.returncode == 0, err
    assert out.split() == ["adopted", stale_pid], (out, err)
    assert _wait(lambda: not _postgres_on(pgdata), 10), "the adopter should stop the server it adopted"
    assert not (pgdata / "postmaster.pid").exists()


def test_a_second_command_joins_the_running_server_and_leaves_it_running(data_dir: Path) -> None:
    pgdata, env = data_dir / "pgdata", _env(data_dir)
    holder = _python(START.format(pgdata=str(pgdata)) + "sys.stdin.read()", env)
    try:
        assert holder.stdout is not None
        how, pid = holder.stdout.readline().split()
        assert how == "initialised"
        second = _python(START.format(pgdata=str(pgdata)), env)
        out, err = second.communicate(timeout=60)
        assert (second.returncode, out.split()) == (0, ["joined", pid]), err
        assert psutil.pid_exists(int(pid)) and _postgres_on(pgdata), "the second command stopped the server"
    finally:
        holder.communicate("", timeout=60)  # stdin closed: the holder exits and stops it
    assert holder.returncode == 0
    assert _wait(lambda: not _postgres_on(pgdata), 10)


def test_demo_env_prints_the_walkthrough_exports_and_tokens(data_dir: Path) -> None:
    """`demo env` from the credentials `serve --demo` wrote, then with tokens from the running API."""
    port, env = free_port(), _env(data_dir)
    log = data_dir / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([CLI, "serve", "--demo", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                stderr=out)  # fmt: skip
    try:
        api = f"http://127.0.0.1:{port}"
        wait_until_up(f"{api}/readyz", proc, timeout=240, log=log.read_text)
        plain = subprocess.run([CLI, "demo", "env", "--api", api], env=env, capture_output=True, text=True,
                               timeout=60, check=False)  # fmt: skip
        assert plain.returncode == 0, plain.stderr
        names = [line.split("=")[0] for line in plain.stdout.splitlines()]
        assert names == ["export API", *(f"export {n}" for n in WALKTHROUGH_VARIABLES)], plain.stdout
        assert "XDG_RUNTIME_DIR" not in plain.stderr

        full = subprocess.run(["bash", "-c", f'eval "$({CLI} demo env --tokens --api {api})" && '
                               'curl -s -o /dev/null -w "%{http_code}" "$API/v1/enterprises/$ENT_USCC/ratings/latest"'
                               ' -H "Authorization: Bearer $BANK_TOKEN"'],
                              env=env, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert (full.returncode, full.stdout) == (0, "200"), full.stderr  # bank 1 reads the enterprise's rating

        down = subprocess.run([CLI, "demo", "env", "--tokens", "--api", f"http://127.0.0.1:{free_port()}"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert down.returncode != 0 and down.stdout == "" and "cannot reach" in down.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


WALKTHROUGH_VARIABLES = [
    "ADMIN_ID", "ADMIN_SECRET", "REGULATOR_ID", "REGULATOR_SECRET", "RA_ID", "RA_SECRET",
    "BANK_ORG", "BANK_ID", "BANK_SECRET", "VERIFIER_ORG", "VERIFIER_ID", "VERIFIER_SECRET",
    "ENT_USCC", "ENT_ID", "ENT_SECRET",
]  # fmt: skip


def test_demo_env_without_credentials_says_what_to_run(data_dir: Path) -> None:
    r = subprocess.run([CLI, "demo", "env"], env=_env(data_dir), capture_output=True, text=True, timeout=60,
                       check=False)  # fmt: skip
    assert r.returncode != 0 and r.stdout == ""
    assert "serve --demo" in r.stderr
    assert not (data_dir / "pgdata").exists()  # reading credentials starts no database
