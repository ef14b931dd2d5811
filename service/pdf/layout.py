"""One A4 page per rating, drawn on a reportlab canvas: Chinese with English sub-headings.

Deterministic: the same CertificateData gives the same bytes (invariant mode, the document
dates set from the issue date), so a certificate can be re-rendered and compared. The QR
code is segno's matrix drawn as one filled path (reportlab's QR widget is 2-4x slower).
Figures arrive exact, as signed; they are rounded here, for the reader, by service.display's rule.
"""

from __future__ import annotations

import io

import segno
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from service.display import intensity, tonnes
from service.pdf.fonts import register_font
from service.pdf.model import CertificateData

__all__ = ["render"]

W, H = A4
M = 42.0  # margin
GREY, RULE = HexColor("#555555"), HexColor("#c8c8c8")
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


def render(data: CertificateData, font_path: str) -> bytes:
    """The certificate as PDF bytes; the font is embedded as a TrueType subset."""
    font = register_font(font_path)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, lang="zh-CN", initialFontName=font)
    stamp = f"D:{data.issued_on:%Y%m%d}000000+08'00'"
    c.setDateFormatter(lambda *_: stamp)  # CreationDate/ModDate: the issue date, not the clock
    c.setTitle(f"碳效评价证书 {data.certificate_no}")
    c.setSubject(f"{data.enterprise_name} {data.year}")
    c.setAuthor("淄博市碳账户 Zibo carbon account")
    c.setCreator("carbon-account")
    y = _header(c, font, data)
    y = _identity(c, font, data, y)
    y = _colour_band(c, font, data, y)
    y = _figures(c, font, data, y)
    _products(c, font, data, y)
    _footer(c, font, data)
    c.showPage()
    c.save()
    return buf.getvalue()


def _text(c: Canvas, font: str, x: float, y: float, s: str, size: float = 10, colour=black, align: str = "l") -> None:
    c.setFillColor(colour)
    c.setFont(font, size)
    {"l": c.drawString, "r": c.drawRightString, "c": c.drawCentredString}[align](x, y, s)


def _label(c: Canvas, font: str, x: float, y: float, zh: str, en: str, value: str, vx: float) -> None:
    """A Chinese label with its English sub-heading in small grey type, and the value beside it."""
    _text(c, font, x, y, zh, 10)
    _text(c, font, x, y - 9, en, 6.5, GREY)
    size = 10.5  # a long name or industry shrinks to fit the line
    while size > 6 and stringWidth(value, font, size) > W - M - vx:
        size -= 0.5
    _text(c, font, vx, y, value, size)


def _rule(c: Canvas, y: float) -> None:
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(M, y, W - M, y)


def _header(c: Canvas, font: str, d: CertificateData) -> float:
    _text(c, font, W / 2, H - 70, "碳效评价证书", 26, align="c")
    _text(c, font, W / 2, H - 90, "Carbon Efficiency Certificate", 12, GREY, "c")
    _text(c, font, W - M, H - 40, f"证书编号 No. {d.certificate_no}", 8, GREY, "r")
    _rule(c, H - 104)
    return H - 126


