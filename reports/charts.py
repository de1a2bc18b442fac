"""Bar and line charts as SVG text, drawn on the server: inline in the report's page and embedded in its PDF (fpdf2
reads the same SVG, text included, with the font family "sans" the PDF registers).

Pure: no Flask, no database. Counts only (whole numbers, never negative); the value axis starts at 0 and ends on a
"nice" number (1, 2 or 5 times a power of ten, times the number of ticks). Labels are escaped, kept whole when
short and cut with an ellipsis when long; Vietnamese text goes through untouched (NFC, as the fonts hold it).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

#: Colours of the series, in order (Bootstrap's blue, orange, green, red, purple, teal).
PALETTE = ("#0d6efd", "#fd7e14", "#198754", "#dc3545", "#6f42c1", "#20c997")
#: The family the PDF registers; browsers fall back to their sans-serif.
FONT = "sans, DejaVu Sans, Arial, sans-serif"
LABEL_MAX = 34


@dataclass(frozen=True)
class Series:
    """One named series of counts, one value per category (or per point of a line)."""

    name: str
    values: tuple[int, ...]


def nice_scale(top: float, ticks: int = 5) -> tuple[int, int]:
    """(step, end) of a value axis from 0 showing `top`: the step is 1, 2 or 5 times a power of ten (at least 1),
    the end the first multiple of the step at or above `top`, with at most `ticks` steps."""
    if top <= 0:
        return 1, 1
    raw = top / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step, step * math.ceil(top / step)


def label(text: str, limit: int = LABEL_MAX) -> str:
    """A label as drawn: NFC, one line, at most `limit` characters (cut with "…")."""
    text = " ".join(unicodedata.normalize("NFC", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, *, size: int = 11, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" text-anchor="{anchor}"'
        f'{bold} fill="#212529">{escape(content)}</text>'
    )


def _open(width: int, height: int, title: str) -> list[str]:
    """The SVG element, sized in pixels (the page scrolls it sideways on a phone rather than shrink its text)."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{escape(label(title, 200), {chr(34): "&quot;"})}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _empty(width: int, title: str, empty_text: str) -> str:
    height = 60
    parts = _open(width, height, title)
    parts.append(_text(width / 2, 35, label(empty_text, 80), anchor="middle", size=12))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, label(s.name, 30), size=10))
        x += 24 + 6.5 * len(label(s.name, 30))
    return parts


def _has_data(series: Sequence[Series]) -> bool:
    return any(v for s in series for v in s.values)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    empty_text: str = "No data",
    width: int = 640,
) -> str:
    """Horizontal bars, one group per category (labels on the left, where long Vietnamese names fit), one bar per
    series in a group, each bar's value at its end; a legend when there are several series. Empty data (no
    category, or only zeros) draws `empty_text` instead."""
    if not categories or not series or not _has_data(series):
        return _empty(width, title, empty_text)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    bar, gap = 14, 10
    group = bar * len(series) + gap
    left, right, top = 220, 50, 30 if len(series) > 1 else 12
    axis = 22
    height = top + group * len(categories) + axis
    step, end = nice_scale(max(v for s in series for v in s.values))
    span = width - left - right
    parts = _open(width, height, title)
    if len(series) > 1:
        parts += _legend(series, left, 16)
    base_y = top + group * len(categories)
    for tick in range(0, end + 1, step):
        x = left + span * tick / end
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base_y}" stroke="#dee2e6" stroke-width="1"/>')
        parts.append(_text(x, base_y + 15, str(tick), size=10, anchor="middle"))
    for c, name in enumerate(categories):
        y0 = top + c * group + gap / 2
        parts.append(_text(left - 6, y0 + bar * len(series) / 2 + 4, label(name), size=11, anchor="end"))
        for i, s in enumerate(series):
            value = s.values[c]
            w = span * value / end
            y = y0 + i * bar
            colour = PALETTE[i % len(PALETTE)]
            parts.append(f'<rect x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar - 2}" fill="{colour}"/>')
            parts.append(_text(left + w + 4, y + bar - 4, str(value), size=10))
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base_y}" stroke="#495057" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    empty_text: str = "No data",
    width: int = 640,
    height: int = 260,
) -> str:
    """Lines over `points` (years, left to right), one per series, each point marked with its value; a legend
    under the title. Empty data draws `empty_text`; a single point is drawn as marks only."""
    if not points or not series or not _has_data(series):
        return _empty(width, title, empty_text)
    for s in series:
        if len(s.values) != len(points):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(points)} points")
    left, right, top, bottom = 50, 30, 34, 28
    step, end = nice_scale(max(v for s in series for v in s.values))
    span_x, span_y = width - left - right, height - top - bottom
    base_y = top + span_y

    def x_of(i: int) -> float:
        return left + (span_x / 2 if len(points) == 1 else span_x * i / (len(points) - 1))

    def y_of(value: int) -> float:
        return base_y - span_y * value / end

    parts = _open(width, height, title)
    parts += _legend(series, left, 16)
    for tick in range(0, end + 1, step):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6"/>')
        parts.append(_text(left - 6, y + 4, str(tick), size=10, anchor="end"))
    for i, name in enumerate(points):
        parts.append(_text(x_of(i), base_y + 17, label(name, 12), size=11, anchor="middle"))
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        coords = [(x_of(i), y_of(v)) for i, v in enumerate(s.values)]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for (x, y), value in zip(coords, s.values, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
            # Values above the points of the 1st, 3rd... series and below those of the others, so that close
            # values of two series do not print over each other.
            below = k % 2 == 1 and y + 16 < base_y
            parts.append(_text(x, y + 15 if below else y - 7, str(value), size=10, anchor="middle"))
    parts.append(f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="#495057"/>')
    parts.append("</svg>")
    return "".join(parts)
