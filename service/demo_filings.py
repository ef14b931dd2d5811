"""Fictional filings for the demo: per GB/T 4754 class, plausible Zibo-scale lines.

Each template turns a scale (output) and a unit energy use into a filing's content, so
that the demo shows every level: most products between 标杆 and 基准, some at 标杆, a
few below 基准. Figures are invented; only the factors applied to them are real.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

__all__ = ["TEMPLATES", "Template", "demo_content"]

Content = dict[str, Any]
Builder = Callable[[random.Random, Decimal, Decimal], Content]


def _q(value: Decimal | float, places: str = "0.01") -> str:
    return str(Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_EVEN))


def _split(tce: Decimal, carrier_ncv_gj: Decimal) -> Decimal:
    """Tonnes (or 10^4 Nm3) of a carrier that give `tce`: tce × 29.3076 / NCV."""
    return tce * Decimal("29.3076") / carrier_ncv_gj


def _cement(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    electricity_mwh = output * Decimal("0.055")  # about 55 kWh per tonne of clinker
    coal_t = _split(product_tce - electricity_mwh * Decimal("0.1229"), Decimal("23.204"))
    return {
        "energy": [{"carrier": "bituminous_coal", "quantity": _q(coal_t), "unit": "t"}],
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "products": [
            {"product": "cement_clinker", "output": _q(output), "capacity": _q(output * Decimal("1.15")),
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        "clinker": [{"output_t": _q(output), "cao_fraction": _q(rng.uniform(0.640, 0.660), "0.0001"),
                     "mgo_fraction": _q(rng.uniform(0.015, 0.030), "0.0001")}],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.012, 0.02))),
    }  # fmt: skip


def _ceramic(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    electricity_mwh = output * Decimal("0.0022")
    gas_1e4nm3 = _split(product_tce - electricity_mwh * Decimal("0.1229"), Decimal("389.31"))
    gas_m3_20c = gas_1e4nm3 * 10_000 * Decimal("293.15") / Decimal("273.15")
    return {
        "energy": [{"carrier": "natural_gas", "quantity": _q(gas_m3_20c, "1"), "unit": "m3@20C"}],
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "products": [
            {"product": "ceramic_tile_le0_5", "output": _q(output), "capacity": _q(output * Decimal("1.2")),
             "attributes": {"water_absorption_pct": _q(rng.uniform(0.05, 0.45), "0.01")},
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.0015, 0.0025))),
    }  # fmt: skip


def _alkali(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    electricity_mwh = output * Decimal("2.25")  # ion-membrane electrolysis, about 2 250 kWh/t
    steam_gj = (product_tce - electricity_mwh * Decimal("0.1229")) / Decimal("0.03412")
    steam_t = steam_gj / Decimal("2.85")  # ~2.86 GJ per tonne at 1.0 MPa, 250 °C
    return {
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "heat": [{"direction": "purchased", "quantity": _q(steam_t), "unit": "t_steam",
                  "pressure_mpa": "1.0", "temperature_c": "250"}],
        "products": [
            {"product": "caustic_soda_liquid_30", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.05, 0.08))),
    }  # fmt: skip


def _glass(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    electricity_mwh = output * Decimal("0.006")
    gas = _split(product_tce - electricity_mwh * Decimal("0.1229"), Decimal("389.31"))
    batch_t = output * Decimal("0.05") * Decimal("1.2")  # 50 kg per weight box, 1.2 t batch per t glass
    return {
        "energy": [{"carrier": "natural_gas", "quantity": _q(gas), "unit": "10^4Nm3"}],
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "products": [
            {"product": "flat_glass_gt800", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "attributes": {"furnace_capacity_tpd": str(rng.choice([900, 1000, 1200]))},
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        "carbonates": [
            {"carbonate": "Na2CO3", "quantity_t": _q(batch_t * Decimal("0.18"))},
            {"carbonate": "CaMg(CO3)2", "quantity_t": _q(batch_t * Decimal("0.16"))},
            {"carbonate": "CaCO3", "quantity_t": _q(batch_t * Decimal("0.05")), "purity": "0.97"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.002, 0.004))),
    }  # fmt: skip


def _refining(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    energy_factor = Decimal(_q(rng.uniform(8.5, 10.5), "0.01"))
    product_tce = u * output * energy_factor * Decimal("1.4286") / 1000
    electricity_mwh = output * Decimal("0.06")
    fuel_tce = product_tce - electricity_mwh * Decimal("0.1229")
    return {
        "energy": [
            {"carrier": "refinery_gas", "quantity": _q(_split(fuel_tce * Decimal("0.8"), Decimal("45.998"))), "unit": "t"},
            {"carrier": "fuel_oil", "quantity": _q(_split(fuel_tce * Decimal("0.2"), Decimal("41.816"))), "unit": "t"},
        ],
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "products": [
            {"product": "refining", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "attributes": {"energy_factor": str(energy_factor)}, "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        # v2's process lines (NDRC 石油化工 guideline): FCC coke burnt off the catalyst (about 12 kg per
        # tonne of crude, 92 % carbon), and natural gas reformed to hydrogen (no carbon in the H2 out).
        "mass_balance": [
            {"material": "fcc_coke", "flow": "in", "quantity": _q(output * Decimal("0.012")),
             "carbon_content": "0.92", "process_unit": "fcc_regenerator"},
            {"material": "natural_gas", "flow": "in", "quantity": _q(output * Decimal("0.0004")), "unit": "10^4Nm3",
             "process_unit": "hydrogen"},
            {"material": "hydrogen", "flow": "out", "quantity": _q(output * Decimal("0.0008")), "process_unit": "hydrogen"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.03, 0.05))),
    }  # fmt: skip


def _ethylene(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output * Decimal("1.4286") / 1000
    return {
        "energy": [
            {"carrier": "naphtha", "quantity": _q(output * Decimal("3.1")), "unit": "t", "use": "feedstock"},
            {"carrier": "refinery_gas", "quantity": _q(_split(product_tce * Decimal("0.9"), Decimal("45.998"))), "unit": "t"},
        ],
        "electricity": {"purchased_mwh": _q(product_tce * Decimal("0.1") / Decimal("0.1229"))},
        "products": [
            {"product": "ethylene", "output": _q(output), "capacity": _q(output * Decimal("1.05")),
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        # v2: the cracker's carbon balance (naphtha in; ethylene, propylene, pyrolysis gasoline, C4 and
        # the fuel gas the furnaces burn out: that gas is counted in combustion, so once).
        "mass_balance": [
            {"material": "naphtha", "flow": "in", "quantity": _q(output * Decimal("3.1")), "carbon_content": "0.84",
             "process_unit": "cracker"},
            {"material": "ethylene", "flow": "out", "quantity": _q(output), "process_unit": "cracker"},
            {"material": "propylene", "flow": "out", "quantity": _q(output * Decimal("0.5")), "process_unit": "cracker"},
            {"material": "pyrolysis_gasoline", "flow": "out", "quantity": _q(output * Decimal("0.6")),
             "carbon_content": "0.88", "process_unit": "cracker"},
            {"material": "mixed_c4", "flow": "out", "quantity": _q(output * Decimal("0.35")), "carbon_content": "0.83",
             "process_unit": "cracker"},
            {"material": "fuel_gas", "flow": "out", "quantity": _q(_split(product_tce * Decimal("0.9"), Decimal("45.998"))),
             "carbon_content": "0.75", "process_unit": "cracker"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.08, 0.12))),
    }  # fmt: skip


def _ammonia(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    anthracite = _split(product_tce * Decimal("0.92"), Decimal("24.515"))
    return {
        "energy": [
            {"carrier": "anthracite", "quantity": _q(anthracite * Decimal("0.7")), "unit": "t", "use": "feedstock"},
            {"carrier": "anthracite", "quantity": _q(anthracite * Decimal("0.3")), "unit": "t"},
        ],
        "electricity": {"purchased_mwh": _q(product_tce * Decimal("0.08") / Decimal("0.1229"))},
        "products": [
            {"product": "ammonia_quality_lump_anthracite", "output": _q(output),
             "capacity": _q(output * Decimal("1.1")), "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        # v2 (NDRC 化工 guideline, 原材料消耗): the gasified anthracite's carbon leaves as CO2 (none fixed here)
        "mass_balance": [
            {"material": "anthracite", "flow": "in", "quantity": _q(anthracite * Decimal("0.7")),
             "carbon_content": "0.76", "process_unit": "gasifier"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.04, 0.07))),
    }  # fmt: skip


def _coking(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    return {
        "energy": [
            {"carrier": "washed_coal", "quantity": _q(output * Decimal("1.33")), "unit": "t", "use": "feedstock"},
            {"carrier": "coke_oven_gas", "quantity": _q(_split(product_tce, Decimal("173.854")) * 10_000, "1"),
             "unit": "Nm3"},
        ],
        "electricity": {"purchased_mwh": _q(output * Decimal("0.03"))},
        "products": [
            {"product": "coke_top_charged", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        # v2 (NDRC 独立焦化 guideline, 炼焦过程): coking coal in; coke, coke-oven gas, tar and benzol out
        "mass_balance": [
            {"material": "coking_coal", "flow": "in", "quantity": _q(output * Decimal("1.33")), "carbon_content": "0.78",
             "process_unit": "coke_oven"},
            {"material": "coke", "flow": "out", "quantity": _q(output), "process_unit": "coke_oven"},
            {"material": "coke_oven_gas", "flow": "out", "quantity": _q(output * Decimal("0.043")), "unit": "10^4Nm3",
             "process_unit": "coke_oven"},
            {"material": "coal_tar", "flow": "out", "quantity": _q(output * Decimal("0.04")), "process_unit": "coke_oven"},
            {"material": "crude_benzol", "flow": "out", "quantity": _q(output * Decimal("0.012")),
             "process_unit": "coke_oven"},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.015, 0.03))),
    }  # fmt: skip


def _power(rng: random.Random, output: Decimal, u: Decimal, *, chp: bool = False) -> Content:
    """`output` MWh supplied; `u` gce/kWh (供电煤耗, no NDRC row: not covered)."""
    coal_tce = u * output / 1_000_000 * 1000  # gce/kWh × MWh = kgce; ÷ 1000 = tce
    heat_gj = output * Decimal("2.5") if chp else Decimal(0)
    products = [
        {
            "product": "power_supply",
            "output": _q(output),
            "energy": _q(coal_tce),
            "energy_unit": "tce",
            # 热电 units are small (the plan's 30万千瓦以下 units for 背压 conversion); condensing ones are not
            "attributes": {"unit_capacity_mw": str(rng.choice([135, 150, 300] if chp else [300, 330, 600]))},
        }
    ]
    content: Content = {
        "energy": [
            {
                "carrier": "bituminous_coal",
                "quantity": _q(_split(coal_tce + heat_gj * Decimal("0.04"), Decimal("23.204"))),
                "unit": "t",
            }
        ],
        "electricity": {"purchased_mwh": _q(output * Decimal("0.01")), "exported_mwh": _q(output)},
        "products": products,
        "value_added_wan": _q(output * Decimal(rng.uniform(0.01, 0.02))),
    }
    # v2 (供电煤耗 / 供热煤耗 beside the national coal-power level): the unit's supply and its coal
    supply = {"unit_name": "unit_1", "power_supplied_mwh": _q(output), "coal_for_power_tce": _q(coal_tce)}
    if chp:
        supply |= {"heat_supplied_gj": _q(heat_gj), "coal_for_heat_tce": _q(heat_gj * Decimal("0.04"))}
    content["power_supply"] = [supply]
    if chp:
        content["heat"] = [{"direction": "exported", "quantity": _q(heat_gj), "unit": "GJ"}]
        products.append(
            {
                "product": "heat_supply",
                "output": _q(heat_gj),
                "energy": _q(heat_gj * Decimal("0.04")),
                "energy_unit": "tce",
            }
        )
    return content  # fmt: skip


def _ironmaking(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    product_tce = u * output / 1000
    return {
        "energy": [
            {"carrier": "coke", "quantity": _q(output * Decimal("0.36")), "unit": "t"},
            {"carrier": "blast_furnace_gas", "quantity": _q(output * Decimal("0.08")), "unit": "10^4Nm3"},
        ],
        "electricity": {"purchased_mwh": _q(output * Decimal("0.06"))},
        "products": [
            {"product": "blast_furnace", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "energy": _q(product_tce), "energy_unit": "tce"},
        ],
        # v2 (NDRC 钢铁 guideline, 熔剂消耗): the limestone flux
        "steel_materials": [{"material": "limestone", "use": "consumed", "quantity_t": _q(output * Decimal("0.08"))}],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.02, 0.04))),
    }  # fmt: skip


def _steelmaking(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    return {
        "energy": [{"carrier": "converter_gas", "quantity": _q(output * Decimal("0.002")), "unit": "10^4Nm3"}],
        "electricity": {"purchased_mwh": _q(output * Decimal("0.045"))},
        "products": [
            {"product": "bof_converter", "output": _q(output), "capacity": _q(output * Decimal("1.1")),
             "energy": _q(u * output / 1000), "energy_unit": "tce"},
        ],
        # v2 (NDRC 钢铁 guideline): lime and dolomite fluxes in; the carbon fixed in the crude steel out
        "steel_materials": [
            {"material": "limestone", "use": "consumed", "quantity_t": _q(output * Decimal("0.04"))},
            {"material": "dolomite", "use": "consumed", "quantity_t": _q(output * Decimal("0.015"))},
            {"material": "crude_steel", "use": "fixed", "quantity_t": _q(output)},
        ],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.03, 0.05))),
    }  # fmt: skip


def _refractory(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    """Fired shapes (magnesia, alumina bricks) in gas tunnel kilns; `u` kgce/t (no NDRC row: no product line)."""
    site_tce = u * output / 1000
    electricity_mwh = output * Decimal("0.09")  # presses, mixers, crushers: about 90 kWh/t
    gas_1e4nm3 = _split(site_tce - electricity_mwh * Decimal("0.1229"), Decimal("389.31"))
    return {
        "energy": [{"carrier": "natural_gas", "quantity": _q(gas_1e4nm3), "unit": "10^4Nm3"}],
        "electricity": {"purchased_mwh": _q(electricity_mwh)},
        "value_added_wan": _q(output * Decimal(rng.uniform(0.08, 0.14))),
    }


def _aluminium(rng: random.Random, output: Decimal, u: Decimal) -> Content:
    """Electrolytic aluminium (pot lines); `u` kWh AC per tonne of liquid aluminium."""
    pot_mwh = u * output / 1000
    gas = output * Decimal("0.0045")  # casting and holding furnaces, 10^4 Nm3
    return {
        "energy": [{"carrier": "natural_gas", "quantity": _q(gas), "unit": "10^4Nm3"}],
        "electricity": {"purchased_mwh": _q(pot_mwh * Decimal("1.04"))},  # auxiliaries about 4 %
        "products": [
            {"product": "electrolytic_aluminium", "output": _q(output), "capacity": _q(output * Decimal("1.08")),
             "energy": _q(pot_mwh), "energy_unit": "MWh"},
        ],
        # v2 (NDRC 电解铝 guideline): anode consumption and anode-effect PFC at the guideline defaults
        "aluminium": [{"primary_aluminium_t": _q(output)}],
        "value_added_wan": _q(output * Decimal(rng.uniform(0.15, 0.25))),
    }  # fmt: skip


class Template:
    """A class of enterprise: its industry, a name stem, output range, and 标杆 / 基准 for u."""

    def __init__(
        self,
        industry: str,
        stem: str,
        output: tuple[int, int],
        levels: tuple[float, float],
        build: Builder,
        below: tuple[float, float] = (0.1, 0.4),
    ) -> None:
        self.industry, self.stem, self.output, self.levels, self.build = industry, stem, output, levels, build
        self.below = below  # how far past 基准 a below-基准 one lies, in spans (标杆 to 基准)


TEMPLATES: dict[str, Template] = {
    "cement": Template("3011", "水泥", (1_000_000, 3_000_000), (100, 117), _cement),
    # 瓷质砖 (water absorption ≤ 0.5 %): the 淄川 / 博山 clusters' main product (NDRC 2021: 4.0 / 7.0 kgce/m²)
    "ceramic": Template("3071", "陶瓷", (5_000_000, 20_000_000), (4.0, 7.0), _ceramic),
    "alkali": Template("2612", "氯碱化工", (100_000, 300_000), (315, 350), _alkali),
    "glass": Template("3041", "玻璃", (8_000_000, 15_000_000), (8.0, 12.0), _glass),
    "refractory": Template("3089", "耐火材料", (80_000, 300_000), (180, 260), _refractory),
    # a below-基准 smelter lies past 13650 kWh/t, where 阶梯电价 (发改价格〔2021〕1239号) begins
    "aluminium": Template("3216", "铝业", (150_000, 400_000), (13000, 13350), _aluminium, below=(1.0, 1.4)),
    "refining": Template("2511", "石化", (3_000_000, 8_000_000), (7.5, 8.5), _refining),
    "ethylene": Template("2614", "乙烯化工", (300_000, 800_000), (590, 640), _ethylene),
    "ammonia": Template("2621", "化肥", (200_000, 500_000), (1100, 1350), _ammonia),
    "coking": Template("2521", "焦化", (1_000_000, 2_000_000), (110, 135), _coking),
    "power": Template("4411", "发电", (3_000_000, 6_000_000), (285, 310), _power),
    "chp": Template("4412", "热电", (1_000_000, 2_500_000), (285, 310), lambda r, o, u: _power(r, o, u, chp=True)),
    "ironmaking": Template("3110", "炼铁", (2_000_000, 4_000_000), (361, 435), _ironmaking),
    "steelmaking": Template("3120", "炼钢", (2_000_000, 4_000_000), (-30, -10), _steelmaking),
}


def demo_content(template: Template, rng: random.Random, year: int, standing: str, scale: float) -> Content:
    """One year's content; `standing` is benchmark | baseline | below_baseline; 2024 is ~2 % better."""
    benchmark, baseline = template.levels
    span = baseline - benchmark
    u = {
        "benchmark": benchmark - abs(span) * rng.uniform(0.02, 0.2),
        "baseline": benchmark + span * rng.uniform(0.2, 0.9),
        "below_baseline": baseline + abs(span) * rng.uniform(*template.below),
    }[standing]
    if year >= 2024 and standing != "below_baseline":
        u -= abs(u) * 0.02 if u > 0 else 0.4
    low, high = template.output
    output = Decimal(int(low + (high - low) * scale))
    return template.build(rng, output, Decimal(_q(u, "0.001")))
