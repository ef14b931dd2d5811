"""统一社会信用代码 (USCC) checks: GB 32100-2015 and the GB 11714 organisation code inside it.

Layout (GB 32100-2015, 4.1): 1 registration-authority code, 1 organisation-type code,
6 administrative-division code (GB/T 2260), 9 organisation code (GB 11714-1997: 8 body
characters and a check character), 1 check character.
"""

from __future__ import annotations

from domain.errors import InvalidField

__all__ = ["USCC_CHARSET", "org_code_check_character", "uscc_check_character", "validate_uscc"]

# GB 32100-2015 Table 1: the 31 characters of the code (no I, O, S, V, Z), valued 0..30.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015, 4.4: weights W_i = 3^(i-1) mod 31 for positions 1..17.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997, 5: weights of the 8 body characters of the organisation code.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_FIELD = "uscc"


def uscc_check_character(first17: str) -> str:
    """C18 = 31 − (Σ Ci·Wi mod 31), where 31 maps to 0 (GB 32100-2015, 4.4)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_character(body8: str) -> str:
    """C9 = 11 − (Σ Ci·Wi mod 11); 10 is written X and 11 is written 0 (GB 11714-1997)."""
    total = sum(_ORG_BODY_CHARSET.index(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(value: str) -> str:
    """Return the code when both check characters hold; else raise InvalidField naming why."""
    if len(value) != 18:
        raise InvalidField(_FIELD, f"must be 18 characters, got {len(value)}")
    bad = sorted({c for c in value if c not in USCC_CHARSET})
    if bad:
        raise InvalidField(_FIELD, f"characters {''.join(bad)!r} are not in the GB 32100-2015 character set")
    if not value[2:8].isdigit():
        raise InvalidField(_FIELD, "characters 3-8 must be a GB/T 2260 administrative-division code")
    org_body, org_check = value[8:16], value[16]
    if org_code_check_character(org_body) != org_check:
        raise InvalidField(_FIELD, "the organisation code (characters 9-17) fails its GB 11714 check character")
    if uscc_check_character(value[:17]) != value[17]:
        raise InvalidField(_FIELD, "the check character (position 18) does not match GB 32100-2015")
    return value
