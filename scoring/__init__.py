"""The rating methodology: one module per version, pure functions over domain values.

A rating pins the version it was computed with and is always recomputed under it.
"""

from __future__ import annotations

from types import ModuleType

from scoring import v1, v2

__all__ = ["METHODOLOGIES", "methodology"]

METHODOLOGIES: dict[str, ModuleType] = {v1.VERSION: v1, v2.VERSION: v2}


def methodology(version: str) -> ModuleType | None:
    return METHODOLOGIES.get(version)
