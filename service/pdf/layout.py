"""One A4 page per rating, drawn on a reportlab canvas: Chinese with English sub-headings.

Deterministic: the same CertificateData gives the same bytes (invariant mode, the document
dates set from the issue date), so a certificate can be re-rendered and compared. The QR
code is segno's matrix drawn as one filled path (reportlab's QR widget is 2-4x slower).
Figures arrive exact, as signed; they are rounded here, for the reader, by service.display's rule.
No two text runs overlap (tests/integration/test_certificate_faces.py checks every colour):
long names wrap within their column, and the rows below move down.
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from service.display import intensity, tonnes
from service.pdf.fonts import register_font
from service.pdf.model import CertificateData
from service.pdf.notes import caveats, unrated_reasons

__all__ = ["render", "wrap"]

W, H = A4
M = 42.0  # margin
GREY, INK, RULE = HexColor("#555555"), HexColor("#222222"), HexColor("#c8c8c8")
COLOURS = {  # colour: (fill, text colour, 中文, English)
    "dark_green": (HexColor("#1b7f3b"), white, "深绿", "Dark green"),
    "light_green": (HexColor("#7cc47f"), black, "浅绿", "Light green"),
    "yellow": (HexColor("#f2c94c"), black, "黄", "Yellow"),
    "red": (HexColor("#d64541"), white, "红", "Red"),
    "unrated": (HexColor("#9e9e9e"), white, "未评", "Unrated"),
}
BANDS = {"low": ("低碳", "low-carbon"), "medium": ("中碳", "medium-carbon"), "high": ("高碳", "high-carbon")}
TIERS = {"preferential": "优先支持", "eligible": "支持", "watch": "关注", "restricted": "限制", "unrated": "未评"}
LEVELS = {
    "benchmark": "标杆水平",
    "baseline": "标杆与基准之间",
    "below_baseline": "低于基准",
    "not_covered": "未覆盖",
}
QUALITY = {"A": "A 已核查，实测参数", "B": "B 已核查", "C": "C 已提交，未核查"}
BASIS = {"class": ("小类", "class"), "division": ("大类", "division"), "reference": ("小类", "reference")}
ROW = 20.0  # a label row: 10 pt Chinese over its 6.5 pt English sub-heading
INCOMPLETE = "不含工业过程"
VALID_QUALIFIER = "或下一年度评价发布之日 (or next year's rating, if sooner)"


def render(data: CertificateData, font_path: str) -> bytes:
    """The certificate as PDF bytes; the font is embedded as a TrueType subset."""
    font = register_font(font_path)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, lang="zh-CN", initialFontName=font)
    stamp = f"D:{data.issued_on:%Y%m%d}000000+08'00'"
    c.setDateFormatter(lambda *_: stamp)  # CreationDate/ModDate: the issue date, not the clock
    c.setTitle(f"碳效评价证书 {data.certificate_no}")
    c.setSubject(f"{data.enterprise_name} {data.year}")
    c.setAuthor(data.issuer_name or "淄博市碳账户 Zibo carbon account")
    c.setCreator("carbon-account")
    y = _header(c, font, data)
    y = _identity(c, font, data, y)
    y = _colour_band(c, font, data, y)
    y = _figures(c, font, data, y)
    y = _notes(c, font, data, y)
    _products(c, font, data, y)
    _footer(c, font, data)
    c.showPage()
    c.save()
    return buf.getvalue()


def wrap(s: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaks within `width`: between any two Chinese characters, at spaces in Latin."""
    lines, line = [], ""
    for token in _tokens(s):
        if line and stringWidth((line + token).rstrip(), font, size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines or [""]


def _tokens(s: str) -> list[str]:
    """Latin words (with their trailing space) stay whole; every other character stands alone."""
    tokens: list[str] = []
    for ch in s:
        word = ch.isascii() and not ch.isspace()
        in_word = bool(tokens) and tokens[-1][-1].isascii() and not tokens[-1][-1].isspace()
        if (word and in_word) or (tokens and ch == " "):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _text(c: Canvas, font: str, x: float, y: float, s: str, size: float = 10, colour=black, align: str = "l") -> None:
    c.setFillColor(colour)
    c.setFont(font, size)
    {"l": c.drawString, "r": c.drawRightString, "c": c.drawCentredString}[align](x, y, s)


def _fit(s: str, font: str, size: float, width: float, smallest: float = 7.0) -> float:
    while size > smallest and stringWidth(s, font, size) > width:
        size -= 0.5
    return size


def _label(c: Canvas, font: str, x: float, y: float, zh: str, en: str, value: str, vx: float, right: float) -> None:
    """A Chinese label with its English sub-heading in small grey type, and the value beside it
    (shrunk to fit up to `right`, down to 7 pt)."""
    _text(c, font, x, y, zh, 10)
    _text(c, font, x, y - 9, en, 6.5, GREY)
    if value:
        _text(c, font, vx, y, value, _fit(value, font, 10.5, right - vx))


def _rule(c: Canvas, y: float) -> None:
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(M, y, W - M, y)


def _section(c: Canvas, font: str, y: float, zh: str, en: str) -> None:
    _text(c, font, M, y, zh, 12)
    _text(c, font, M + stringWidth(zh, font, 12) + 6, y, en, 8.5, GREY)
    _rule(c, y - 5)


def _header(c: Canvas, font: str, d: CertificateData) -> float:
    _text(c, font, W - M, H - 32, f"证书编号 No. {d.certificate_no}", 8, GREY, "r")
    _text(c, font, W / 2, H - 62, "碳效评价证书", 24, align="c")
    _text(c, font, W / 2, H - 79, "Carbon Efficiency Certificate", 11, GREY, "c")
    _rule(c, H - 90)
    return H - 110


def _identity(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    half = W / 2 + 20
    _label(c, font, M, y, "企业名称", "Enterprise", d.enterprise_name, M + 100, W - M)
    y -= ROW + 2
    _label(c, font, M, y, "统一社会信用代码", "Unified social credit code", d.uscc, M + 100, half - 8)
    _label(c, font, half, y, "所在区县", "District", d.district, half + 70, W - M)
    y -= ROW + 2
    _label(c, font, M, y, "所属行业", "Industry (GB/T 4754)", d.industry, M + 100, half - 8)
    _label(c, font, half, y, "评价年度", "Year", str(d.year), half + 70, W - M)
    return y - ROW - 6


def _colour_band(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    fill, ink, zh, en = COLOURS.get(d.colour, COLOURS["unrated"])
    top, height = y, 64
    c.setFillColor(fill)
    c.roundRect(M, top - height, W - 2 * M, height, 6, stroke=0, fill=1)
    _text(c, font, M + 18, top - 36, zh, 26, ink)
    _text(c, font, M + 18, top - 54, f"碳效码 Colour: {en}", 7.5, ink)
    x = M + 170
    grade = f"碳效等级 {d.grade}级" if d.grade is not None else "碳效等级 未评级"
    band_zh, band_en = BANDS.get(d.band or "", ("-", "no band"))
    if not d.process_covered:  # a band from an L without process CO2 would understate it
        band_zh, band_en = "-", "no band: process CO2 not accounted"
    _text(c, font, x, top - 24, f"{grade}    碳效水平 {band_zh}", 15, ink)
    grade_en = f"Grade {d.grade} of 5 (1 = best)" if d.grade is not None else "Not graded"
    _text(c, font, x, top - 37, f"{grade_en}, {band_en}", 7.5, ink)
    tier = TIERS.get(d.finance_tier, d.finance_tier)
    _text(c, font, x, top - 54, f"绿色金融分级 Finance tier: {tier} ({d.finance_tier})", 10, ink)
    return top - height - 24


def _l_value(d: CertificateData) -> str:
    if d.intensity is None:
        return "-"
    value = f"{intensity(d.intensity)} tCO2/万元"
    return value if d.process_covered else f"{value} ({INCOMPLETE})"


def _peer_value(d: CertificateData) -> tuple[str, str]:
    g = d.peer_group
    if g is None:
        return "-", "-"
    zh, _ = BASIS.get(g.basis, (g.basis, g.basis))
    if g.basis == "reference":  # v2: the class's official reference intensity, no peers of the round
        return f"{intensity(g.l_industry)} tCO2/万元", f"行业{zh} {g.code} 官方参考值"
    return f"{intensity(g.l_industry)} tCO2/万元", f"行业{zh} {g.code}，{g.size} 家企业"


def _trend_value(d: CertificateData) -> str:
    if d.fall is None or d.intensity_previous is None:
        return "无可比上年数据 (no previous year)"
    fall = float(d.fall) * 100
    word = "下降" if fall >= 0 else "上升"
    return f"较上年{word} {intensity(str(abs(fall)), digits=3)}% (上年 L {intensity(d.intensity_previous)})"


def _figures(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    _section(c, font, y, "关键指标", "Key figures")
    y -= 26
    l_industry, peers = _peer_value(d)
    left = (
        ("综合能耗", "Energy", f"{tonnes(d.energy_tce)} tce"),
        ("工业增加值", "Value added", "-" if d.value_added_wan is None else f"{intensity(d.value_added_wan)} 万元"),
        ("碳排放强度 L", "Intensity L = CO2 / value added", _l_value(d)),
        ("行业基准 L(行业)", "L(industry) of the peer group", l_industry),
        ("对标组", "Peer group", peers),
        ("碳效值 K", "K = L / L(industry)", intensity(d.k)),
        ("趋势", "Trend of L", _trend_value(d)),
        ("数据质量", "Data quality", QUALITY.get(d.data_quality, d.data_quality)),
        ("评价方法版本", "Methodology version", d.methodology_version),
    )
    x = W / 2 + 20
    for i, (zh, en, value) in enumerate(left):
        _label(c, font, M, y - ROW * i, zh, en, value, M + 100, x - 10)
    process = tonnes(d.co2_process) if d.process_covered else "未核算"
    total = tonnes(d.co2_total) if d.process_covered else f"{tonnes(d.co2_total)} ({INCOMPLETE})"
    right = (
        ("燃料燃烧", "Combustion", tonnes(d.co2_combustion)),
        ("工业过程", "Process" if d.process_covered else "Process: not accounted", process),
        ("碳捕集(扣减)", "Captured (deducted)", tonnes(d.co2_captured)),
        ("外购电力", "Electricity", tonnes(d.co2_electricity)),
        ("外购热力", "Heat", tonnes(d.co2_heat)),
        ("二氧化碳合计", "Total CO2" if d.process_covered else "Total CO2, incomplete", total),
    )
    _text(c, font, W - M, y + 26, "二氧化碳排放 CO2 by source (t)", 8.5, GREY, "r")
    for i, (zh, en, value) in enumerate(right):
        _label(c, font, x, y - ROW * i, zh, en, "", 0, 0)
        _text(c, font, W - M, y - ROW * i, value, _fit(value, font, 10.5, W - M - x - 80), align="r")
    return y - ROW * max(len(left), len(right)) - 8


POLICY_LINES = 2  # consequences printed on the face at most


def _notes(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    why = unrated_reasons(d.notes) if d.colour == "unrated" else []
    lines = [("未评原因：" + text, True) for text in why] + [(text, False) for text in caveats(d.notes)]
    if d.colour == "unrated" and not why:
        lines.insert(0, ("未评原因：未能形成碳效等级。", True))
    version = f"（政策集第 {d.policy_set_version} 版）" if d.policy_set_version else ""
    shown = d.policy[:POLICY_LINES]  # the product table keeps its room; the rest is in the policy sheet
    lines += [(f"政策后果{version}：" + text, True) for text in shown]
    if len(d.policy) > len(shown):
        lines.append((f"另有 {len(d.policy) - len(shown)} 项政策后果，见平台政策清单。", True))
    if not lines:
        return y
    _section(c, font, y, "说明", "Notes and caveats")
    y -= 17
    for text, strong in lines:
        for part in wrap("• " + text, font, 8.5, W - 2 * M - 4):
            _text(c, font, M + 2, y, part, 8.5, black if strong else INK)
            y -= 11
    return y - 8


COLUMNS = (  # (中文, English, x offset, right-aligned, wrap width)
    ("产品", "Product", 0, False, 160),
    ("单位能耗", "Unit energy use", 218, True, 0),
    ("标杆", "Benchmark", 272, True, 0),
    ("基准", "Baseline", 326, True, 0),
    ("单位", "Unit", 336, False, 88),
    ("能效水平", "Level", 430, False, 80),
)
CELL, LINE = 9.0, 11.0  # a table cell's type size and its wrapped lines' spacing


def _products(c: Canvas, font: str, d: CertificateData, y: float) -> None:
    _section(c, font, y, "产品能效", "Product energy efficiency against 标杆 / 基准")
    y -= 19
    for zh, en, dx, right, _ in COLUMNS:
        align = "r" if right else "l"
        _text(c, font, M + dx, y, zh, 8.5, GREY, align)
        _text(c, font, M + dx, y - 8, en, 6, GREY, align)
    y -= 22
    if not d.products:
        _text(c, font, M, y, "无 None", 9.5)
        return
    for n, p in enumerate(d.products):
        level = LEVELS.get(p.level, p.level) + ("*" if p.site_total else "")
        values = (p.name, intensity(p.unit_energy_use), intensity(p.benchmark), intensity(p.baseline), p.unit, level)
        cells = [wrap(v, font, CELL, width) if width else [v] for v, (*_, width) in zip(values, COLUMNS, strict=True)]
        height = LINE * max(len(lines) for lines in cells)
        if y - height < FOOTER_TOP + 14 and n < len(d.products):  # no room: the last line counts the rest
            _text(c, font, M, y, f"另有 {len(d.products) - n} 项产品未列出 (more products not shown)", 7.5, GREY)
            return
        for (_, _, dx, right, _), lines in zip(COLUMNS, cells, strict=True):
            for i, line in enumerate(lines):
                _text(c, font, M + dx, y - LINE * i, line, CELL, align="r" if right else "l")
        y -= height + 4
    if any(p.site_total for p in d.products):
        _text(c, font, M, y, "* 按全厂能耗估算 (level from the whole site's energy)", 7, GREY)


QR_SIZE = 96.0
FOOTER_TOP = 196.0
SEAL_SIZE = 84.0


def _footer(c: Canvas, font: str, d: CertificateData) -> None:
    _rule(c, FOOTER_TOP)
    qx, qy = W - M - QR_SIZE, 80
    _qr(c, d.verify_url, qx, qy, QR_SIZE)
    _text(c, font, qx + QR_SIZE / 2, qy - 11, "扫码核验 Scan to verify", 7.5, GREY, "c")
    right = qx - SEAL_SIZE - 14  # the seal's left edge: the rows' values end before it
    rows = (
        ("发证机构", "Issued by", d.issuer_name or "淄博市碳账户平台"),
        ("证书编号", "Certificate No.", d.certificate_no),
        ("签发日期", "Issued on (Beijing time)", _date(d.issued_on)),
        ("有效期至", "Valid until", _date(d.valid_until)),
    )
    for i, (zh, en, value) in enumerate(rows):
        _label(c, font, M, 176 - 22 * i, zh, en, value, M + 100, right - 6)
    _text(c, font, M + 100, 176 - 22 * 3 - 11, VALID_QUALIFIER, _fit(VALID_QUALIFIER, font, 7.5, right - M - 106), INK)
    if d.seal_png:
        _seal(c, d.seal_png, right, 86)
    _text(c, font, M, 78, f"核验 Verification: {d.verify_url}", 7.5, INK)
    _text(c, font, M, 66, f"评级签名密钥 Rating key id: {d.rating_key_id}", 7.5, INK)
    _text(c, font, M, 54, "评级令牌 SHA-256 of the rating token:", 7.5, INK)
    _text(c, font, M, 44, d.rating_token_sha256, 7.5, INK)
    note = (
        "本证书数据均取自已签名的评级结果，并附电子签名。Figures are read from the signed rating; this PDF is signed."
    )
    _text(c, font, M, 28, note, _fit(note, font, 7.5, W - 2 * M), GREY)


def _date(day: dt.date) -> str:
    """A Beijing-time date as 2025年12月3日 (2025-12-03)."""
    return f"{day.year}年{day.month}月{day.day}日 ({day.isoformat()})"


def _seal(c: Canvas, png: bytes, x: float, y: float) -> None:
    """The rating authority's seal, scaled into a square keeping its proportions (transparency kept)."""
    image = ImageReader(io.BytesIO(png))
    w, h = image.getSize()
    scale = SEAL_SIZE / max(w, h)
    c.drawImage(image, x + (SEAL_SIZE - w * scale) / 2, y + (SEAL_SIZE - h * scale) / 2, w * scale, h * scale,
                mask="auto")  # fmt: skip


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """segno's matrix as one filled path: each row's runs of dark modules as rectangles."""
    matrix = segno.make(url, error="m", micro=False).matrix
    m = size / len(matrix)
    path = c.beginPath()
    for row, line in enumerate(matrix):
        top = y + size - (row + 1) * m
        col = 0
        while col < len(line):
            if line[col]:
                start = col
                while col < len(line) and line[col]:
                    col += 1
                path.rect(x + start * m, top, (col - start) * m, m)
            col += 1
    c.setFillColor(black)
    c.drawPath(path, stroke=0, fill=1)
