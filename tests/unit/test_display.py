"""The display rule (service.display), worked by hand: exact values in, what a person reads out."""

from __future__ import annotations

import pytest

from service.display import SECTOR_NAMES, intensity, tonnes


@pytest.mark.parametrize(
    ("value", "printed", "in_csv"),
    [
        ("43610.73853880904611773055454", "43,611", "43611"),  # the 28-digit figure a certificate printed
        ("1234567.5", "1,234,568", "1234568"),  # half to even: 7.5 -> 8
        ("1234568.5", "1,234,568", "1234568"),  # half to even: 8.5 -> 8
        ("100.5", "100", "100"),  # whole tonnes from 100 t
        ("99.94", "99.9", "99.9"),  # one decimal below 100 t
        ("-3.25", "-3.2", "-3.2"),
        ("0E+2", "0", "0"),  # zero as Decimal sums produce it: never 0E+2
        ("0.0000", "0", "0"),
        (None, "-", "-"),
    ],
)
def test_tonnes(value: str | None, printed: str, in_csv: str) -> None:
    assert tonnes(value) == printed
    assert tonnes(value, grouping=False) == in_csv


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("1.200000", "1.200"),  # 4 significant digits
        ("0.89125", "0.8912"),  # half to even on the fifth digit
        ("0.000123456", "0.0001235"),
        ("104.25", "104.2"),
        ("1400", "1,400"),  # never fewer than whole units
        ("12345.6", "12,346"),
        ("0E-10", "0"),
        ("not a number", "-"),
    ],
)
def test_intensities_keep_four_significant_digits(value: str, printed: str) -> None:
    assert intensity(value) == printed


def test_every_sector_has_a_chinese_name() -> None:
    from domain.industry import Sector

    assert set(SECTOR_NAMES) == {s.value for s in Sector}