def _identity(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    rows = (
        ("企业名称", "Enterprise", d.enterprise_name),
        ("统一社会信用代码", "Unified social credit code", d.uscc),
        ("所在区县", "District", d.district),
        ("所属行业", "Industry (GB/T 4754)", d.industry),
        ("评价年度", "Year", str(d.year)),
    )
    for zh, en, value in rows:
        _label(c, font, M, y, zh, en, value, M + 130)
        y -= 23
    return y - 4


def _colour_band(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    fill, ink, zh, en = COLOURS.get(d.colour, COLOURS["unrated"])
    top, height = y, 70
    c.setFillColor(fill)
    c.roundRect(M, top - height, W - 2 * M, height, 6, stroke=0, fill=1)
    _text(c, font, M + 18, top - 38, zh, 26, ink)
    _text(c, font, M + 18, top - 56, f"碳效码颜色 Colour: {en}", 8, ink)
    grade = f"碳效等级 {d.grade}级" if d.grade is not None else "碳效等级 未评级"
    band_zh, band_en = BANDS.get(d.band or "", ("-", "no band"))
    _text(c, font, M + 150, top - 26, f"{grade}    碳效水平 {band_zh}", 15, ink)
    grade_en = f"Grade {d.grade} of 5 (1 = best)" if d.grade is not None else "Not graded"
    _text(c, font, M + 150, top - 40, f"{grade_en}, {band_en}", 8, ink)
    tier = TIERS.get(d.finance_tier, d.finance_tier)
    _text(c, font, M + 150, top - 58, f"绿色金融分级 Finance tier: {tier} ({d.finance_tier})", 10, ink)
    return top - height - 26


def _figures(c: Canvas, font: str, d: CertificateData, y: float) -> float:
    _section(c, font, y, "关键指标", "Key figures")
    y -= 24
    left = (
        ("综合能耗", "Energy", f"{tonnes(d.energy_tce)} tce"),
        ("碳排放强度 L", "Intensity L", "-" if d.intensity is None else f"{intensity(d.intensity)} tCO2/万元"),
        ("碳效值 K", "K = L / L(industry)", intensity(d.k)),
        ("数据质量", "Data quality", QUALITY.get(d.data_quality, d.data_quality)),
        ("评价方法版本", "Methodology version", d.methodology_version),
    )
    right = (
        ("燃料燃烧", "Combustion", tonnes(d.co2_combustion)),
        ("工业过程", "Process", tonnes(d.co2_process)),
        ("碳捕集(扣减)", "Captured (deducted)", tonnes(d.co2_captured)),
        ("外购电力", "Electricity", tonnes(d.co2_electricity)),
        ("外购热力", "Heat", tonnes(d.co2_heat)),
        ("二氧化碳合计", "Total CO2", tonnes(d.co2_total)),
    )
    for i, (zh, en, value) in enumerate(left):
        _label(c, font, M, y - 22 * i, zh, en, value, M + 100)
    x = W / 2 + 20
    _text(c, font, x, y + 24, "二氧化碳排放 CO2 by source (t)", 9, GREY)
    for i, (zh, en, value) in enumerate(right):
        _label(c, font, x, y - 22 * i, zh, en, "", 0)
        _text(c, font, W - M, y - 22 * i, value, 10.5, align="r")
    return y - 22 * max(len(left), len(right)) - 8


def _section(c: Canvas, font: str, y: float, zh: str, en: str) -> None:
    _text(c, font, M, y, zh, 12)
    _text(c, font, M + 14 * len(zh) + 6, y, en, 9, GREY)
    _rule(c, y - 5)


COLUMNS = (  # (中文, English, x offset, right-aligned)
    ("产品", "Product", 0, False),
    ("单位能耗", "Unit energy use", 200, True),
    ("标杆", "Benchmark", 270, True),
    ("基准", "Baseline", 330, True),
    ("单位", "Unit", 345, False),
    ("能效水平", "Level", 410, False),
)


def _products(c: Canvas, font: str, d: CertificateData, y: float) -> None:
    _section(c, font, y, "产品能效", "Product energy efficiency against 标杆 / 基准")
    y -= 20
    for zh, en, dx, right in COLUMNS:
        align = "r" if right else "l"
        _text(c, font, M + dx, y, zh, 8.5, GREY, align)
        _text(c, font, M + dx, y - 8, en, 6, GREY, align)
    y -= 24
    if not d.products:
        _text(c, font, M, y, "无 None", 9.5)
        return
    room, n = y - FOOTER_TOP + 4, len(d.products)  # rows shrink to fit above the footer, to 10 pt
    fit = min(n, int(room // 10))
    shown = d.products if fit == n else d.products[: fit - 1]  # the last line then counts the rest
    step = min(16.0, room / fit)
    for p in shown:
        cells = (p.name, intensity(p.unit_energy_use), intensity(p.benchmark), intensity(p.baseline), p.unit)
        cells += (LEVELS.get(p.level, p.level),)
        for (_, _, dx, right), value in zip(COLUMNS, cells, strict=True):
            _text(c, font, M + dx, y, value, min(9.5, step * 0.7), align="r" if right else "l")
        y -= step
    if len(shown) < len(d.products):
        _text(c, font, M, y, f"另有 {len(d.products) - len(shown)} 项产品未列出 (more products not shown)", 7, GREY)


QR_SIZE = 104.0
FOOTER_TOP = 206.0


def _footer(c: Canvas, font: str, d: CertificateData) -> None:
    _rule(c, FOOTER_TOP)
    qx, qy = W - M - QR_SIZE, 62
    _qr(c, d.verify_url, qx, qy, QR_SIZE)
    _text(c, font, qx + QR_SIZE / 2, qy - 12, "扫码核验 Scan to verify", 8, GREY, "c")
    rows = (
        ("证书编号", "Certificate No.", d.certificate_no),
        ("签发日期", "Issued on", d.issued_on.isoformat()),
        ("有效期至", "Valid until", d.valid_until.isoformat()),
    )
    for i, (zh, en, value) in enumerate(rows):
        _label(c, font, M, 180 - 26 * i, zh, en, value, M + 90)
    _text(c, font, M, 92, "核验 Verification:", 7, GREY)
    _text(c, font, M + 62, 92, d.verify_url, 7, GREY)
    _text(c, font, M, 80, f"评级签名密钥 Rating key id: {d.rating_key_id}", 6.5, GREY)
    _text(c, font, M, 70, "评级令牌 SHA-256 of the rating token:", 6.5, GREY)
    _text(c, font, M, 61, d.rating_token_sha256, 6.5, GREY)
    note = (
        "本证书数据均取自已签名的评级结果，并附电子签名。Figures are read from the signed rating; this PDF is signed."
    )
    _text(c, font, M, 36, note, 6.5, GREY)


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
