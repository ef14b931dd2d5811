"""Rating methodology version 2 (issue 16; docs/methodology.md, "Version 2").

Version 1's bands, grades, colours, tiers, data quality and trend, unchanged (its functions
and constants are reused, so the two cannot drift apart), with three differences:

- every 两高 class is gradable once its process and feedstock emissions are accounted: the
  account's `process_accounted` (v1's coverage, or a process family's lines: GB/T 32151 and the
  NDRC guidelines, docs/accounting.md), else PROCESS_NOT_ACCOUNTED;
- the emissions rated are CO2e where non-CO2 gases are accounted (PFC, N2O at the factor set's
  GWPs), else CO2: E = co2e_total or total, L = E ÷ value added, L_industry = Σ E ÷ Σ VA;
- a class with fewer than MIN_PEERS verified peers in the round is graded against the official
  reference intensity of its class and year when the round pins a set with a row for it (the
  statistics bureau's or the provincial rating authority's, with its source), before the
  division;
- a power or CHP unit whose 供电煤耗 is above the national coal-power level is not at 标杆
  (it cannot be dark green), as a product above its 标杆 is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from domain.accounting import AccountResult, Flag
from domain.numbers import accounting
from domain.reference_intensity import ReferenceIntensityVersion
from scoring import v1
from scoring.model import Candidate, Colour, PeerBasis, PeerGroup, Rating, Reason

__all__ = ["USES_REFERENCE", "VERSION", "emissions_rated", "parameters", "peer_groups", "rate", "ungradable"]

VERSION = "2"
USES_REFERENCE = True  # peer_groups takes the round's reference-intensity set
MIN_PEERS = v1.MIN_PEERS
L_PLACES, K_PLACES = v1.L_PLACES, v1.K_PLACES
Groups = dict[tuple[PeerBasis, str], PeerGroup]


def parameters() -> dict[str, object]:
    """Every threshold, as GET /v1/methodologies/2 serves it: v1's, and what v2 adds."""
    return {
        **v1.parameters(),
        "version": VERSION,
        "emissions": "co2e_total where non-CO2 gases are accounted, else total CO2 (tCO2e / tCO2)",
        "gradable": "process and feedstock emissions accounted (v1 coverage or a process family's lines)",
        "peer_order": ["class", "reference", "division"],
        "power_not_at_benchmark": "供电煤耗 above the factor set's national coal-power level",
    }


def emissions_rated(account: AccountResult) -> Decimal:
    """E: CO2e where non-CO2 gases are accounted, else CO2 (both tonnes)."""
    return account.co2e_total if account.co2e_total is not None else account.emissions.total


def ungradable(account: AccountResult) -> list[Reason]:
    reasons = []
    va, e = account.value_added_wan, emissions_rated(account)
    if va is None or va <= 0:
        reasons.append(Reason(code="VALUE_ADDED_NOT_POSITIVE", detail="value added ≤ 0: no intensity",
                              values={"value_added_wan": str(va)}))  # fmt: skip
    if e <= 0:
        reasons.append(Reason(code="CO2_NOT_POSITIVE", detail="total CO2(e) ≤ 0", values={"co2": str(e)}))
    if not account.process_accounted:
        reasons.append(Reason(code="PROCESS_NOT_ACCOUNTED",
                              detail="the class's process or feedstock emissions are not filed: file its process lines",
                              values={"industry": account.industry}))  # fmt: skip
    return reasons


def _group(basis: PeerBasis, code: str, members: list[Candidate]) -> PeerGroup:
    e = sum((emissions_rated(c.account) for c in members), Decimal(0))
    va = sum((c.account.value_added_wan or Decimal(0) for c in members), Decimal(0))
    return PeerGroup(basis=basis, code=code, size=len(members), co2=e, value_added=va,
                     l_industry=v1._q(e / va, L_PLACES))  # fmt: skip


def peer_groups(candidates: Iterable[Candidate], reference: ReferenceIntensityVersion | None = None) -> Groups:
    """Per class and division over the gradable verified candidates; and, for every class in the
    round that the reference set has a row for, that row as a group of its own."""
    with accounting():
        cands = list(candidates)
        members: dict[tuple[PeerBasis, str], list[Candidate]] = {}
        for c in cands:
            if c.verified and not ungradable(c.account):
                members.setdefault((PeerBasis.CLASS, c.industry), []).append(c)
                members.setdefault((PeerBasis.DIVISION, c.division), []).append(c)
        groups = {key: _group(*key, group) for key, group in members.items()}
        for code in sorted({c.industry for c in cands}) if reference is not None else ():
            pin = reference.pin(code)
            if pin is not None:
                groups[(PeerBasis.REFERENCE, code)] = PeerGroup(
                    basis=PeerBasis.REFERENCE, code=code, size=0, co2=Decimal(0), value_added=Decimal(0),
                    l_industry=v1._q(pin.l_industry, L_PLACES), reference=pin,
                )  # fmt: skip
        return groups


def _values(g: PeerGroup) -> dict[str, str]:
    values = {"basis": g.basis.value, "code": g.code, "size": str(g.size), "l_industry": str(g.l_industry)}
    if g.reference is not None:
        ref = g.reference
        values |= {"set_id": str(ref.set_id), "set_version": str(ref.version), "source": ref.source,
                   "set_source": ref.set_source.document, "confidence": str(ref.confidence)}  # fmt: skip
    return values


