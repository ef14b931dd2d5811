"""The rating's caveats and, for an unrated certificate, why: in plain Chinese for the face.

Each text is built from the reason's own signed values (scoring.v1 writes them); a code not
listed here is not printed (e.g. GRADE_3 or DATA_QUALITY_A, which the figures already show).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from service.display import intensity, yuan
from service.pdf.model import Note

__all__ = ["UNRATED_CODES", "caveats", "policy_lines", "unrated_reasons"]

BASIS = {"class": "小类", "division": "大类"}


def _percent(fraction: str | None) -> str:
    try:
        return intensity(str(float(fraction or "") * 100), digits=3) + "%"
    except ValueError:
        return "-"


_UNRATED: dict[str, Callable[[dict[str, str]], str]] = {
    "PROCESS_NOT_COVERED": lambda v: (
        f"本行业（{v.get('industry', '')}）的工业过程及原料排放未纳入第 1 版方法核算，排放合计不完整，不予评级。"
    ),
    "PROCESS_NOT_ACCOUNTED": lambda v: (
        f"本行业（{v.get('industry', '')}）的工业过程及原料排放未填报（须按行业核算方法填报过程数据），排放合计不完整，不予评级。"
    ),
    "VALUE_ADDED_NOT_POSITIVE": lambda v: "工业增加值未填报或不大于零，无法计算碳排放强度，不予评级。",
    "CO2_NOT_POSITIVE": lambda v: "二氧化碳排放合计不大于零，无法评级。",
    "PEER_GROUP_TOO_SMALL": lambda v: (
        f"同小类已核查企业 {v.get('class_size', '0')} 家、同大类 {v.get('division_size', '0')} 家，"
        f"均不足 {v.get('min_peers', '5')} 家，无法形成行业基准，不予评级。"
    ),
    "PEER_L_INDUSTRY_ZERO": lambda v: "行业基准碳排放强度修约后为零，无法计算碳效值，不予评级。",
}
UNRATED_CODES = frozenset(_UNRATED)

_CAVEATS: dict[str, Callable[[dict[str, str]], str]] = {
    "PROVISIONAL_FACTOR": lambda v: "部分排放因子或折标系数为暂用值（尚待权威来源确认），正式值发布后数值可能调整。",
    "FACTOR_YEAR_PROXY": lambda v: "评价年度的电网排放因子尚未公布，采用最近公布年度的数值代替。",
    "PEER_DIVISION": lambda v: (
        f"同小类已核查企业仅 {v.get('class_size', '0')} 家（不足 5 家），对标范围放宽至行业大类 "
        f"{v.get('code', '')}（{v.get('size', '')} 家），对标组较小，行业基准代表性有限。"
    ),
    "PEER_REFERENCE": lambda v: (
        f"同小类已核查企业仅 {v.get('class_size', '0')} 家（不足 5 家），采用该小类的官方参考碳排放强度 "
        f"{v.get('l_industry', '')} tCO2/万元（来源：{v.get('source', '')}）作为行业基准。"
    ),
    "REFERENCE_PROVISIONAL": lambda v: "所用行业参考碳排放强度尚未经权威来源确认，为暂用值。",
    "POWER_ABOVE_NATIONAL": lambda v: (
        f"供电煤耗 {v.get('supply_coal_rate', '')} gce/kWh 高于全国煤电平均水平 {v.get('national', '')} gce/kWh。"
    ),
    "TREND_UPGRADE": lambda v: f"碳排放强度较上年下降 {_percent(v.get('fall'))}，颜色由黄色调升为浅绿（暂行规则）。",
    "PRODUCT_BELOW_BASELINE": lambda v: f"{v.get('name') or v.get('product', '')} 单位能耗未达基准水平，评为红色。",
    "SITE_TOTAL_BELOW_BASELINE": lambda v: (
        f"{v.get('name') or v.get('product', '')} 的能效按全厂能耗估算，低于基准，但不据此评为红色。"
    ),
    "DATA_QUALITY_C": lambda v: "数据已提交，尚未经第三方核查。",
    "NO_VALUE_ADDED": lambda v: "未填报工业增加值。",
}


def _texts(notes: Iterable[Note], table: dict[str, Callable[[dict[str, str]], str]]) -> list[str]:
    out: list[str] = []
    for note in notes:
        text = table[note.code](note.values) if note.code in table else None
        if text is not None and text not in out:  # a flag carried twice (account and rating) prints once
            out.append(text)
    return out


def unrated_reasons(notes: Iterable[Note]) -> list[str]:
    """Why the certificate carries no grade."""
    return _texts(notes, _UNRATED)


def caveats(notes: Iterable[Note]) -> list[str]:
    """Every caveat the rating carries."""
    return _texts(notes, _CAVEATS)


def _document(source: dict[str, Any]) -> str:
    """The document's number (its first word, e.g. 发改产业〔2023〕723号) or its title."""
    return str(source.get("document", "")).split(" ")[0].split("（")[0]


def policy_lines(consequences: Iterable[dict[str, Any]], name_of: Callable[[str], str]) -> list[str]:
    """The consequences a rating pinned, as the face prints them: the rule's Chinese title, the
    product, the yuan amount of a surcharge, the source's number; 未经确认 where the source was not read."""
    out = []
    for c in consequences:
        subject = c.get("subject") or {}
        product = name_of(subject["product"]) if subject.get("product") else ""
        text = (f"{product}：" if product else "") + str(c.get("title_zh", ""))
        if c.get("amount_yuan") is not None:
            text += f"，全年加价 {yuan(c['amount_yuan'])} 元"
        text += f"（{_document(c.get('source') or {})}）"
        if c.get("provisional"):
            text += "【依据未经确认】"
        if text not in out:
            out.append(text)
    return out
