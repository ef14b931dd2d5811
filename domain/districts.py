"""Zibo's county-level divisions (GB/T 2260, 3703xx) and its functional zones.

Source: GB/T 2260 codes as published by the Ministry of Civil Affairs (民政部 县级以上
行政区划代码, 2023): 淄博市 370300 and its eight county-level divisions. Functional
zones overlap counties, so they are recorded beside the district, never instead of it.
"""

from __future__ import annotations

from domain.errors import InvalidField

__all__ = ["DISTRICTS", "ZONES", "validate_district", "validate_zone"]

DISTRICTS: dict[str, str] = {
    "370302": "淄川区",
    "370303": "张店区",
    "370304": "博山区",
    "370305": "临淄区",
    "370306": "周村区",
    "370321": "桓台县",
    "370322": "高青县",
    "370323": "沂源县",
}

# The city's functional zones (淄博市人民政府 设立的功能区); codes are the project's own.
ZONES: dict[str, str] = {
    "high_tech": "淄博高新技术产业开发区",
    "economic_development": "淄博经济开发区",
    "wenchanghu": "文昌湖省级旅游度假区",
}


def validate_district(code: str) -> str:
    if code not in DISTRICTS:
        raise InvalidField("district", f"{code!r} is not a Zibo county-level division (3703xx): {sorted(DISTRICTS)}")
    return code


def validate_zone(code: str | None) -> str | None:
    if code is not None and code not in ZONES:
        raise InvalidField("zone", f"{code!r} is not a Zibo functional zone: {sorted(ZONES)}")
    return code
