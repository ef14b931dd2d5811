"""The factors an account used and the flags it raised, collected while it is computed."""

from __future__ import annotations

from domain.accounting.result import FactorUse, Flag
from domain.sourced import Sourced

__all__ = ["Ledger"]


class Ledger:
    def __init__(self) -> None:
        self._factors: dict[str, FactorUse] = {}
        self._flags: set[Flag] = set()

    def use(self, key: str, sourced: Sourced) -> Sourced:
        """Record that `sourced` was used; a provisional value flags the account."""
        self._factors.setdefault(key, FactorUse.of(key, sourced))
        if sourced.confidence.provisional:
            self._flags.add(Flag.PROVISIONAL_FACTOR)
        return sourced

    def flag(self, flag: Flag) -> None:
        self._flags.add(flag)

    @property
    def factors(self) -> list[FactorUse]:
        return sorted(self._factors.values(), key=lambda f: f.key)

    @property
    def flags(self) -> list[Flag]:
        return sorted(self._flags)
