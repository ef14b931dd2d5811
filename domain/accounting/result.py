"""What an account shows: every figure, the factor behind it, and the flags."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import msgspec

from domain.sourced import Confidence, Sourced

__all__ = [
    "AccountResult",
    "CombustionItem",
    "Emissions",
    "EnergyItem",
    "FactorUse",
    "Flag",
    "GasItem",
    "Level",
    "NotCovered",
    "PowerResult",
    "ProcessItem",
    "ProductResult",
    "SectorItem",
]


class Flag(StrEnum):
    PROCESS_NOT_COVERED = "PROCESS_NOT_COVERED"  # the sector's process/feedstock CO2 is not accounted in v1
    # a PROCESS_NOT_COVERED class covered by the edition's product rule (2612 filing only 烧碱)
    PROCESS_COVERED_BY_PRODUCTS = "PROCESS_COVERED_BY_PRODUCTS"
    PROVISIONAL_FACTOR = "PROVISIONAL_FACTOR"  # a value used is labelled MEM+GB or UNCONFIRMED
    FACTOR_YEAR_PROXY = "FACTOR_YEAR_PROXY"  # the grid factor of the nearest published year
    LEVEL_FROM_SITE_TOTAL = "LEVEL_FROM_SITE_TOTAL"  # a product level from the whole site's energy
    NO_VALUE_ADDED = "NO_VALUE_ADDED"  # no value added filed: no intensity
    VALUE_ADDED_NOT_POSITIVE = "VALUE_ADDED_NOT_POSITIVE"  # value added ≤ 0: no intensity


class Level(StrEnum):
    BENCHMARK = "benchmark"  # u ≤ 标杆
    BASELINE = "baseline"  # 标杆 < u ≤ 基准
    BELOW_BASELINE = "below_baseline"  # u > 基准
    NOT_COVERED = "not_covered"


class NotCovered(StrEnum):
    NO_BENCHMARK_ROW = "NO_BENCHMARK_ROW"
    MISSING_ATTRIBUTE = "MISSING_ATTRIBUTE"
    ATTRIBUTE_OUT_OF_RANGE = "ATTRIBUTE_OUT_OF_RANGE"
    MISSING_PRODUCT_ENERGY = "MISSING_PRODUCT_ENERGY"
    NO_OUTPUT = "NO_OUTPUT"


class FactorUse(msgspec.Struct, frozen=True, kw_only=True):
    key: str  # e.g. carriers.natural_gas.ncv, grid_factor, benchmarks.cement_clinker.baseline
    value: Decimal
    unit: str
    source: str
    confidence: Confidence
    provisional: bool

    @classmethod
    def of(cls, key: str, sourced: Sourced) -> FactorUse:
        return cls(
            key=key,
            value=sourced.value,
            unit=sourced.unit,
            source=sourced.source,
            confidence=sourced.confidence,
            provisional=sourced.confidence.provisional,
        )


class EnergyItem(msgspec.Struct, frozen=True, kw_only=True):
    line: str  # energy[0], electricity, heat[1]
    what: str  # the carrier code, electricity or heat
    quantity: Decimal  # in `unit`, the accounting unit (t, 10^4Nm3, MWh, GJ)
    unit: str
    method: str  # ncv | coal_equivalent | electricity_equivalent | heat_equivalent
    tce: Decimal


class CombustionItem(msgspec.Struct, frozen=True, kw_only=True):
    line: str
    carrier: str
    quantity: Decimal  # t or 10^4Nm3
    unit: str
    ncv: Decimal | None  # GJ per unit; None with a mass-fraction carbon content
    carbon_content: Decimal  # tC/GJ, or tC/t when carbon_content_basis is mass_fraction
    carbon_content_basis: str
    oxidation: Decimal
    measured: list[str]  # which of ncv, carbon_content, oxidation were measured
    co2: Decimal


class ProcessItem(msgspec.Struct, frozen=True, kw_only=True):
    line: str  # clinker[0], carbonates[1]
    kind: str  # clinker | carbonate
    material: str
    quantity_t: Decimal
    factor: Decimal  # tCO2 per t
    co2: Decimal
    note: str | None = None


class SectorItem(msgspec.Struct, frozen=True, kw_only=True):
    """One step of a process family's method (docs/accounting.md, "Process families").

    Mass-balance lines carry their carbon (tC, + in, − out and waste) and no CO2 of their own;
    the unit's `balance` item carries Σ carbon × 44/12. Other kinds carry their signed CO2.
    """

    line: str  # mass_balance[2], steel_materials[0], byproduct_gases[1], aluminium[0]; a unit: mass_balance:coke_oven
    family: str  # mass_balance | steel | aluminium | nitrous_oxide
    kind: str  # in | out | waste | balance | consumed | fixed | gas_export | anode
    material: str
    quantity: Decimal
    unit: str
    factor: Decimal  # tC per unit (mass balance), tCO2/t (steel), tC/t Al (anode: NC × (1 − S − A))
    factor_unit: str
    carbon_t: Decimal | None = None
    co2: Decimal | None = None  # signed tCO2; None on a mass-balance line (see its unit's balance)
    note: str | None = None


class GasItem(msgspec.Struct, frozen=True, kw_only=True):
    """A non-CO2 gas, in tonnes of the gas and in tCO2e at the factor set's GWP."""

    line: str
    gas: str  # CF4 | C2F6 | N2O
    quantity_t: Decimal
    gwp: Decimal
    co2e: Decimal


