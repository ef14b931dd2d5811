"""Every colour's certificate face, as a reader sees it (issue 21.4, 21.5).

Each face is rendered, drawn to PNG by poppler (pdftoppm) and read back by pdfplumber: the
colour band has its colour, the page is neither blank nor spilling over its margins, no two
text runs overlap (a long product name wraps instead of printing over the unit energy), the
seal sits clear of the text, and the figures say what the rating says: 未核算 where process CO2
is not accounted (with a total marked 不含工业过程), the caveats in Chinese, Beijing dates, the
validity qualified, the key id and hash lines at 7 pt or more in dark ink.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from service.certificates.issue import beijing_date
from service.pdf.fonts import find_cjk_font
from service.pdf.layout import COLOURS, render
from service.pdf.model import CertificateData, Note, PeerGroupLine, ProductLevel
from tests.imaging import ink, pdf_to_png


def seal_png(size: int = 240) -> bytes:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=(200, 0, 0, 255), width=size // 24)
    draw.regular_polygon((size / 2, size / 2, size / 6), 5, fill=(200, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


LONG_NAMES = [
    ProductLevel(name="烧碱(离子膜法液碱≥30%)", unit="kgce/t", unit_energy_use="318.24", benchmark="315",
                 baseline="330", level="baseline"),
    ProductLevel(name="平板玻璃(生产能力500-800 t/d)", unit="kgoe/(t·能量因数)", unit_energy_use="12.345",
                 benchmark="11", baseline="13.5", level="below_baseline", site_total=True),
    ProductLevel(name="合成氨(非优质无烟块煤、型煤)", unit="kgce/t", unit_energy_use="1412.6", benchmark="1350",
                 baseline="1550", level="baseline"),
]  # fmt: skip
PEERS = PeerGroupLine(basis="division", code="30", size=12, l_industry="1.150000")
CAVEATS = [
    Note(code="PROVISIONAL_FACTOR"),
    Note(code="FACTOR_YEAR_PROXY"),
    Note(code="PEER_DIVISION", values={"basis": "division", "code": "30", "size": "12", "class_size": "3"}),
]
FACES: dict[str, dict[str, Any]] = {
    "dark_green": {"grade": 1, "band": "low", "finance_tier": "preferential", "k": "0.6500", "notes": CAVEATS[:1]},
    "light_green": {"grade": 3, "band": "medium", "finance_tier": "eligible", "notes": CAVEATS},
    "yellow": {"grade": 4, "band": "medium", "finance_tier": "watch", "k": "1.2000",
               "notes": [Note(code="FACTOR_YEAR_PROXY")], "fall": None, "intensity_previous": None},
    "red": {"grade": 3, "band": "high", "finance_tier": "restricted", "products": LONG_NAMES,
            "notes": [Note(code="PRODUCT_BELOW_BASELINE", values={"product": "x", "name": "平板玻璃(生产能力500-800 t/d)"})]},
    "unrated": {"grade": None, "finance_tier": "unrated", "k": None, "peer_group": None, "process_covered": False,
                "industry": "2612 无机碱制造", "co2_process": "0",
                "notes": [Note(code="PROCESS_NOT_COVERED", values={"industry": "2612"}), Note(code="PROVISIONAL_FACTOR")]},
}  # fmt: skip


POLICY_LINES = [
    "平板玻璃(生产能力500-800 t/d)：能效低于基准水平：2025年底前完成技术改造（发改产业〔2023〕723号）",
    "平板玻璃(生产能力500-800 t/d)：两高企业2025年底前全部达到能效基准水平（淄博市碳达峰方案）（淄博市碳达峰工作方案）【依据未经确认】",
    "电解铝(铝液)：电解铝阶梯电价：铝液综合交流电耗高于13650千瓦时/吨，每超20千瓦时加价0.01元/千瓦时，全年加价 27,400,000.00 元（发改价格〔2021〕1239号）",
    "碳效评价红色（限制类）：不适用绿色信贷优惠（本平台碳效评价方法）",
]


def test_the_policy_consequences_print_in_the_notes(faces: dict[str, Path]) -> None:
    with pdfplumber.open(faces["policy"]) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
    assert "政策后果（政策集第 1 版）：" in text and "【依据未经确认】" in text
    assert (
        "27,400,000.00 元" not in text and "另有 2 项政策后果，见平台政策清单。" in text
    )  # two print, the rest counted


def face(colour: str, **overrides: Any) -> CertificateData:
    base: dict[str, Any] = {
        "certificate_no": "ZB-7K3Q-9M2X-HD4T-PW8V",
        "verify_url": "https://carbon.zibo.gov.cn/verify/ZB-7K3Q-9M2X-HD4T-PW8V",
        "enterprise_name": "淄博鲁中建材化工集团股份有限公司第二分公司(演示)",
        "uscc": "91370302MA3C8XYZ1K",
        "district": "淄川区",
        "industry": "3011 水泥制造",
        "year": 2024,
        "colour": colour,
        "band": "medium",
        "energy_tce": "1285432.1000",
        "co2_total": "3120000.0000",
        "co2_combustion": "2062000.0000",
        "co2_process": "948000.0000",
        "co2_electricity": "111000.0000",
        "co2_heat": "0.0000",
        "co2_captured": "1000.0000",
        "intensity": "1.200000",
        "k": "1.0435",
        "products": LONG_NAMES[:2],
        "data_quality": "B",
        "methodology_version": "1",
        "issued_on": dt.date(2025, 12, 3),
        "valid_until": dt.date(2027, 6, 30),
        "rating_key_id": "rating-2025-11-3f9a0c1d",
        "rating_token_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "issuer_name": "淄博市碳效评价中心",
        "seal_png": seal_png(),
        "value_added_wan": "2600000.00",
        "peer_group": PEERS,
        "intensity_previous": "1.300000",
        "fall": "0.0769",
    }
    return CertificateData(**(base | FACES[colour] | overrides))


@pytest.fixture(scope="module")
def font() -> str:
    path = find_cjk_font(None)
    assert path is not None
    return path


@pytest.fixture(scope="module")
def faces(font: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("faces")
    paths = {}
    for colour in FACES:
        paths[colour] = folder / f"{colour}.pdf"
        paths[colour].write_bytes(render(face(colour), font))
    crowded = face("light_green", products=LONG_NAMES * 6)  # more rows than the page holds
    paths["crowded"] = folder / "crowded.pdf"
    paths["crowded"].write_bytes(render(crowded, font))
    policy = face("red", policy_set_version=1, policy=POLICY_LINES)  # a red face with the consequences it pinned
    paths["policy"] = folder / "policy.pdf"
    paths["policy"].write_bytes(render(policy, font))
    return paths


@pytest.mark.parametrize("colour", list(FACES))
def test_each_colour_draws_a_full_page_with_its_band(faces: dict[str, Path], colour: str) -> None:
    png = pdf_to_png(faces[colour])
    picture = ink(png)
    assert picture.size == (827, 1170) or picture.size == (827, 1169), picture.size  # A4 at 100 dpi
    assert picture.bbox is not None and 0.03 < picture.inked < 0.5, picture.inked  # neither blank nor a smear
    left, top, right, bottom = picture.bbox
    margin = 827 * 24 / 595  # nothing nearer the edge than a third of an inch
    assert left >= margin and top >= margin and right <= 827 - margin and bottom <= picture.size[1] - margin
    fill = COLOURS[colour][0]
    expected = tuple(round(v * 255) for v in (fill.red, fill.green, fill.blue))
    band = picture.pixel(0.5, 0.265)  # the band's middle, right of its words
    assert all(abs(a - b) <= 6 for a, b in zip(band, expected, strict=True)), (band, expected)


def _runs(page: Any) -> list[tuple[str, float, float, float, float]]:
    """Text runs as drawn: consecutive characters on one baseline, each starting where the last ended."""
    runs: list[list[Any]] = []
    for ch in page.chars:
        last = runs[-1][-1] if runs else None
        if (
            last
            and abs(ch["top"] - last["top"]) < 0.2
            and ch["size"] == last["size"]
            and abs(ch["x0"] - last["x1"]) < 0.6
        ):
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return [("".join(c["text"] for c in run), min(c["x0"] for c in run), min(c["top"] for c in run),
             max(c["x1"] for c in run), max(c["bottom"] for c in run)) for run in runs]  # fmt: skip


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.3 and min(a[3], b[3]) - max(a[1], b[1]) > 0.3


@pytest.mark.parametrize("name", [*FACES, "crowded", "policy"])
def test_no_two_text_runs_overlap_nor_touch_the_seal(faces: dict[str, Path], name: str) -> None:
    with pdfplumber.open(faces[name]) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        runs = _runs(page)
        assert len(runs) > 60
        clashes = [(a[0], b[0]) for a, b in combinations(runs, 2) if _overlap(a[1:], b[1:])]
        assert clashes == []
        images = [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
        assert len(images) == 1  # the seal
        assert [r[0] for r in runs if _overlap(r[1:], images[0])] == []
        assert all(r[1] >= 0 and r[3] <= page.width and r[2] >= 0 and r[4] <= page.height for r in runs)


def test_a_long_product_name_wraps_before_the_unit_energy_column(faces: dict[str, Path]) -> None:
    with pdfplumber.open(faces["red"]) as pdf:
        words = pdf.pages[0].extract_words(keep_blank_chars=True, use_text_flow=True)
    header = next(w for w in words if w["text"] == "单位能耗")
    footer = next(w for w in words if w["text"].startswith("发证机构"))
    rows = [w for w in words if header["top"] + 12 < w["top"] < footer["top"] - 5 and not w["text"].startswith("*")]
    name_parts = [w for w in rows if w["x0"] < header["x0"] - 40]
    assert any("烧碱(离子膜法液碱≥30%)" in w["text"] for w in name_parts)
    assert all(w["x1"] < header["x0"] for w in name_parts), name_parts  # left of the figures
    text = "".join(w["text"] for w in name_parts)
    assert "平板玻璃(生产能力500-800" in text and "合成氨(非优质无烟块煤、型煤)" in text.replace(" ", "")


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[0].extract_text()


def test_the_unrated_face_says_why_and_does_not_print_process_as_zero(faces: dict[str, Path]) -> None:
    text = _text(faces["unrated"])
    assert "未评原因" in text and "工业过程及原料排放未纳入第 1 版方法核算" in text
    assert "未核算" in text and "3,120,000 (不含工业过程)" in text
    assert re.findall(r"(?<!不含)工业过程 (\S+)", text) == ["未核算"]  # the label's value, not 0
    assert "碳效水平 -" in text  # no band from an incomplete total
    assert "未核算" not in _text(faces["light_green"]) and "948,000" in _text(faces["light_green"])


def test_the_face_carries_issuer_figures_peers_trend_and_every_caveat(faces: dict[str, Path]) -> None:
    text = _text(faces["light_green"])
    for expected in (
        "淄博市碳效评价中心",  # the issuing authority
        "2,600,000 万元",  # value added, thousands grouped
        "1.150 tCO2/万元",  # L_industry
        "行业大类 30，12 家企业",  # its peer group
        "较上年下降 7.69%",  # the trend
        "部分排放因子或折标系数为暂用值",  # PROVISIONAL_FACTOR
        "采用最近公布年度的数值代替",  # FACTOR_YEAR_PROXY
        "对标范围放宽至行业大类 30（12 家）",  # the small peer group
        "2025年12月3日",
        "或下一年度评价发布之日",
        "1,285,432 tce",
    ):
        assert expected in text, expected
    assert "无可比上年数据" in _text(faces["yellow"])
    assert "平板玻璃(生产能力500-800 t/d) 单位能耗未达基准水平" in _text(faces["red"]).replace("\n", "")


def test_the_key_id_and_hash_lines_are_readable_when_printed(faces: dict[str, Path]) -> None:
    with pdfplumber.open(faces["dark_green"]) as pdf:
        chars = pdf.pages[0].chars
    for needle in (face("dark_green").rating_key_id, face("dark_green").rating_token_sha256, "ZB-7K3Q"):
        text = "".join(c["text"] for c in chars)
        start = text.index(needle)
        for c in chars[start : start + len(needle)]:
            assert c["size"] >= 7, c
            colour = c["non_stroking_color"]
            grey = sum(colour) / len(colour) if isinstance(colour, tuple | list) else colour
            assert grey <= 0.4, c  # dark ink, not pale grey


def test_dates_are_beijing_dates() -> None:
    five_am_in_beijing = dt.datetime(2025, 12, 2, 21, 0, tzinfo=dt.UTC)  # 05:00 on 3 December, +08:00
    assert beijing_date(five_am_in_beijing) == dt.date(2025, 12, 3)
    assert beijing_date(dt.datetime(2025, 12, 3, 15, 59, tzinfo=dt.UTC)) == dt.date(2025, 12, 3)
    assert beijing_date(dt.datetime(2025, 12, 3, 16, 0, tzinfo=dt.UTC)) == dt.date(2025, 12, 4)
