"""Factor sets: the national factors for one accounting year, each value with its source.

A factor set holds one accounting year (design.md): fuel NCV, carbon content and
oxidation (GB/T 32150-2015 Annex B and the MEE guidelines), GB/T 2589-2020 standard-coal
coefficients, the heat factor and that year's grid factor. A filing for year Y is
accounted with the factor set of year Y. The shipped sets come from the data files
beside this module (carriers.csv, fuel_factors.csv, grid_factors.csv, site_factors.csv,
carbonates.csv), each row with its source and confidence. Sets from 2026-05 on also carry the
defaults of the process families (process_defaults.csv: carbon contents for the mass balance,
the steel, aluminium and N2O factors; gwp.csv: the GWP table; coal_power_levels.csv): a set
loaded before has none, so accounts pinned to it compute as they did.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated

import msgspec

from domain.errors import InvalidField
from domain.sourced import Confidence, Sourced, check_value

__all__ = [
    "FIRST_SHIPPED_YEAR",
    "LAST_SHIPPED_YEAR",
    "SHIPPED_GWP_TABLE",
    "Carbonate",
    "CarrierFactors",
    "CarrierState",
    "FactorSet",
    "GridFactor",
    "ProcessDefault",
    "Year",
    "shipped_factor_sets",
    "validate_factor_set",
]

Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]
Code = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9_()]{0,39}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
FIRST_SHIPPED_YEAR, LAST_SHIPPED_YEAR = 2020, 2026
DefaultCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9]+\.[A-Za-z0-9_]{1,40}$")]
SHIPPED_GWP_TABLE = "IPCC_SAR"
"""The NDRC 2013–2015 industry guidelines, whose methods the process families follow, use the
IPCC Second Assessment Report's 100-year GWPs (CF4 6500, C2F6 9200 in the 电解铝 guideline);
gwp.csv keeps AR5 beside it for a set that follows a later guideline."""
PROCESS_DEFAULT_UNITS = {
    "carbon": ("tC/t", "tC/10^4Nm3"),
    "steel": ("tCO2/t",),
    "aluminium": ("t/t", "fraction", "kgCF4/t", "kgC2F6/t"),
    "n2o": ("kgN2O/t",),
    "gwp": ("tCO2e/t",),
    "power": ("gce/kWh",),
}

NCV_UNITS = {"solid": "GJ/t", "liquid": "GJ/t", "gas": "GJ/10^4Nm3"}
COAL_EQUIVALENT_UNITS = {"solid": "kgce/kg", "liquid": "kgce/kg", "gas": "kgce/m3"}


class CarrierState(StrEnum):
    SOLID = "solid"
    LIQUID = "liquid"
    GAS = "gas"


class CarrierFactors(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Code
    name: Name
    state: CarrierState
    ncv: Sourced | None = None  # GJ/t, or GJ/10^4Nm3 for gases
    carbon_content: Sourced | None = None  # tC/GJ
    oxidation: Sourced | None = None  # fraction
    coal_equivalent: Sourced | None = None  # kgce/kg, or kgce/m3 for gases


class GridFactor(Sourced, frozen=True, kw_only=True, forbid_unknown_fields=True):
    data_year: Year  # the year the published factor describes; != the set's year: FACTOR_YEAR_PROXY


class Carbonate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Code
    name: Name
    factor: Sourced  # tCO2 per t of carbonate


class ProcessDefault(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A default of a process family: `carbon.coke` (tC/t), `steel.limestone` (tCO2/t), `gwp.N2O` …"""

    code: DefaultCode
    name: Name
    value: Sourced


class FactorSet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    year: Year
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    carriers: list[CarrierFactors]
    grid_factor: GridFactor  # tCO2/MWh
    heat_emission_factor: Sourced  # tCO2/GJ
    electricity_coal_equivalent: Sourced  # kgce/kWh (当量值)
    heat_coal_equivalent: Sourced  # kgce/MJ
    carbonates: list[Carbonate]
    process_defaults: list[ProcessDefault] = []  # absent from sets loaded before the process families

    def carrier(self, code: str) -> CarrierFactors | None:
        return next((c for c in self.carriers if c.code == code), None)

    def carbonate(self, code: str) -> Carbonate | None:
        return next((c for c in self.carbonates if c.code == code), None)

    def process_default(self, code: str) -> ProcessDefault | None:
        return next((d for d in self.process_defaults if d.code == code), None)


def _check_carrier(i: int, c: CarrierFactors) -> None:
    at = f"carriers[{i}]"
    state = c.state.value
    if c.ncv is None and c.coal_equivalent is None:
        raise InvalidField(at, "needs an ncv or a coal_equivalent, or its energy cannot be counted")
    if c.ncv is not None:
        check_value(f"{at}.ncv", c.ncv, NCV_UNITS[state])
    if c.carbon_content is not None:
        check_value(f"{at}.carbon_content", c.carbon_content, "tC/GJ")
    if c.oxidation is not None:
        check_value(f"{at}.oxidation", c.oxidation, "fraction")
        if c.oxidation.value > 1:
            raise InvalidField(f"{at}.oxidation.value", "an oxidation rate is a fraction, at most 1")
    if c.coal_equivalent is not None:
        check_value(f"{at}.coal_equivalent", c.coal_equivalent, COAL_EQUIVALENT_UNITS[state])


