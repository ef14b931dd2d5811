"""Rating methodology version 1 (design.md, "Rating methodology, version 1").

Carbon efficiency after Zhejiang DB33/T 1347-2023 (碳效等级): L = CO2 ÷ value added,
K = L ÷ L_industry over verified peers of the same GB/T 4754 class (the division when
fewer than five); colour after Quzhou's four colours, with 未评 for the ungradable; a
yellow enterprise improving by the plan's yearly pace is raised to light green. Every
threshold is a named constant here; `parameters()` publishes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from domain.accounting import AccountResult, Flag, Level
from domain.numbers import accounting
from scoring.model import (
    Band,
    Candidate,
    Colour,
    DataQuality,
    FinanceTier,
    PeerBasis,
    PeerGroup,
    Rating,
    Reason,
)

__all__ = ["VERSION", "parameters", "peer_groups", "rate"]

VERSION = "1"

# Absolute bands (碳效水平), tCO2 per 万元 of value added (ZJ-CEM).
BAND_LOW_MAX = Decimal("0.6")
BAND_MEDIUM_MAX = Decimal("2.0")
# Grades (碳效等级) by K = L / L_industry: K ≤ limit gives the grade (ZJ-CEM).
GRADE_LIMITS = ((Decimal("0.6"), 1), (Decimal("0.8"), 2), (Decimal("1.2"), 3), (Decimal("2.0"), 4))
WORST_GRADE = 5
# A peer group needs this many gradable enterprises with verified current filings.
MIN_PEERS = 5
# Quantization (all ROUND_HALF_EVEN): L and L_industry to 6 places, K and the fall to 4.
L_PLACES = Decimal("0.000001")
K_PLACES = Decimal("0.0001")
# The yearly pace of the plan's −20.5 % CO2 intensity over 2021–2025: 1 − 0.795^(1/5) ≈ 0.0448.
# Provisional until the rating authority confirms it.
TREND_UPGRADE_MIN_FALL = Decimal("0.0448")
TREND_UPGRADE_PROVISIONAL = True
# Data quality A: every fuel line carrying at least this share of combustion CO2 is measured.
MEASURED_SHARE = Decimal("0.05")
DARK_GREEN_MAX_GRADE = 2
LIGHT_GREEN_MAX_GRADE = 3
TIERS = {
    Colour.DARK_GREEN: FinanceTier.PREFERENTIAL,
    Colour.LIGHT_GREEN: FinanceTier.ELIGIBLE,
    Colour.YELLOW: FinanceTier.WATCH,
    Colour.RED: FinanceTier.RESTRICTED,
    Colour.UNRATED: FinanceTier.UNRATED,
}
PCAF_VERIFIED, PCAF_UNVERIFIED = 1, 2  # PCAF Part A Table 5-7: 1a verified, 1b unverified reported emissions


def _q(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_EVEN)


def parameters() -> dict[str, object]:
    """Every threshold, as GET /v1/methodologies/1 serves it (decimals as strings)."""
    return {
        "version": VERSION,
        "band_low_max": str(BAND_LOW_MAX),
        "band_medium_max": str(BAND_MEDIUM_MAX),
        "grade_limits": [{"k_max": str(limit), "grade": grade} for limit, grade in GRADE_LIMITS],
        "worst_grade": WORST_GRADE,
        "min_peers": MIN_PEERS,
        "l_decimal_places": 6,
        "k_decimal_places": 4,
        "rounding": "ROUND_HALF_EVEN",
        "trend_upgrade_min_fall": str(TREND_UPGRADE_MIN_FALL),
        "trend_upgrade_provisional": TREND_UPGRADE_PROVISIONAL,
        "measured_share": str(MEASURED_SHARE),
        "dark_green_max_grade": DARK_GREEN_MAX_GRADE,
        "light_green_max_grade": LIGHT_GREEN_MAX_GRADE,
        "finance_tiers": {colour.value: tier.value for colour, tier in TIERS.items()},
        "pcaf_scores": {"verified": PCAF_VERIFIED, "unverified": PCAF_UNVERIFIED},
    }


# --- gradability and peer groups ------------------------------------------------------


def ungradable(account: AccountResult) -> list[Reason]:
    """Why an account cannot be graded in version 1 (empty when it can)."""
    reasons = []
    va, co2 = account.value_added_wan, account.emissions.total
    if va is None or va <= 0:
        reasons.append(Reason(code="VALUE_ADDED_NOT_POSITIVE", detail="value added ≤ 0: no intensity",
                              values={"value_added_wan": str(va)}))  # fmt: skip
    if co2 <= 0:
        reasons.append(Reason(code="CO2_NOT_POSITIVE", detail="total CO2 ≤ 0", values={"co2": str(co2)}))
    if Flag.PROCESS_NOT_COVERED in account.flags:
        reasons.append(
            Reason(code="PROCESS_NOT_COVERED", detail="the class's process or feedstock CO2 is not accounted in v1",
                   values={"industry": account.industry})
        )  # fmt: skip
    return reasons


def _group(basis: PeerBasis, code: str, members: list[Candidate]) -> PeerGroup:
    co2 = sum((c.account.emissions.total for c in members), Decimal(0))
    va = sum((c.account.value_added_wan or Decimal(0) for c in members), Decimal(0))
    return PeerGroup(
        basis=basis, code=code, size=len(members), co2=co2, value_added=va, l_industry=_q(co2 / va, L_PLACES)
    )


def peer_groups(candidates: Iterable[Candidate]) -> dict[tuple[PeerBasis, str], PeerGroup]:
    """Per class and per division: the gradable candidates with verified current filings."""
    with accounting():
        members: dict[tuple[PeerBasis, str], list[Candidate]] = {}
        for c in candidates:
            if c.verified and not ungradable(c.account):
                members.setdefault((PeerBasis.CLASS, c.industry), []).append(c)
                members.setdefault((PeerBasis.DIVISION, c.division), []).append(c)
        return {key: _group(*key, group) for key, group in members.items()}


def _peer_group(c: Candidate, groups: dict[tuple[PeerBasis, str], PeerGroup]) -> tuple[PeerGroup | None, Reason]:
    by_class = groups.get((PeerBasis.CLASS, c.industry))
    if by_class is not None and by_class.size >= MIN_PEERS:
        return by_class, Reason(code="PEER_CLASS", detail="peers: the GB/T 4754 class", values=_group_values(by_class))
    by_division = groups.get((PeerBasis.DIVISION, c.division))
    if by_division is not None and by_division.size >= MIN_PEERS:
        values = {**_group_values(by_division), "class_size": str(by_class.size if by_class else 0)}
        return by_division, Reason(code="PEER_DIVISION", detail="fewer than 5 verified peers in the class: its division",
                                   values=values)  # fmt: skip
    values = {"class_size": str(by_class.size if by_class else 0), "division_size": str(by_division.size if by_division else 0),
              "min_peers": str(MIN_PEERS)}  # fmt: skip
    return None, Reason(code="PEER_GROUP_TOO_SMALL", detail="fewer than 5 verified peers in class and division",
                        values=values)  # fmt: skip


def _group_values(g: PeerGroup) -> dict[str, str]:
    return {"basis": g.basis.value, "code": g.code, "size": str(g.size), "l_industry": str(g.l_industry)}


# --- the parts of a rating ---------------------------------------------------------------


def band(intensity: Decimal) -> Band:
    if intensity <= BAND_LOW_MAX:
        return Band.LOW
    return Band.MEDIUM if intensity <= BAND_MEDIUM_MAX else Band.HIGH


def grade(k: Decimal) -> int:
    return next((g for limit, g in GRADE_LIMITS if k <= limit), WORST_GRADE)


def data_quality(c: Candidate) -> tuple[DataQuality, Reason]:
    if not c.verified:
        return DataQuality.C, Reason(code="DATA_QUALITY_C", detail="submitted, not verified")
    total = c.account.emissions.combustion
    unmeasured = [
        item.line
        for item in c.account.combustion
        if total > 0 and item.co2 / total >= MEASURED_SHARE and not {"ncv", "carbon_content"} <= set(item.measured)
    ]
    if unmeasured:
        return DataQuality.B, Reason(code="DATA_QUALITY_B", detail="verified; a major fuel line uses default factors",
                                     values={"lines": ",".join(unmeasured)})  # fmt: skip
    return DataQuality.A, Reason(code="DATA_QUALITY_A", detail="verified; major fuel lines measured")


def _products(account: AccountResult) -> tuple[list[Reason], bool]:
    """Reasons from product levels, and whether every covered product is at 标杆."""
    reasons, all_benchmark = [], True
    for p in account.products:
        if p.level is Level.NOT_COVERED:
            continue
        values = {"product": p.product, "u": str(p.unit_energy_use), "benchmark": str(p.benchmark),
                  "baseline": str(p.baseline), "unit": p.unit}  # fmt: skip
        site_total = Flag.LEVEL_FROM_SITE_TOTAL in p.flags
        if p.level is not Level.BENCHMARK:
            all_benchmark = False
            reasons.append(Reason(code="PRODUCT_NOT_AT_BENCHMARK", detail=f"{p.name} is not at 标杆", values=values))
        if p.level is Level.BELOW_BASELINE:
            code = "SITE_TOTAL_BELOW_BASELINE" if site_total else "PRODUCT_BELOW_BASELINE"
            detail = "below 基准 from a site-total level only: not red" if site_total else f"{p.name} is below 基准"
            reasons.append(Reason(code=code, detail=detail, values=values))
    return reasons, all_benchmark


def _trend(c: Candidate, intensity: Decimal | None) -> tuple[Decimal | None, Decimal | None, Reason]:
    prev = c.previous
    if intensity is None or prev is None or prev.intensity is None or prev.intensity <= 0:
        return None, None, Reason(code="NO_PREVIOUS_YEAR", detail="no comparable previous-year account: no trend")
    previous = _q(prev.intensity, L_PLACES)
    fall = _q(1 - intensity / previous, K_PLACES)
    return previous, fall, Reason(code="TREND", detail="L against last year's filing under this year's factors",
                                  values={"l": str(intensity), "l_previous": str(previous), "fall": str(fall)})  # fmt: skip


def _colour(*, red: bool, gradable: bool, grade_: int | None, all_benchmark: bool, dq: DataQuality) -> Colour:
    if red:
        return Colour.RED
    if not gradable or grade_ is None:
        return Colour.UNRATED
    if grade_ <= DARK_GREEN_MAX_GRADE and all_benchmark and dq in (DataQuality.A, DataQuality.B):
        return Colour.DARK_GREEN
    return Colour.LIGHT_GREEN if grade_ <= LIGHT_GREEN_MAX_GRADE else Colour.YELLOW


def rate(c: Candidate, groups: dict[tuple[PeerBasis, str], PeerGroup]) -> Rating:
    """One enterprise's rating against the round's peer groups."""
    with accounting():
        reasons = ungradable(c.account)
        va = c.account.value_added_wan
        intensity = _q(c.account.emissions.total / va, L_PLACES) if va is not None and va > 0 else None
        group, k, grade_ = None, None, None
        if not reasons:
            group, peer_reason = _peer_group(c, groups)
            reasons.append(peer_reason)
        if group is not None and group.l_industry <= 0:  # Σ CO2 ÷ Σ VA below 0.0000005: no K to form
            reasons.append(Reason(code="PEER_L_INDUSTRY_ZERO", detail="L_industry rounds to 0: not gradable",
                                  values=_group_values(group)))  # fmt: skip
            group = None
        if group is not None and intensity is not None:
            k = _q(intensity / group.l_industry, K_PLACES)
            grade_ = grade(k)
            reasons.append(Reason(code=f"GRADE_{grade_}", detail="碳效等级 by K = L / L_industry",
                                  values={"l": str(intensity), "l_industry": str(group.l_industry), "k": str(k)}))  # fmt: skip
        product_reasons, all_benchmark = _products(c.account)
        reasons += product_reasons
        dq, dq_reason = data_quality(c)
        reasons.append(dq_reason)
        previous, fall, trend_reason = _trend(c, intensity)
        reasons.append(trend_reason)
        red = grade_ == WORST_GRADE or any(r.code == "PRODUCT_BELOW_BASELINE" for r in reasons)
        colour = _colour(red=red, gradable=grade_ is not None, grade_=grade_, all_benchmark=all_benchmark, dq=dq)
        if colour is Colour.YELLOW and fall is not None and fall >= TREND_UPGRADE_MIN_FALL:
            colour = Colour.LIGHT_GREEN
            reasons.append(Reason(code="TREND_UPGRADE", detail="yellow raised to light green by its fall in L",
                                  values={"fall": str(fall), "min_fall": str(TREND_UPGRADE_MIN_FALL),
                                          "provisional": str(TREND_UPGRADE_PROVISIONAL).lower()}))  # fmt: skip
        reasons += [Reason(code=f.value, detail="carried from the account") for f in c.account.flags
                    if f in (Flag.PROVISIONAL_FACTOR, Flag.FACTOR_YEAR_PROXY)]  # fmt: skip
        return Rating(
            methodology_version=VERSION,
            uscc=c.uscc,
            gradable=grade_ is not None,
            intensity=intensity,
            band=band(intensity) if intensity is not None else None,
            peer_group=group,
            k=k,
            grade=grade_,
            previous_intensity=previous,
            fall=fall,
            data_quality=dq,
            colour=colour,
            finance_tier=TIERS[colour],
            pcaf_score=PCAF_VERIFIED if c.verified else PCAF_UNVERIFIED,
            reasons=reasons,
        )
