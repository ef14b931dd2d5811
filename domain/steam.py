"""Specific enthalpy of water and steam, so that steam filed in tonnes can be counted in GJ.

Source: IAPWS R7-97(2012), Revised Release on the IAPWS Industrial Formulation 1997 for the
Thermodynamic Properties of Water and Steam. Region 1 (compressed liquid) and region 2
(superheated vapour) give h from p and T; the region 4 saturation-pressure equation and the
B23 boundary equation decide which applies. Region 3 (near the critical point) is not
implemented and is refused, as is a state on the saturation line, where p and T do not
determine h. Everything is Decimal at 40 digits: the coefficients are the release's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, Inexact, localcontext

from domain.errors import InvalidField

__all__ = ["saturation_pressure_mpa", "steam_enthalpy", "steam_heat_gj"]

_D = Decimal
_PRECISION = 40
_MILLI = _D("0.001")
_ZERO_CELSIUS_K = _D("273.15")
_R = _D("0.461526")  # kJ/(kg·K), specific gas constant of water (Eq. 1)
_FEED_WATER_H = _D("83.74")  # kJ/kg, the reference enthalpy subtracted per tonne
_P_MAX, _T_MIN_C, _T_MAX_C = _D(100), _D(0), _D(800)
_T_13 = _D("623.15")  # K, top of region 1 and of the region 2 / region 4 boundary
_T_CRITICAL = _D("647.096")  # K, end of the saturation line
_SATURATION_TOLERANCE = _D("1e-9")

# Table 1: coefficients n1..n3 of the B23 boundary equation (Eq. 5), p in MPa, T in K.
_B23 = (_D("0.34805185628969E3"), _D("-0.11671859879975E1"), _D("0.10192970039326E-2"))

# Table 34: coefficients n1..n10 of the saturation-pressure equation (Eq. 30).
_SAT = tuple(
    _D(n)
    for n in (
        "0.11670521452767E4",
        "-0.72421316703206E6",
        "-0.17073846940092E2",
        "0.12020824702470E5",
        "-0.32325550322333E7",
        "0.14915108613530E2",
        "-0.48232657361591E4",
        "0.40511340542057E6",
        "-0.23855557567849",
        "0.65017534844798E3",
    )
)

_Terms = tuple[tuple[int, int, Decimal], ...]


def _table(rows: Iterable[tuple[int, int, str]]) -> _Terms:
    return tuple((i, j, _D(n)) for i, j, n in rows)


# Table 2: I_i, J_i, n_i of the region 1 dimensionless Gibbs free energy (Eq. 7).
_REGION1 = _table(
    [
        (0, -2, "0.14632971213167"),
        (0, -1, "-0.84548187169114"),
        (0, 0, "-0.37563603672040E1"),
        (0, 1, "0.33855169168385E1"),
        (0, 2, "-0.95791963387872"),
        (0, 3, "0.15772038513228"),
        (0, 4, "-0.16616417199501E-1"),
        (0, 5, "0.81214629983568E-3"),
        (1, -9, "0.28319080123804E-3"),
        (1, -7, "-0.60706301565874E-3"),
        (1, -1, "-0.18990068218419E-1"),
        (1, 0, "-0.32529748770505E-1"),
        (1, 1, "-0.21841717175414E-1"),
        (1, 3, "-0.52838357969930E-4"),
        (2, -3, "-0.47184321073267E-3"),
        (2, 0, "-0.30001780793026E-3"),
        (2, 1, "0.47661393906987E-4"),
        (2, 3, "-0.44141845330846E-5"),
        (2, 17, "-0.72694996297594E-15"),
        (3, -4, "-0.31679644845054E-4"),
        (3, 0, "-0.28270797985312E-5"),
        (3, 6, "-0.85205128120103E-9"),
        (4, -5, "-0.22425281908000E-5"),
        (4, -2, "-0.65171222895601E-6"),
        (4, 10, "-0.14341729937924E-12"),
        (5, -8, "-0.40516996860117E-6"),
        (8, -11, "-0.12734301741641E-8"),
        (8, -6, "-0.17424871230634E-9"),
        (21, -29, "-0.68762131295531E-18"),
        (23, -31, "0.14478307828521E-19"),
        (29, -38, "0.26335781662795E-22"),
        (30, -39, "-0.11947622640071E-22"),
        (31, -40, "0.18228094581404E-23"),
        (32, -41, "-0.93537087292458E-25"),
    ]
)

# Table 10: J0_i, n0_i of the ideal-gas part of region 2 (Eq. 16); I is unused (0).
_REGION2_IDEAL = _table(
    [
        (0, 0, "-0.96927686500217E1"),
        (0, 1, "0.10086655968018E2"),
        (0, -5, "-0.56087911283020E-2"),
        (0, -4, "0.71452738081455E-1"),
        (0, -3, "-0.40710498223928"),
        (0, -2, "0.14240819171444E1"),
        (0, -1, "-0.43839511319450E1"),
        (0, 2, "-0.28408632460772"),
        (0, 3, "0.21268463753307E-1"),
    ]
)

# Table 11: I_i, J_i, n_i of the residual part of region 2 (Eq. 17).
_REGION2_RESIDUAL = _table(
    [
        (1, 0, "-0.17731742473213E-2"),
        (1, 1, "-0.17834862292358E-1"),
        (1, 2, "-0.45996013696365E-1"),
        (1, 3, "-0.57581259083432E-1"),
        (1, 6, "-0.50325278727930E-1"),
        (2, 1, "-0.33032641670203E-4"),
        (2, 2, "-0.18948987516315E-3"),
        (2, 4, "-0.39392777243355E-2"),
        (2, 7, "-0.43797295650573E-1"),
        (2, 36, "-0.26674547914087E-4"),
        (3, 0, "0.20481737692309E-7"),
        (3, 1, "0.43870667284435E-6"),
        (3, 3, "-0.32277677238570E-4"),
        (3, 6, "-0.15033924542148E-2"),
        (3, 35, "-0.40668253562649E-1"),
        (4, 1, "-0.78847309559367E-9"),
        (4, 2, "0.12790717852285E-7"),
        (4, 3, "0.48225372718507E-6"),
        (5, 7, "0.22922076337661E-5"),
        (6, 3, "-0.16714766451061E-10"),
        (6, 16, "-0.21171472321355E-2"),
        (6, 35, "-0.23895741934104E2"),
        (7, 0, "-0.59059564324270E-17"),
        (7, 11, "-0.12621808899101E-5"),
        (7, 25, "-0.38946842435739E-1"),
        (8, 8, "0.11256211360459E-10"),
        (8, 36, "-0.82311340897998E1"),
        (9, 13, "0.19809712802088E-7"),
        (10, 4, "0.10406965210174E-18"),
        (10, 10, "-0.10234747095929E-12"),
        (10, 14, "-0.10018179379511E-8"),
        (16, 29, "-0.80882908646985E-10"),
        (16, 50, "0.10693031879409"),
        (18, 57, "-0.33662250574171"),
        (20, 20, "0.89185845355421E-24"),
        (20, 35, "0.30629316876232E-12"),
        (20, 48, "-0.42002467698208E-5"),
        (21, 21, "-0.59056029685639E-25"),
        (22, 53, "0.37826947613457E-5"),
        (23, 39, "-0.12768608934681E-14"),
        (24, 26, "0.73087610595061E-28"),
        (24, 40, "0.55414715350778E-16"),
        (24, 58, "-0.94369707241210E-6"),
    ]
)


def _d_dtau(terms: _Terms, pi_term: Decimal, tau_term: Decimal) -> Decimal:
    """Σ n·x^I·J·y^(J−1): the τ-derivative shared by Eqs. 7, 16 and 17 (terms with J = 0 vanish)."""
    return sum((n * pi_term**i * j * tau_term ** (j - 1) for i, j, n in terms if j), _D(0))


def _region1_h(p: Decimal, t: Decimal) -> Decimal:
    """h = R·T·τ·γ_τ with π = p/16.53 MPa, τ = 1386 K/T (Table 3)."""
    tau = _D(1386) / t
    gamma_tau = _d_dtau(_REGION1, _D("7.1") - p / _D("16.53"), tau - _D("1.222"))
    return _R * t * tau * gamma_tau


def _region2_h(p: Decimal, t: Decimal) -> Decimal:
    """h = R·T·τ·(γ°_τ + γʳ_τ) with π = p/1 MPa, τ = 540 K/T (Table 12); ln π drops out of h."""
    tau = _D(540) / t
    ideal = _d_dtau(_REGION2_IDEAL, _D(1), tau)
    residual = _d_dtau(_REGION2_RESIDUAL, p, tau - _D("0.5"))
    return _R * t * tau * (ideal + residual)


def _b23_pressure(t: Decimal) -> Decimal:
    """Eq. 5: the pressure of the region 2 / region 3 boundary above 623.15 K."""
    n1, n2, n3 = _B23
    return n1 + n2 * t + n3 * t * t


def saturation_pressure_mpa(temperature_k: Decimal) -> Decimal:
    """Eq. 30: p_sat(T) in MPa, valid from 273.15 K to the critical point 647.096 K."""
    if not temperature_k.is_finite() or not _ZERO_CELSIUS_K <= temperature_k <= _T_CRITICAL:
        raise InvalidField("temperature_k", "saturation is defined from 273.15 K to 647.096 K")
    n = _SAT
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        theta = temperature_k + n[8] / (temperature_k - n[9])
        a = theta * theta + n[0] * theta + n[1]
        b = n[2] * theta * theta + n[3] * theta + n[4]
        c = n[5] * theta * theta + n[6] * theta + n[7]
        return (2 * c / (-b + (b * b - 4 * a * c).sqrt())) ** 4


def _refuse_outside_ranges(p: Decimal, t_c: Decimal) -> None:
    if not p.is_finite() or not _D(0) < p <= _P_MAX:
        raise InvalidField("pressure_mpa", "absolute pressure must be above 0 and at most 100 MPa")
    if not t_c.is_finite() or not _T_MIN_C <= t_c <= _T_MAX_C:
        raise InvalidField("temperature_c", "temperature must be from 0 °C to 800 °C")


def _enthalpy(p: Decimal, t: Decimal) -> Decimal:
    """Pick the IF97 region (Sections 4 and 5.1) and evaluate h there, at full precision."""
    if t <= _T_13:
        p_sat = saturation_pressure_mpa(t)
        if abs(p - p_sat) < _SATURATION_TOLERANCE * p_sat:
            raise InvalidField(
                "pressure_mpa",
                f"{p} MPa is the saturation pressure at {t - _ZERO_CELSIUS_K} °C, where the enthalpy of "
                "wet steam is undetermined; file the steam's enthalpy, or a superheated or subcooled state",
            )
        return _region1_h(p, t) if p > p_sat else _region2_h(p, t)
    if p > _b23_pressure(t):
        raise InvalidField(
            "pressure_mpa",
            "the state lies in IF97 region 3 (near the critical point), which is not supported; "
            "file the steam's enthalpy instead",
        )
    return _region2_h(p, t)


def steam_enthalpy(pressure_mpa: Decimal, temperature_c: Decimal) -> Decimal:
    """Specific enthalpy in kJ/kg at absolute pressure (MPa) and temperature (°C), to 0.001 kJ/kg."""
    _refuse_outside_ranges(pressure_mpa, temperature_c)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        h = _enthalpy(pressure_mpa, temperature_c + _ZERO_CELSIUS_K)
        return h.quantize(_MILLI, rounding=ROUND_HALF_EVEN)


def steam_heat_gj(tonnes: Decimal, pressure_mpa: Decimal, temperature_c: Decimal) -> Decimal:
    """GJ = t × (h − 83.74 kJ/kg) ÷ 1000, exact: the precision is sized to the operands."""
    if not tonnes.is_finite():
        raise InvalidField("tonnes", "must be a finite number")
    delta = steam_enthalpy(pressure_mpa, temperature_c) - _FEED_WATER_H
    with localcontext() as ctx:
        ctx.prec = len(tonnes.as_tuple().digits) + len(delta.as_tuple().digits) + 1
        ctx.traps[Inexact] = True
        return tonnes * delta / 1000
