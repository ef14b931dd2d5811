"""The plan's charts on the city page, hand-drawn SVG like service.console.charts: each product's
share of capacity at 标杆 against the goal, and the CO2 intensity by year against the trajectory.
Each has a <title>, role="img", and the table beside it holds the numbers."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from service.console.charts import FILLS
from service.display import intensity

__all__ = ["share_bars", "year_bars"]

_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><title>{t}</title>'


def share_bars(title: str, rows: list[tuple[str, Decimal | None, bool]], goal: Decimal, goal_label: str) -> str:
    """One bar per product: its share at 标杆 (0–100 %), green when it meets the goal, with the
    goal as a dashed line across every bar."""
    width, label_w, bar_h, gap = 640, 200, 20, 10
    span = width - label_w - 60
    height = len(rows) * (bar_h + gap) + gap + 18
    parts = [_HEAD.format(w=width, h=height, t=escape(title))]
    for i, (label, share, meets) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 14}">{escape(label)}</text>')
        value = float(share or 0)
        fill = FILLS["dark_green"] if meets else FILLS["yellow"]
        parts.append(f'<rect x="{label_w}" y="{y}" width="{value * span:.1f}" height="{bar_h}" fill="{fill}" '
                     f'stroke="#333" stroke-width="0.5"/>')  # fmt: skip
        shown = "-" if share is None else f"{share * 100:.1f} %"
        parts.append(f'<text x="{label_w + value * span + 6:.1f}" y="{y + 14}">{shown}</text>')
    x = label_w + float(goal) * span
    bottom = height - 18
    parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="2" y2="{bottom}" stroke="#000" stroke-width="2" '
                 f'stroke-dasharray="4 2"/>')  # fmt: skip
    parts.append(f'<text x="{x + 4:.1f}" y="{height - 4}">{escape(goal_label)} {goal * 100:.0f} %</text>')
    parts.append("</svg>")
    return "".join(parts)


def year_bars(title: str, rows: list[tuple[int, Decimal | None, Decimal | None]], target_label: str) -> str:
    """One bar per year (its intensity) and the trajectory as a dashed line through its points."""
    width, height, left, bottom, top = 640, 260, 60, 30, 20
    years = len(rows) or 1
    peak = max([float(v) for _, a, b in rows for v in (a, b) if v is not None] + [1e-9]) * 1.15
    slot = (width - left - 20) / years
    plot_h = height - top - bottom

    def y_of(v: Decimal) -> float:
        return top + plot_h - float(v) / peak * plot_h

    parts = [_HEAD.format(w=width, h=height, t=escape(title))]
    parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    points = []
    for i, (year, value, target) in enumerate(rows):
        x = left + i * slot + slot * 0.2
        w = slot * 0.6
        if value is not None:
            y = y_of(value)
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{top + plot_h - y:.1f}" '
                         f'fill="{FILLS["light_green"]}" stroke="#333" stroke-width="0.5"/>')  # fmt: skip
            parts.append(f'<text x="{x:.1f}" y="{y - 4:.1f}">{intensity(value)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 10}">{year}</text>')
        if target is not None:
            points.append((x + w / 2, y_of(target)))
    if points:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="5 3"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#000"/>' for px, py in points]
        lx, ly = points[0]
        parts.append(f'<text x="{lx + 6:.1f}" y="{max(ly - 8, 12):.1f}">{escape(target_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
