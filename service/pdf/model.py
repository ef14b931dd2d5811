"""What a certificate shows: everything is read from the signed rating, nothing recomputed.

Fields added after the first layout carry defaults, so an older CertificateData still renders.
"""

from __future__ import annotations

import datetime as dt

import msgspec

__all__ = ["CertificateData", "Note", "PeerGroupLine", "ProductLevel"]


class ProductLevel(msgspec.Struct, frozen=True, kw_only=True):
    name: str  # e.g. 水泥熟料
    unit: str  # the indicator's unit, e.g. kgce/t
    unit_energy_use: str | None  # decimal as string
    benchmark: str | None  # 标杆
    baseline: str | None  # 基准
    level: str  # benchmark | baseline | below_baseline | not_covered
    site_total: bool = False  # the level is from the whole site's energy (LEVEL_FROM_SITE_TOTAL)


class Note(msgspec.Struct, frozen=True, kw_only=True):
    """One of the rating's reasons or the account's flags, printed in Chinese by service.pdf.notes."""

    code: str  # e.g. PROVISIONAL_FACTOR, PEER_DIVISION, PROCESS_NOT_COVERED
    values: dict[str, str] = {}


class PeerGroupLine(msgspec.Struct, frozen=True, kw_only=True):
    """The peers L_industry was formed over (the rating's `peer_group`)."""

    basis: str  # class (GB/T 4754 4-digit) | division (2-digit)
    code: str  # e.g. 3011 or 30
    size: int  # enterprises in the group
    l_industry: str  # Σ CO2 ÷ Σ value added, tCO2/万元


class CertificateData(msgspec.Struct, frozen=True, kw_only=True):
    certificate_no: str  # ≥ 80 random bits, printed and in the QR code
    verify_url: str  # what the QR code opens: {public_base_url}/verify/{certificate_no}
    enterprise_name: str
    uscc: str
    district: str  # name, e.g. 张店区
    industry: str  # GB/T 4754 class and name, e.g. 3011 水泥制造
    year: int
    colour: str  # dark_green | light_green | yellow | red | unrated
    grade: int | None
    band: str | None  # low | medium | high (低/中/高碳)
    finance_tier: str
    energy_tce: str
    co2_total: str
    co2_combustion: str
    co2_process: str
    co2_electricity: str
    co2_heat: str
    co2_captured: str
    intensity: str | None  # L, tCO2/万元
    k: str | None
    products: list[ProductLevel]
    data_quality: str  # A | B | C
    methodology_version: str
    issued_on: dt.date  # in Beijing time (Asia/Shanghai)
    valid_until: dt.date  # in Beijing time; or until the next year's rating is published
    rating_key_id: str  # the kid of the rating token
    rating_token_sha256: str  # SHA-256 (hex) of the full rating token
    issuer_name: str = ""  # the rating authority's organisation (发证机构)
    seal_png: bytes | None = None  # the seal it uploaded (PUT /v1/rating-authority/seal)
    value_added_wan: str | None = None  # 工业增加值, 万元
    peer_group: PeerGroupLine | None = None
    intensity_previous: str | None = None  # L′(Y−1) under this year's factors: the trend
    fall: str | None = None  # 1 − L / L′(Y−1)
    process_covered: bool = True  # False: PROCESS_NOT_COVERED, process CO2 not accounted
    notes: list[Note] = []  # every caveat and, when unrated, why
    policy: list[str] = []  # the consequences the rating pinned (政策集成), one line each, in Chinese
    policy_set_version: int | None = None
