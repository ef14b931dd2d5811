"""A filing's content (the lines of design.md, "Records") and the rules of its life cycle.

A draft is mutable; submit freezes it; a verifier marks it verified or rejected. A
correction is a new version for the period that names the version it supersedes. The
*current* version of a period is the highest submitted or verified one.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

from domain.errors import Conflict, StateConflict

__all__ = [
    "AluminiumLine",
    "ByproductGas",
    "Capture",
    "Carbonate",
    "Clinker",
    "Electricity",
    "EnergyLine",
    "FilingContent",
    "FilingStatus",
    "HeatLine",
    "MassBalanceLine",
    "NitrousOxideLine",
    "PowerSupplyLine",
    "ProductLine",
    "SteelMaterial",
    "VerificationOutcome",
    "check_editable",
    "check_submittable",
    "check_verifiable",
    "next_version",
]

Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]


class FilingStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


class VerificationOutcome(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"


class _Line(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class EnergyLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An energy carrier consumed: burnt as `fuel` (combustion CO2) or used as `feedstock` (energy only)."""

    carrier: str
    quantity: Decimal
    unit: str  # t, kg; gases: 10^4Nm3, Nm3 (0 °C), m3@20C, 10^4m3@20C
    use: Literal["fuel", "feedstock"] = "fuel"
    ncv: Decimal | None = None  # measured, in GJ/t (GJ/10^4Nm3 for gases)
    carbon_content: Decimal | None = None  # measured, tC/GJ, or a mass fraction of the fuel
    carbon_content_basis: Literal["per_heat", "mass_fraction"] = "per_heat"
    oxidation: Decimal | None = None  # measured oxidation rate, a fraction


