"""差别电价 / 阶梯电价: the surcharge per kWh a rule's parameters set.

Two methods, both as the NDRC price notices write them:
- ``flat``: ``yuan_per_kwh`` on every kWh the rule names;
- ``tiered`` (电解铝阶梯电价, 发改价格〔2021〕1239号 one): nothing at or below ``threshold`` (a
  unit energy use, e.g. 铝液综合交流电耗 kWh/t); above it ``yuan_per_kwh_per_step`` for every
  full ``step`` ("每超过20千瓦时…加价0.01元", ``partial_step: down``, the default) or for every
  step or part of one (``partial_step: up``, 不足一档按一档), capped at ``max_yuan_per_kwh``.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

__all__ = ["surcharge_per_kwh"]


def surcharge_per_kwh(params: dict[str, Any], unit_energy_use: Decimal | None) -> tuple[Decimal, dict[str, Any]]:
    """(yuan per kWh, the figures used: threshold, steps…)."""
    if params["method"] == "flat":
        return Decimal(str(params["yuan_per_kwh"])), {}
    threshold, step = Decimal(str(params["threshold"])), Decimal(str(params["step"]))
    if unit_energy_use is None or unit_energy_use <= threshold:
        return Decimal(0), {"threshold": threshold, "steps": 0}
    rounding = ROUND_CEILING if params.get("partial_step", "down") == "up" else ROUND_FLOOR
    steps = ((unit_energy_use - threshold) / step).to_integral_value(rounding)
    rate = steps * Decimal(str(params["yuan_per_kwh_per_step"]))
    cap = params.get("max_yuan_per_kwh")
    if cap is not None:
        rate = min(rate, Decimal(str(cap)))
    return rate, {"threshold": threshold, "steps": int(steps)}
