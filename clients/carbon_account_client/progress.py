"""A one-line progress bar on stderr for long work (uploads, downloads, loan-book chunks).

Plain text and carriage returns, no dependency; drawn only on a terminal (a pipe or a log
file gets nothing) and never with --quiet. At most ten redraws a second.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["ProgressBar"]

WIDTH = 28


def _amount(value: int, unit: str) -> str:
    if unit != "bytes":
        return str(value)
    size = float(value)
    for name in ("B", "KB", "MB", "GB"):
        if size < 1024 or name == "GB":
            return f"{size:.0f} {name}" if name == "B" else f"{size:.1f} {name}"
        size /= 1024
    return str(value)


class ProgressBar:
    def __init__(self, label: str, *, unit: str = "bytes", enabled: bool | None = None, stream: TextIO | None = None):
        self.label, self.unit = label, unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn_at = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        """Report progress (the transports' callback signature)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn_at < 0.1 and (total is None or done < total):
            return
        self._drawn_at, self._drawn = now, True
        if total:
            filled = int(WIDTH * min(done, total) / total)
            bar = "#" * filled + "-" * (WIDTH - filled)
            text = (
                f"{self.label} [{bar}] {100 * done // total:3d}% {_amount(done, self.unit)}/{_amount(total, self.unit)}"
            )
        else:
            text = f"{self.label} {_amount(done, self.unit)}"
        self.stream.write("\r" + text + " " * 4)
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
