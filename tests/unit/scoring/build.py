"""Small builders for the scoring tests: AccountResult and Candidate values made directly.

Nothing here computes an expected figure. An account carries the emissions total it is
given (all of it combustion: scope1 = total, scope2 = 0) and otherwise the least that
makes a valid AccountResult; its intensity is total ÷ value added as the accounting engine
gives it (unrounded), unless the test states one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

from domain.accounting.result import AccountResult, CombustionItem, Emissions, Flag, Level, ProductResult
from scoring import v1
from scoring.model import Candidate, Rating, Reason

__all__ = [
    "D",
    "account",
    "candidate",
    "codes",
    "fuel",
    "peers",
    "product",
    "rate_against_unit_class",
    "rate_in",
    "reason",
]

D = Decimal
_ZERO = Decimal(0)
_serial = itertools.count(1)
_UNSET = object()


def _d(value: Decimal | str | int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def fuel(
    line: str, co2: Decimal | str, measured: Sequence[str] = ("carbon_content", "ncv"), carrier: str = "bituminous_coal"
) -> CombustionItem:
    """One fuel line's combustion CO2, with the parameters that were measured on it."""
    return CombustionItem(
        line=line,
        carrier=carrier,
        quantity=Decimal(1),
        unit="t",
        ncv=Decimal("23.204"),
        carbon_content=Decimal("0.02618"),
        carbon_content_basis="per_heat",
        oxidation=Decimal("0.93"),
        measured=sorted(measured),
        co2=Decimal(co2),
    )


def product(
    level: Level,
    *,
    code: str = "cement_clinker",
    u: Decimal | str | None = "105",
    site_total: bool = False,
    line: str = "products[0]",
    name: str = "水泥熟料",
    unit: str = "kgce/t",
    benchmark: str = "100",
    baseline: str = "117",
) -> ProductResult:
    """A product result at a given level (by default cement clinker: 标杆 100, 基准 117 kgce/t).

    The level is taken as given, not worked out from u: the scoring reads the level."""
    covered = level is not Level.NOT_COVERED
    return ProductResult(
        line=line,
        product=code,
        name=name,
        indicator="单位产品综合能耗",
        unit=unit,
        output=Decimal("800000"),
        output_unit="t",
        capacity=None,
        energy=None,
        unit_energy_use=_d(u),
        benchmark=Decimal(benchmark) if covered else None,
        baseline=Decimal(baseline) if covered else None,
        level=level,
        flags=[Flag.LEVEL_FROM_SITE_TOTAL] if site_total else [],
    )


def account(
    industry: str = "3011",
    total: Decimal | str | int | None = None,
    value_added: Decimal | str | int | None = "1000",
    products: Iterable[ProductResult] = (),
    combustion: Iterable[CombustionItem] = (),
    flags: Iterable[Flag] = (),
    *,
    year: int = 2023,
    intensity: object = _UNSET,
) -> AccountResult:
    """An account with `total` tCO2 (all combustion). Without a total, the fuel lines' sum."""
    items = list(combustion)
    co2 = Decimal(total) if total is not None else sum((c.co2 for c in items), _ZERO)
    va = _d(value_added)
    if intensity is _UNSET:
        intensity = co2 / va if va is not None and va > 0 else None
    return AccountResult(
        year=year,
        industry=industry,
        sector="building_materials",
        energy_tce=_ZERO,
        energy=[],
        emissions=Emissions(
            combustion=co2,
            process=_ZERO,
            captured=_ZERO,
            electricity=_ZERO,
            heat=_ZERO,
            scope1=co2,
            scope2=_ZERO,
            total=co2,
        ),
        combustion=items,
        process=[],
        products=list(products),
        value_added_wan=va,
        intensity=_d(intensity),  # type: ignore[arg-type]
        flags=list(flags),
        factors=[],
    )


def candidate(
    industry: str = "3011",
    total: Decimal | str | int | None = None,
    value_added: Decimal | str | int | None = "1000",
    products: Iterable[ProductResult] = (),
    combustion: Iterable[CombustionItem] = (),
    flags: Iterable[Flag] = (),
    *,
    verified: bool = True,
    previous: AccountResult | None = None,
    uscc: str | None = None,
) -> Candidate:
    """A candidate of a round whose account is `account(industry, total, value_added, ...)`."""
    return Candidate(
        uscc=uscc or f"91370300TEST{next(_serial):06d}",
        industry=industry,
        verified=verified,
        account=account(industry, total, value_added, products, combustion, flags),
        previous=previous,
    )


def peers(
    n: int, total: Decimal | str | int, value_added: Decimal | str | int = "1000", industry: str = "3011"
) -> list[Candidate]:
    """`n` verified, gradable candidates of one class, each with the same CO2 and value added."""
    return [candidate(industry, total, value_added) for _ in range(n)]


# --- rating helpers ----------------------------------------------------------------------


def rate_in(c: Candidate, *others: Candidate) -> Rating:
    """Rate `c` in a round made of `c` and `others`, as a rating round does."""
    return v1.rate(c, v1.peer_groups([*others, c]))


def rate_against_unit_class(c: Candidate) -> Rating:
    """Rate `c` against a 3011 class of five verified peers at 1000 t / 1000 万元 each.

    Σ CO2 ÷ Σ value added = 5000 ÷ 5000, so L_industry = 1.000000 and K = L. The groups are
    made from the five alone (`c` is rated against them but not added to them).
    """
    return v1.rate(c, v1.peer_groups(peers(5, "1000")))


def codes(rating: Rating) -> list[str]:
    return [r.code for r in rating.reasons]


def reason(rating: Rating, code: str) -> Reason:
    """The one reason with `code` (fails if there is none or several)."""
    found = [r for r in rating.reasons if r.code == code]
    assert len(found) == 1, f"{code}: {codes(rating)}"
    return found[0]