def validate_factor_set(fs: FactorSet) -> None:
    """Everything a loaded set must satisfy beyond its shape; raises InvalidField naming the value."""
    seen: set[str] = set()
    for i, carrier in enumerate(fs.carriers):
        if carrier.code in seen:
            raise InvalidField(f"carriers[{i}].code", f"{carrier.code!r} appears twice")
        seen.add(carrier.code)
        _check_carrier(i, carrier)
    if not fs.carriers:
        raise InvalidField("carriers", "a factor set needs at least one carrier")
    check_value("grid_factor", fs.grid_factor, "tCO2/MWh")
    check_value("heat_emission_factor", fs.heat_emission_factor, "tCO2/GJ")
    check_value("electricity_coal_equivalent", fs.electricity_coal_equivalent, "kgce/kWh")
    check_value("heat_coal_equivalent", fs.heat_coal_equivalent, "kgce/MJ")
    codes: set[str] = set()
    for i, carbonate in enumerate(fs.carbonates):
        if carbonate.code in codes:
            raise InvalidField(f"carbonates[{i}].code", f"{carbonate.code!r} appears twice")
        codes.add(carbonate.code)
        check_value(f"carbonates[{i}].factor", carbonate.factor, "tCO2/t")
    _check_process_defaults(fs.process_defaults)


def _check_process_defaults(defaults: list[ProcessDefault]) -> None:
    seen: set[str] = set()
    for i, d in enumerate(defaults):
        at = f"process_defaults[{i}]"
        if d.code in seen:
            raise InvalidField(f"{at}.code", f"{d.code!r} appears twice")
        seen.add(d.code)
        family = d.code.split(".", 1)[0]
        if family not in PROCESS_DEFAULT_UNITS:
            raise InvalidField(f"{at}.code", f"the family must be one of {', '.join(PROCESS_DEFAULT_UNITS)}")
        check_value(f"{at}.value", d.value, PROCESS_DEFAULT_UNITS[family], positive=False)
        if d.value.value < 0:
            raise InvalidField(f"{at}.value.value", "must not be negative")
        if d.value.unit == "fraction" and d.value.value > 1:
            raise InvalidField(f"{at}.value.value", "a fraction is at most 1")


# --- the shipped sets --------------------------------------------------------------


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("domain.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _sourced(row: dict[str, str]) -> Sourced:
    return Sourced(
        value=Decimal(row["value"]), unit=row["unit"], source=row["source"], confidence=Confidence(row["confidence"])
    )


def _shipped_carriers() -> list[CarrierFactors]:
    params: dict[str, dict[str, Sourced]] = {}
    for row in _rows("fuel_factors.csv"):
        params.setdefault(row["carrier"], {})[row["parameter"]] = _sourced(row)
    return [
        CarrierFactors(code=row["code"], name=row["name"], state=CarrierState(row["state"]), **params[row["code"]])
        for row in _rows("carriers.csv")
    ]


def _grid_factor(year: int) -> GridFactor:
    """The year's published factor, else the nearest published year's (flagged FACTOR_YEAR_PROXY)."""
    rows = _rows("grid_factors.csv")
    row = min(rows, key=lambda r: (abs(int(r["data_year"]) - year), -int(r["data_year"])))
    return GridFactor(data_year=int(row["data_year"]), **msgspec.structs.asdict(_sourced(row)))


def _nearest(name: str, year: int) -> dict[str, str]:
    rows = _rows(name)
    return min(rows, key=lambda r: (abs(int(r["data_year"]) - year), -int(r["data_year"])))


def _shipped_process_defaults(year: int) -> list[ProcessDefault]:
    """The process families' defaults; the national coal-power level of the nearest published year."""
    defaults = [
        ProcessDefault(code=r["code"], name=r["name"], value=_sourced(r)) for r in _rows("process_defaults.csv")
    ]
    defaults += [
        ProcessDefault(code=f"gwp.{r['gas']}", name=f"{r['gas']} GWP ({r['table']})", value=_sourced(r))
        for r in _rows("gwp.csv")
        if r["table"] == SHIPPED_GWP_TABLE
    ]
    level = _nearest("coal_power_levels.csv", year)
    source = f"{level['source']}; data year {level['data_year']}"
    defaults.append(
        ProcessDefault(
            code="power.national_supply_coal_rate",
            name="全国煤电平均供电煤耗",
            value=Sourced(
                value=Decimal(level["value"]),
                unit=level["unit"],
                source=source,
                confidence=Confidence(level["confidence"]),
            ),
        )
    )
    return defaults


@cache
def shipped_factor_sets() -> tuple[FactorSet, ...]:
    """One set per accounting year the project ships (reference data, read once)."""
    site = {row["parameter"]: _sourced(row) for row in _rows("site_factors.csv")}
    carbonates = [
        Carbonate(code=row["code"], name=row["name"], factor=_sourced(row)) for row in _rows("carbonates.csv")
    ]
    carriers = _shipped_carriers()
    return tuple(
        FactorSet(
            year=year,
            label=f"国家缺省因子 {year} (shipped national defaults)",
            carriers=carriers,
            grid_factor=_grid_factor(year),
            heat_emission_factor=site["heat_emission_factor"],
            electricity_coal_equivalent=site["electricity_coal_equivalent"],
            heat_coal_equivalent=site["heat_coal_equivalent"],
            carbonates=carbonates,
            process_defaults=_shipped_process_defaults(year),
        )
        for year in range(FIRST_SHIPPED_YEAR, LAST_SHIPPED_YEAR + 1)
    )