class Electricity(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    purchased_mwh: Decimal = Decimal(0)
    exported_mwh: Decimal = Decimal(0)
    green_certified_mwh: Decimal = Decimal(0)  # purchased with green certificates (绿证/绿电交易)


class HeatLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    direction: Literal["purchased", "exported"]
    quantity: Decimal
    unit: Literal["GJ", "t_steam"]
    pressure_mpa: Decimal | None = None  # absolute; required for steam
    temperature_c: Decimal | None = None  # required for steam


class ProductLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    product: str
    output: Decimal  # in the product's output unit (t, weight_box, m2, MWh, GJ)
    capacity: Decimal | None = None  # the installed capacity, in output units a year
    attributes: dict[str, Decimal] = {}
    energy: Decimal | None = None  # the energy attributable to this product
    energy_unit: Literal["tce", "kgce", "kWh", "MWh"] | None = None
    whole_site: bool = False  # the product's boundary is the whole site: use the site total


class Clinker(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Cement clinker (MEE cement guideline): mass fractions of CaO and MgO in the clinker."""

    output_t: Decimal
    cao_fraction: Decimal
    mgo_fraction: Decimal
    noncarbonate_cao_fraction: Decimal = Decimal(0)
    noncarbonate_mgo_fraction: Decimal = Decimal(0)


class Carbonate(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Carbonates consumed (lime, glass batch, flux), at their stoichiometric factors."""

    carbonate: str  # CaCO3, MgCO3, CaMg(CO3)2, Na2CO3, ...
    quantity_t: Decimal
    purity: Decimal = Decimal(1)  # mass fraction of the carbonate in what was consumed
    carbon_retained: bool = False  # its carbon stays in the product (soda-ash production): not counted


class Capture(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    quantity_t: Decimal
    fate: Literal["stored", "used"]


# --- the process families (docs/accounting.md, "Process families") -------------------------


class MassBalanceLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A carbon-bearing material entering (`in`) or leaving (`out`, `waste`) a process unit.

    E = (Σ in·C − Σ out·C − Σ waste·C) × 44/12 per process unit (GB/T 32151.10-2015, the NDRC
    化工 / 石油化工 / 独立焦化 guidelines). C is filed, or the factor set's `carbon.<material>`.
    """

    material: str  # a `carbon.<material>` code of the factor set, or any name with its carbon content
    flow: Literal["in", "out", "waste"]
    quantity: Decimal
    unit: Literal["t", "10^4Nm3"] = "t"
    carbon_content: Decimal | None = None  # tC/t (a mass fraction), or tC/10^4Nm3 for a gas
    process_unit: str = "site"  # the unit balanced: coke_oven, hydrogen, fcc_regenerator, …


class SteelMaterial(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Steel-guideline process lines: consumed (fluxes, electrodes, carbon bought in pig iron,
    DRI and alloys) adds quantity × factor; fixed (crude steel, pig iron, methanol sold) deducts it."""

    material: str  # a `steel.<material>` code of the factor set, or any name with its factor
    use: Literal["consumed", "fixed"]
    quantity_t: Decimal
    factor: Decimal | None = None  # tCO2/t, measured


class ByproductGas(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A gas the works makes (blast-furnace, coke-oven, converter gas). Burnt on site it is not
    counted again (its carbon is in the coke and coal that made it); exported, it is deducted."""

    gas: Literal["blast_furnace_gas", "coke_oven_gas", "converter_gas"]
    produced: Decimal
    burnt_on_site: Decimal = Decimal(0)
    exported: Decimal = Decimal(0)
    unit: str = "10^4Nm3"  # 10^4Nm3, Nm3, m3@20C, 10^4m3@20C
    ncv: Decimal | None = None  # measured, GJ/10^4Nm3
    carbon_content: Decimal | None = None  # measured, tC/GJ
    oxidation: Decimal | None = None  # measured, fraction


class AluminiumLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Primary aluminium (NDRC 电解铝 guideline): anode consumption and PFC from anode effects."""

    primary_aluminium_t: Decimal  # 原铝产量
    anode_net_consumption: Decimal | None = None  # t anode per t Al (吨铝炭阳极净耗)
    anode_sulphur: Decimal | None = None  # mass fraction
    anode_ash: Decimal | None = None  # mass fraction
    cf4_kg_per_t: Decimal | None = None  # kg CF4 per t Al
    c2f6_kg_per_t: Decimal | None = None  # kg C2F6 per t Al


NitrousProcess = Literal[
    "nitric_high_pressure",
    "nitric_medium_pressure",
    "nitric_atmospheric",
    "nitric_dual_pressure",
    "nitric_combined",
    "nitric_low_pressure",
    "adipic_nitric_oxidation",
    "adipic_other",
]


class NitrousOxideLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """N2O of nitric or adipic acid: output × factor × (1 − removal × abated share) ÷ 1000, t N2O."""

    process: NitrousProcess
    output_t: Decimal
    factor_kg_per_t: Decimal | None = None  # measured kg N2O per t of acid
    removal: Decimal = Decimal(0)  # N2O removal efficiency of the abatement, a fraction
    abated_share: Decimal = Decimal(0)  # the share of the output passing the abatement, a fraction


class PowerSupplyLine(_Line, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A power or CHP unit's supply and the coal it took: 供电煤耗 (gce/kWh), 供热煤耗 (kgce/GJ)."""

    unit_name: str = "site"
    power_supplied_mwh: Decimal  # 供电量
    coal_for_power_tce: Decimal  # standard coal attributed to the power supplied
    heat_supplied_gj: Decimal = Decimal(0)
    coal_for_heat_tce: Decimal = Decimal(0)


class FilingContent(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    energy: list[EnergyLine] = []
    electricity: Electricity = Electricity()
    heat: list[HeatLine] = []
    products: list[ProductLine] = []
    clinker: list[Clinker] = []
    carbonates: list[Carbonate] = []
    captured: list[Capture] = []
    mass_balance: list[MassBalanceLine] = []
    steel_materials: list[SteelMaterial] = []
    byproduct_gases: list[ByproductGas] = []
    aluminium: list[AluminiumLine] = []
    nitrous_oxide: list[NitrousOxideLine] = []
    power_supply: list[PowerSupplyLine] = []
    value_added_wan: Decimal | None = None  # 工业增加值, 万元; required to submit
    output_value_wan: Decimal | None = None  # 工业总产值, 万元
    source_file_sha256: Sha256 | None = None  # the uploaded source file, if any


# --- the life cycle ------------------------------------------------------------------


def check_editable(status: FilingStatus) -> None:
    if status is not FilingStatus.DRAFT:
        raise StateConflict(f"the filing is {status.value}; submitted data is never edited, file a correction")


def check_submittable(status: FilingStatus) -> None:
    if status is not FilingStatus.DRAFT:
        raise StateConflict(f"the filing is already {status.value}; only a draft can be submitted")


def check_verifiable(status: FilingStatus) -> None:
    if status is FilingStatus.DRAFT:
        raise StateConflict("the filing is a draft; only a submitted filing can be verified")
    if status is not FilingStatus.SUBMITTED:
        raise StateConflict(f"the filing is already {status.value}")


def next_version(period: int, versions: list[tuple[int, FilingStatus]], supersedes: int | None) -> int:
    """The version a new filing for `period` takes, given the period's existing versions.

    No version yet: 1, superseding nothing. A draft exists: refused (edit it instead).
    Otherwise the new filing must name the latest version, which it supersedes.
    """
    if any(status is FilingStatus.DRAFT for _, status in versions):
        raise Conflict(f"{period} already has a draft; edit it (PUT /v1/filings/{{id}}) or submit it first")
    latest = max((v for v, _ in versions), default=None)
    if latest is None:
        if supersedes is not None:
            raise StateConflict(f"{period} has no filing yet; a first filing supersedes nothing")
        return 1
    if supersedes is None:
        raise StateConflict(f"{period} already has version {latest}; a correction names it in `supersedes`")
    if supersedes != latest:
        raise StateConflict(f"a correction supersedes the latest version of {period}, which is {latest}")
    return latest + 1
