"""Charts for the programme dashboard, drawn as SVG on the server: no JavaScript chart library.

A chart is a list of bars (label, value, the text shown for the value). Colours come from CSS
classes in static/css/dashboard.css: the page's Content-Security-Policy forbids `style` attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 110
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH
ROW = 26
BAR = 16
MAX_LABEL_CHARS = 34
# Stacked: each label on its own line above its bar, in a viewBox about as wide as a phone's screen,
# so at 360 px the text is drawn at nearly its own size (the public About page).
STACKED_WIDTH = 340
STACKED_ROW = 42
STACKED_BAR = 14
STACKED_VALUE_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    css_class: str = ""


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_lengths(bars: list[Bar], maximum: float | None = None) -> list[float]:
    """Each bar's length in SVG units, proportional to its value; the largest (or `maximum`) fills
    the bar area. Negative or missing values draw nothing."""
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    if not top or top <= 0:
        return [0.0 for _ in bars]
    return [round(max(0.0, min(bar.value, top)) / top * BAR_AREA, 1) for bar in bars]


def stacked_bar_chart(bars: list[Bar], *, title: str, maximum: float | None = None) -> SafeString:
    """A horizontal bar chart as inline SVG for narrow screens: the full label above each bar, the
    value at the bar's right end."""
    area = STACKED_WIDTH - STACKED_VALUE_WIDTH
    lengths = [length * area / BAR_AREA for length in bar_lengths(bars, maximum)]
    rows = format_html_join(
        "",
        '<g class="chart-row {}" transform="translate(0 {})">'
        "<title>{}: {}</title>"
        '<text class="chart-label" x="0" y="14">{}</text>'
        '<rect class="chart-track" x="0" y="20" width="{}" height="{}" rx="2"></rect>'
        '<rect class="chart-bar" x="0" y="20" width="{}" height="{}" rx="2"></rect>'
        '<text class="chart-value" x="{}" y="32" text-anchor="end">{}</text>'
        "</g>",
        (
            (
                *(bar.css_class, index * STACKED_ROW, bar.label, bar.text, bar.label, area, STACKED_BAR),
                *(round(length, 1), STACKED_BAR, STACKED_WIDTH, bar.text),
            )
            for index, (bar, length) in enumerate(zip(bars, lengths, strict=True))
        ),
    )
    height = max(1, len(bars)) * STACKED_ROW + 4
    return format_html(
        '<svg class="chart chart-stacked" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        STACKED_WIDTH,
        height,
        STACKED_WIDTH,
        height,
        title,
        title,
        rows,
    )


def bar_chart(bars: list[Bar], *, title: str, maximum: float | None = None) -> SafeString:
    """A horizontal bar chart as inline SVG, with a <title> and one row per bar."""
    height = max(1, len(bars)) * ROW + 4
    lengths = bar_lengths(bars, maximum)
    rows = format_html_join(
        "",
        '<g class="chart-row {}" transform="translate(0 {})">'
        "<title>{}: {}</title>"
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="chart-track" x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
        '<text class="chart-value" x="{}" y="{}">{}</text>'
        "</g>",
        (
            (
                bar.css_class,
                index * ROW + 2,
                bar.label,
                bar.text,
                LABEL_WIDTH - 8,
                BAR - 3,
                _short(bar.label),
                LABEL_WIDTH,
                0,
                BAR_AREA,
                BAR,
                LABEL_WIDTH,
                0,
                length,
                BAR,
                LABEL_WIDTH + length + 6,
                BAR - 3,
                bar.text,
            )
            for index, (bar, length) in enumerate(zip(bars, lengths, strict=True))
        ),
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        title,
        rows,
    )
