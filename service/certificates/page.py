"""The public verification page (what the QR code opens): plain HTML in Chinese, no JavaScript,
no emissions figures. Readable on a phone: figures never break mid-number (the PDF's SHA-256
breaks only between its 16-digit groups, and copies as one string)."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["render_page", "render_unknown"]

STATUS = {
    "active": ("有效", "Valid", "#1b7f3b"),
    "superseded": ("已被新评级取代", "Superseded by a newer rating", "#8a6d00"),
    "revoked": ("已撤销", "Revoked", "#c0392b"),
    "expired": ("已过期", "Expired", "#555555"),
}
COLOUR = {"dark_green": "深绿", "light_green": "浅绿", "yellow": "黄", "red": "红", "unrated": "未评"}
BAND = {"low": "低碳", "medium": "中碳", "high": "高碳"}
TIERS = {"preferential": "优先支持", "eligible": "支持", "watch": "关注", "restricted": "限制", "unrated": "未评"}
STYLE = (
    "body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;max-width:42em;margin:1.5em auto;"
    "padding:0 1em;color:#222;line-height:1.5}"
    "h1{font-size:1.4em;margin:.2em 0}"
    "table{border-collapse:collapse;width:100%}"
    "th{text-align:left;padding:.35em 1em .35em 0;color:#555;font-weight:normal;vertical-align:top}"
    "td{padding:.35em 0}"
    ".n,.n span{white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".hash span{display:inline-block;white-space:nowrap;font-family:monospace}"
    ".status{font-size:1.5em;margin:.5em 0}"
    ".notice{border-left:4px solid #c0392b;padding:.3em .8em;background:#fbeeee}"
    "@media (max-width:32em){th,td{display:block;padding:.1em 0}td{padding-bottom:.6em}}"
)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}"
        "<p><small>淄博市碳账户平台 Zibo carbon-account platform</small></p></body></html>"
    )


def _n(value: str) -> str:
    return f'<span class="n">{escape(value)}</span>'


def _hash(hex_digest: str) -> str:
    groups = "".join(f"<span>{escape(hex_digest[i : i + 16])}</span>" for i in range(0, len(hex_digest), 16))
    return f'<span class="hash">{groups}</span>'


def _current(summary: dict[str, Any]) -> str:
    current = summary.get("current")
    if not current:
        return "<p>该企业目前没有有效的评级。 The enterprise has no current rating.</p>"
    no = escape(current["certificate_no"])
    return (
        f"<p>现行评级 Current rating: {escape(str(current['year']))} 年度，"
        f'证书 <a href="/verify/{no}">{_n(current["certificate_no"])}</a></p>'
    )


def render_page(summary: dict[str, Any]) -> str:
    status = summary["status"]
    zh, en, tint = STATUS.get(status, (status, status, "#333"))
    grade = f"{summary['grade']}级" if summary.get("grade") else "未评级"
    tier = summary.get("finance_tier") or ""
    rows = [
        ("证书编号 Certificate no.", _n(summary["certificate_no"])),
        ("企业名称 Enterprise", escape(summary["enterprise_name"])),
        ("统一社会信用代码 USCC", _n(summary["uscc"])),
        ("评价年度 Year", _n(str(summary["year"]))),
        ("碳效等级 Grade", escape(f"{BAND.get(summary.get('band') or '', '')}{grade}")),
        ("颜色 Colour", escape(COLOUR.get(summary["colour"], summary["colour"]))),
        ("绿色金融分级 Finance tier", escape(f"{TIERS.get(tier, tier)} ({tier})")),
        ("发证机构 Issued by", escape(summary.get("issuer") or "淄博市碳账户平台")),
        ("签发日期 Issued on", _n(summary["issued_on"])),
    ]
    notice = ""
    if status == "revoked":
        rows.append(("撤销日期 Revoked on", _n(summary.get("revoked_on") or "-")))
        rows.append(("撤销原因 Reason", escape(summary.get("revoked_reason") or "-")))
        notice = '<p class="notice">本证书已撤销，不再有效。 This certificate was revoked and is no longer valid.</p>'
    elif status == "active":
        rows.append(("有效期至 Valid until", _n(summary["valid_until"]) + " 或下一年度评价发布之日"))
    else:
        if status == "superseded" and summary.get("superseded_on"):
            rows.append(("取代日期 Superseded on", _n(summary["superseded_on"])))
        notice = f'<div class="notice">{_current(summary)}</div>'
    rows.append(("证书文件 SHA-256 of the PDF", _hash(summary["sha256"])))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return _page(
        "碳效评价证书核验 Certificate verification",
        "<h1>碳效评价证书核验</h1><p>Certificate verification</p>"
        f'<p class="status" style="color:{tint}"><strong>{escape(zh)}</strong> {escape(en)} ({escape(status)})</p>'
        f"{notice}<table>{body}</table>"
        "<p><small>核对文件：计算所持 PDF 的 SHA-256（如 <code>sha256sum 证书.pdf</code>），应与上面一致。"
        " Compare the SHA-256 of the PDF you hold with the one above.</small></p>",
    )


def render_unknown(certificate_no: str) -> str:
    """The page for a number no certificate has (served with 404)."""
    return _page(
        "未找到证书 Certificate not found",
        "<h1>未找到该证书</h1><p>Certificate not found</p>"
        f'<p class="notice">没有编号为 {_n(certificate_no)} 的证书。请核对编号（形如 {_n("ZB-XXXX-XXXX-XXXX-XXXX")}）；'
        "伪造或篡改的证书不会出现在这里。 No certificate has this number: check it against the printed one.</p>",
    )
