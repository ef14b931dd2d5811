"""Charts as small hand-drawn SVG, rendered on the server: they print, need no JavaScript, and each
carries a <title> and role="img" for screen readers (the table beside it holds the numbers)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

__all__ = ["FILLS", "product_bars", "stacked_bars"]

FILLS = {"dark_green": "#1b7a3a", "light_green": "#8fd19e", "yellow": "#f2c200", "red": "#c8102e",
         "unrated": "#bdbdbd"}  # fmt: skip


def stacked_bars(title: str, rows: list[tuple[str, dict[str, int]]], order: list[str]) -> str:
    """One horizontal bar per row, split by key (e.g. each district's colours), to a common scale."""
    width, label_w, bar_h, gap = 640, 120, 22, 8
    top = max([sum(c.values()) for _, c in rows] + [1])
    scale = (width - label_w - 40) / top
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']  # fmt: skip
    for i, (label, counts) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        x = float(label_w)
        for key in order:
            n = counts.get(key, 0)
            if n:
                w = n * scale
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{FILLS.get(key, "#888")}" '
                             f'stroke="#333" stroke-width="0.5"><title>{escape(key)}: {n}</title></rect>')  # fmt: skip
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def product_bars(title: str, rows: list[tuple[str, Decimal, Decimal | None, Decimal | None]]) -> str:
    """Each product's unit energy use as a bar with its 标杆 (benchmark) and 基准 (baseline) marks;
    lower is better, so a bar past the 基准 mark is below 基准."""
    width, label_w, bar_h, gap = 640, 160, 20, 18
    top = max([float(max(v, b or 0, c or 0)) for _, v, b, c in rows] + [1.0]) * 1.1
    scale = (width - label_w - 20) / top
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']  # fmt: skip
    for i, (label, value, benchmark, baseline) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        over = baseline is not None and value > baseline
        fill = (
            FILLS["red"]
            if over
            else FILLS["dark_green"]
            if benchmark is not None and value <= benchmark
            else FILLS["yellow"]
        )
        parts.append(f'<text x="0" y="{y + 14}">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{float(value) * scale:.1f}" height="{bar_h}" fill="{fill}" stroke="#333" stroke-width="0.5"/>'
        )
        for mark, dash in ((benchmark, "none"), (baseline, "4 2")):
            if mark is not None:
                x = label_w + float(mark) * scale
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 4}" y2="{y + bar_h + 4}" stroke="#000" stroke-width="2" stroke-dasharray="{dash}"/>'
                )
    parts.append("</svg>")
    return "".join(parts)