class PowerResult(msgspec.Struct, frozen=True, kw_only=True):
    """供电煤耗 and 供热煤耗 of a power or CHP unit, beside the national coal-power level."""

    line: str
    unit_name: str
    supply_coal_rate: Decimal  # gce/kWh = tce × 10^6 g ÷ (MWh × 1000 kWh)
    heat_coal_rate: Decimal | None  # kgce/GJ
    national_supply_coal_rate: Decimal  # gce/kWh, the factor set's `power.national_supply_coal_rate`
    better_than_national: bool  # supply_coal_rate ≤ the national level


class ProductResult(msgspec.Struct, frozen=True, kw_only=True):
    line: str
    product: str
    name: str
    indicator: str
    unit: str
    output: Decimal
    output_unit: str
    capacity: Decimal | None
    energy: Decimal | None  # the energy behind u, in the indicator's numerator (kgce, kgoe, kWh)
    unit_energy_use: Decimal | None
    benchmark: Decimal | None  # 标杆
    baseline: Decimal | None  # 基准
    level: Level
    reason: NotCovered | None = None
    reason_detail: str | None = None
    flags: list[Flag] = []


class Emissions(msgspec.Struct, frozen=True, kw_only=True):
    """tCO2. total = combustion + process − captured + electricity + heat."""

    combustion: Decimal
    process: Decimal
    captured: Decimal
    electricity: Decimal
    heat: Decimal
    scope1: Decimal  # combustion + process − captured
    scope2: Decimal  # electricity + heat
    total: Decimal


class AccountResult(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    industry: str
    sector: str
    energy_tce: Decimal
    energy: list[EnergyItem]
    emissions: Emissions
    combustion: list[CombustionItem]
    process: list[ProcessItem]
    products: list[ProductResult]
    value_added_wan: Decimal | None
    intensity: Decimal | None  # L = total CO2 / value added, tCO2 per 万元 (unrounded)
    flags: list[Flag]
    factors: list[FactorUse]
    # The process families (new with them; v1 reads none of these). process_accounted: the class's
    # process and feedstock emissions are accounted — by v1 (classes without PROCESS_NOT_COVERED,
    # or covered by the edition's product rule) or by a family method named in process_methods.
    sector_process: list[SectorItem] = []
    gases: list[GasItem] = []
    power: list[PowerResult] = []
    process_accounted: bool = False
    process_methods: list[str] = []
    co2e_total: Decimal | None = None  # total CO2 + Σ non-CO2 gases × GWP (tCO2e)
