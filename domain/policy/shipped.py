"""The shipped policy set (domain/data/policies_zibo.json) and the SHA-256 a version is named by."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import msgspec

from domain.canonical import canonical_json
from domain.policy.model import PolicySet
from domain.policy.validate import validate_policy_set

__all__ = ["set_sha256", "shipped_policy_set"]


def set_sha256(s: PolicySet) -> str:
    """SHA-256 of the set's RFC 8785 canonical JSON (decimals as strings)."""
    return hashlib.sha256(canonical_json(msgspec.to_builtins(s))).hexdigest()


@cache
def shipped_policy_set() -> PolicySet:
    raw = resources.files("domain.data").joinpath("policies_zibo.json").read_bytes()
    s = msgspec.json.decode(raw, type=PolicySet)
    validate_policy_set(s)
    return s
