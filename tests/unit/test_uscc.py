"""USCC check characters, worked by hand (GB 32100-2015 4.4, GB 11714-1997)."""

from __future__ import annotations

import pytest

from domain.errors import InvalidField
from domain.uscc import org_code_check_character, uscc_check_character, validate_uscc


def test_org_code_check_worked_example() -> None:
    # M000100Y body: M=22,0,0,0,1,0,0,Y=34; weights 3,7,9,10,5,8,4,2
    # 22·3 + 1·5 + 34·2 = 66 + 5 + 68 = 139; 139 mod 11 = 7; 11 − 7 = 4
    assert org_code_check_character("M000100Y") == "4"


def test_org_code_check_maps_10_to_x_and_11_to_0() -> None:
    assert org_code_check_character("00000002") == "7"  # 2·2 = 4; 11 − 4 = 7
    assert org_code_check_character("00000040") == "6"  # 4·4 = 16 ≡ 5; 11 − 5 = 6
    assert org_code_check_character("40000000") == "X"  # 4·3 = 12 ≡ 1; 11 − 1 = 10 → X
    assert org_code_check_character("00000000") == "0"  # 0; 11 − 0 = 11 → 0


def test_uscc_check_worked_example() -> None:
    # 91350100M000100Y4 → 3: a published sample code (福建省 registration).
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y44", "check character (position 18)"),
        ("91350100M000100Y53", "organisation code"),
        ("9135O100M000100Y43", "character set"),
        ("91ABCDEFM000100Y43", "administrative-division"),
    ],
)
def test_invalid_codes_name_the_reason(value: str, fragment: str) -> None:
    with pytest.raises(InvalidField) as err:
        validate_uscc(value)
    assert err.value.field == "uscc"
    assert fragment in err.value.reason
