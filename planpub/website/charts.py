"""SVG charts of targets, drawn at build time: one horizontal bar per year or period.

The chart repeats what the table next to it says, so it is hidden from screen readers
(``aria-hidden``); the table is the accessible form. Colours come from the stylesheet.
"""
from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape

from .. import model

WIDTH = 320
LABEL_WIDTH = 84
BAR_SPACE = 150
ROW = 26


def _number(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def target_chart(target: model.Target) -> Markup | None:
    """A bar chart of the target's numeric values, or None when it has none to draw."""
    values = [v for v in target.values if v.value is not None]
    if not values:
        return None
    unit = Counter(v.unit for v in values).most_common(1)[0][0]
    values = [v for v in values if v.unit == unit]
    top = max(v.value for v in values)
    scale = 100.0 if unit == "%" and top <= 100 else (top or 1.0)
    height = ROW * len(values) + 6
    parts = [f'<svg class="pp-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for i, v in enumerate(values):
        y = 3 + i * ROW
        length = max(2.0, BAR_SPACE * v.value / scale)
        label = v.value_text if len(v.value_text) <= 18 else f"{_number(v.value)}{' ' if unit and unit != '%' else ''}{unit or ''}"
        parts.append(
            f'<text class="pp-chart__period" x="{LABEL_WIDTH - 6}" y="{y + ROW / 2 + 1:.0f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(v.period)}</text>'
            f'<rect class="pp-chart__bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" rx="2"/>'
            f'<text class="pp-chart__value" x="{LABEL_WIDTH + length + 5:.1f}" y="{y + ROW / 2 + 1:.0f}" '
            f'dominant-baseline="middle">{escape(label[:18])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
