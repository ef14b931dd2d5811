"""RFC 8785 JSON Canonicalization Scheme for the values a signed rating holds.

Objects with keys sorted by their UTF-16 code units, no whitespace, strings escaped as
ECMAScript's JSON.stringify does. Numbers are never floats here: decimals travel as
strings (design.md, "Signing"), so a float is refused rather than serialised.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["canonical_json"]


def _encode(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool):
        out.append({None: "null", True: "true", False: "false"}[value])
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: str(k).encode("utf-16-be"))):
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"{type(value).__name__} has no canonical form here (decimals travel as strings)")


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of a JSON value made of dicts, lists, str, int, bool and None."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8")