def _peer_group(c: Candidate, groups: Groups) -> tuple[PeerGroup | None, Reason]:
    by_class = groups.get((PeerBasis.CLASS, c.industry))
    class_size = str(by_class.size if by_class else 0)
    if by_class is not None and by_class.size >= MIN_PEERS:
        return by_class, Reason(code="PEER_CLASS", detail="peers: the GB/T 4754 class", values=_values(by_class))
    reference = groups.get((PeerBasis.REFERENCE, c.industry))
    if reference is not None:
        return reference, Reason(
            code="PEER_REFERENCE",
            detail=f"fewer than {MIN_PEERS} verified peers in the class: the class's official reference intensity",
            values={**_values(reference), "class_size": class_size},
        )
    by_division = groups.get((PeerBasis.DIVISION, c.division))
    if by_division is not None and by_division.size >= MIN_PEERS:
        return by_division, Reason(
            code="PEER_DIVISION",
            detail=f"fewer than {MIN_PEERS} verified peers in the class and no reference intensity: its division",
            values={**_values(by_division), "class_size": class_size},
        )
    values = {"class_size": class_size, "division_size": str(by_division.size if by_division else 0),
              "min_peers": str(MIN_PEERS), "reference": "none"}  # fmt: skip
    return None, Reason(code="PEER_GROUP_TOO_SMALL",
                        detail=f"fewer than {MIN_PEERS} verified peers in class and division, no reference intensity",
                        values=values)  # fmt: skip


def _trend(c: Candidate, intensity: Decimal | None) -> tuple[Decimal | None, Decimal | None, Reason]:
    prev = c.previous
    va = prev.value_added_wan if prev is not None else None
    if intensity is None or prev is None or va is None or va <= 0 or emissions_rated(prev) <= 0:
        return None, None, Reason(code="NO_PREVIOUS_YEAR", detail="no comparable previous-year account: no trend")
    previous = v1._q(emissions_rated(prev) / va, L_PLACES)
    fall = v1._q(1 - intensity / previous, K_PLACES)
    return previous, fall, Reason(code="TREND", detail="L against last year's filing under this year's factors",
                                  values={"l": str(intensity), "l_previous": str(previous), "fall": str(fall)})  # fmt: skip


def _power(account: AccountResult) -> tuple[list[Reason], bool]:
    reasons = []
    for p in account.power:
        if not p.better_than_national:
            reasons.append(Reason(code="POWER_ABOVE_NATIONAL", detail=f"{p.unit_name}: 供电煤耗 above the national level",
                                  values={"line": p.line, "supply_coal_rate": str(p.supply_coal_rate),
                                          "national": str(p.national_supply_coal_rate), "unit": "gce/kWh"}))  # fmt: skip
    return reasons, not reasons


def rate(c: Candidate, groups: Groups) -> Rating:
    """One enterprise's rating against the round's peer groups (and reference intensities)."""
    with accounting():
        reasons = ungradable(c.account)
        va = c.account.value_added_wan
        e = emissions_rated(c.account)
        intensity = v1._q(e / va, L_PLACES) if va is not None and va > 0 else None
        group, k, grade_ = None, None, None
        if not reasons:
            group, peer_reason = _peer_group(c, groups)
            reasons.append(peer_reason)
        if group is not None and group.l_industry <= 0:
            reasons.append(Reason(code="PEER_L_INDUSTRY_ZERO", detail="L_industry rounds to 0: not gradable",
                                  values=_values(group)))  # fmt: skip
            group = None
        if group is not None and intensity is not None:
            k = v1._q(intensity / group.l_industry, K_PLACES)
            grade_ = v1.grade(k)
            reasons.append(Reason(code=f"GRADE_{grade_}", detail="碳效等级 by K = L / L_industry",
                                  values={"l": str(intensity), "l_industry": str(group.l_industry), "k": str(k)}))  # fmt: skip
        product_reasons, all_benchmark = v1._products(c.account)
        power_reasons, power_ok = _power(c.account)
        reasons += product_reasons + power_reasons
        dq, dq_reason = v1.data_quality(c)
        reasons.append(dq_reason)
        previous, fall, trend_reason = _trend(c, intensity)
        reasons.append(trend_reason)
        red = grade_ == v1.WORST_GRADE or any(r.code == "PRODUCT_BELOW_BASELINE" for r in reasons)
        colour = v1._colour(red=red, gradable=grade_ is not None, grade_=grade_,
                            all_benchmark=all_benchmark and power_ok, dq=dq)  # fmt: skip
        if colour is Colour.YELLOW and fall is not None and fall >= v1.TREND_UPGRADE_MIN_FALL:
            colour = Colour.LIGHT_GREEN
            reasons.append(Reason(code="TREND_UPGRADE", detail="yellow raised to light green by its fall in L",
                                  values={"fall": str(fall), "min_fall": str(v1.TREND_UPGRADE_MIN_FALL),
                                          "provisional": str(v1.TREND_UPGRADE_PROVISIONAL).lower()}))  # fmt: skip
        if group is not None and group.reference is not None and group.reference.provisional:
            reasons.append(Reason(code="REFERENCE_PROVISIONAL", detail="the reference intensity is not confirmed",
                                  values={"confidence": str(group.reference.confidence)}))  # fmt: skip
        reasons += [Reason(code=f.value, detail="carried from the account") for f in c.account.flags
                    if f in (Flag.PROVISIONAL_FACTOR, Flag.FACTOR_YEAR_PROXY)]  # fmt: skip
        return Rating(
            methodology_version=VERSION,
            uscc=c.uscc,
            gradable=grade_ is not None,
            intensity=intensity,
            band=v1.band(intensity) if intensity is not None else None,
            peer_group=group,
            k=k,
            grade=grade_,
            previous_intensity=previous,
            fall=fall,
            data_quality=dq,
            colour=colour,
            finance_tier=v1.TIERS[colour],
            pcaf_score=v1.PCAF_VERIFIED if c.verified else v1.PCAF_UNVERIFIED,
            reasons=reasons,
        )
