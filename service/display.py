"""How figures are printed for people (certificates, CSV, the console): one stated rule.

Stored, signed and JSON values stay exact (Decimal strings); only what a person reads is rounded.

- Tonnes (tCO2, tce): whole tonnes from 100 t up, one decimal below 100 t.
- Intensities, unit energy use, levels and ratios (tCO2/万元, kgce/t, K): 4 significant digits,
  but never fewer than whole units (1,400 kgce/t stays 1,400; 12,345.6 prints 12,346).
- Rounding follows GB/T 8170-2008 数值修约规则 §3.2: half to even (四舍六入五成双), so that
  rounded columns do not drift upward when added.
- Money (yuan): to the fen (0.01), as the amount is computed.
- Zero prints 0 (never 0E+2); no exponent is ever printed. Certificates group thousands with
  commas (1,234,567); CSV does not, so spreadsheets read the cells as numbers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

__all__ = ["SECTOR_NAMES", "intensity", "tonnes", "yuan"]

SECTOR_NAMES = {  # the plan's 两高 sectors as Chinese tables name them
    "power": "电力",
    "petrochemical": "石化",
    "chemical": "化工",
    "building_materials": "建材",
    "steel": "钢铁",
    "nonferrous": "有色金属",
    "other": "其他",
}


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal, places: int, grouping: bool) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if rounded.is_zero():
        return "0"
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


def tonnes(value: object, *, grouping: bool = True) -> str:
    """tCO2 or tce as printed: whole tonnes from 100 t, one decimal below; '-' when absent."""
    number = _decimal(value)
    if number is None:
        return "-"
    return _plain(number, 0 if abs(number) >= 100 else 1, grouping)


def intensity(value: object, *, digits: int = 4, grouping: bool = True) -> str:
    """An intensity or ratio to `digits` significant digits (whole units at least); '-' when absent."""
    number = _decimal(value)
    if number is None:
        return "-"
    if number.is_zero():
        return "0"
    places = max(0, digits - 1 - number.adjusted())
    return _plain(number, places, grouping)


def yuan(value: object, *, grouping: bool = True) -> str:
    """A yuan amount to the fen; '-' when absent."""
    number = _decimal(value)
    return "-" if number is None else _plain(number, 2, grouping)
