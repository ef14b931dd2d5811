"""The public verification page (what the QR code opens): plain HTML in Chinese, no JavaScript,
no emissions figures."""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["render_page"]

STATUS = {
    "active": ("有效", "#1b7f3b"),
    "superseded": ("已被新评级取代", "#8a6d00"),
    "revoked": ("已撤销", "#d64541"),
    "expired": ("已过期", "#666666"),
}
COLOUR = {"dark_green": "深绿", "light_green": "浅绿", "yellow": "黄", "red": "红", "unrated": "未评"}
BAND = {"low": "低碳", "medium": "中碳", "high": "高碳"}


def render_page(summary: dict[str, Any]) -> str:
    label, tint = STATUS.get(summary["status"], (summary["status"], "#333"))
    grade = f"{summary['grade']}级" if summary.get("grade") else "未评级"
    rows = [
        ("证书编号 Certificate no.", summary["certificate_no"]),
        ("企业名称 Enterprise", summary["enterprise_name"]),
        ("统一社会信用代码 USCC", summary["uscc"]),
        ("评价年度 Year", str(summary["year"])),
        ("碳效等级 Grade", f"{BAND.get(summary.get('band') or '', '')}{grade}"),
        ("颜色 Colour", COLOUR.get(summary["colour"], summary["colour"])),
        ("有效期至 Valid until", summary["valid_until"][:10]),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>碳效评价证书核验 Certificate verification</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
        "th{text-align:left;padding:.3em 1em .3em 0;color:#555}td{padding:.3em 0}</style></head><body>"
        "<h1>碳效评价证书核验</h1><p>Certificate verification</p>"
        f'<p style="font-size:1.5em;color:{tint}"><strong>{escape(label)}</strong> ({escape(summary["status"])})</p>'
        f"<table>{body}</table>"
        "<p><small>淄博市碳账户平台 Zibo carbon-account platform</small></p></body></html>"
    )
