"""What a certificate shows: everything is read from the signed rating, nothing recomputed."""

from __future__ import annotations

import datetime as dt

import msgspec

__all__ = ["CertificateData", "ProductLevel"]


class ProductLevel(msgspec.Struct, frozen=True, kw_only=True):
    name: str  # e.g. 水泥熟料
    unit: str  # the indicator's unit, e.g. kgce/t
    unit_energy_use: str | None  # decimal as string
    benchmark: str | None  # 标杆
    baseline: str | None  # 基准
    level: str  # benchmark | baseline | below_baseline | not_covered


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
    issued_on: dt.date
    valid_until: dt.date
    rating_key_id: str  # the kid of the rating token
    rating_token_sha256: str  # SHA-256 (hex) of the full rating token
