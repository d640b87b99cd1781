"""Server-drawn SVG charts (catalogue/charts.py): the About page's stacked chart fits a phone."""

from __future__ import annotations

import re

from catalogue import charts


def test_stacked_chart_is_phone_wide_and_keeps_long_labels_whole():
    label = "Identifikasi pembeli dan saluran distribusi produk"
    svg = charts.stacked_bar_chart(
        [charts.Bar(label, 50, "50%"), charts.Bar("QRIS", 100, "100%")], title="Tahap", maximum=100
    )
    assert 'viewBox="0 0 340 ' in svg  # drawn at about its own size on a 360 px screen
    assert f'<text class="chart-label" x="0" y="14">{label}</text>' in svg  # not cut to fit beside the bar
    widths = [float(w) for w in re.findall(r'class="chart-bar" x="0" y="20" width="([\d.]+)"', svg)]
    assert widths[1] == 2 * widths[0] and widths[1] <= charts.STACKED_WIDTH


def test_stacked_chart_escapes_labels():
    svg = charts.stacked_bar_chart([charts.Bar("<script>", 1, "1")], title="a & b")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
