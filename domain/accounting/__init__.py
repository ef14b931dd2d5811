"""The accounting engine: a filing and a factor set in, the account result out. Pure, no I/O."""

from domain.accounting.account import account
from domain.accounting.result import AccountResult, Flag, Level, NotCovered

__all__ = ["AccountResult", "Flag", "Level", "NotCovered", "account"]
