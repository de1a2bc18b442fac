"""The SVG charts: the value axis's scale, the bars and points where their values say, labels with diacritics
(escaped, cut when long), empty data, and SVG that parses."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.charts import Series, bar_chart, label, line_chart, nice_scale

SVG = "{http://www.w3.org/2000/svg}"


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=12))
def test_the_scale_shows_the_top_in_at_most_the_ticks_asked(top, ticks):
    step, end = nice_scale(top, ticks)
    assert end >= top and end % step == 0
    assert end // step <= max(ticks, 1) or step == 1
    mantissa = step / 10 ** (len(str(step)) - 1)
    assert mantissa in (1, 2, 5)
    assert end - step < top  # no empty step at the end


def test_the_scale_of_nothing_is_one():
    assert nice_scale(0) == (1, 1)
    assert nice_scale(7) == (2, 8)
    assert nice_scale(100) == (20, 100)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def bars(svg: str) -> list[float]:
    """Widths of the bars (rects after the white background)."""
    rects = list(ET.fromstring(svg).iter(f"{SVG}rect"))[1:]
    return [float(r.get("width")) for r in rects if r.get("height") not in ("10",)]  # legend keys are 10 high


def test_bars_are_as_long_as_their_values_on_one_scale():
    svg = bar_chart(["Bù Đăng", "Đồng Xoài", "Lộc Ninh"], [Series("Bài dự thi", (10, 5, 0))], title="Theo địa phương")
    widths = bars(svg)
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    assert {"Bù Đăng", "Đồng Xoài", "Lộc Ninh", "10", "5", "0"} <= set(texts(svg))
    assert 'aria-label="Theo địa phương"' in svg


def test_several_series_have_a_legend_and_a_bar_each():
    svg = bar_chart(["A", "B"], [Series("Bài dự thi", (4, 2)), Series("Giải thưởng", (1, 0))])
    assert {"Bài dự thi", "Giải thưởng"} <= set(texts(svg))
    assert len(bars(svg)) == 4


def test_labels_keep_their_diacritics_are_escaped_and_cut_when_long():
    long = "Trường Trung học phổ thông chuyên Quang Trung, thành phố Đồng Xoài"
    svg = bar_chart(["<script>&", long], [Series("Số", (1, 2))])
    found = texts(svg)
    assert "<script>&" in found  # escaped in the text, read back whole
    assert "<script>" not in svg
    cut = label(long)
    assert cut in found and cut.endswith("…") and len(cut) <= 34 and long.startswith(cut[:-1])
    decomposed = "Bu\u0300 \u0110a\u0306ng"  # NFD input
    assert label(decomposed) == unicodedata.normalize("NFC", "Bù Đăng") and len(label(decomposed)) == 7


def test_empty_data_draws_the_message():
    for svg in (
        bar_chart([], [], empty_text="Không có số liệu"),
        bar_chart(["A"], [Series("Số", (0,))], empty_text="Không có số liệu"),
        line_chart([], [Series("Số", ())], empty_text="Không có số liệu"),
    ):
        assert texts(svg) == ["Không có số liệu"]


def test_line_points_rise_with_their_values_and_years_read_left_to_right():
    svg = line_chart(["2024", "2025", "2026"], [Series("Bài dự thi", (30, 47, 12))])
    root = ET.fromstring(svg)
    points = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    xs = [x for x, _ in points]
    ys = {v: y for v, (_x, y) in zip((30, 47, 12), points, strict=True)}
    assert xs == sorted(xs)
    assert ys[47] < ys[30] < ys[12]  # higher value, higher on the page (smaller y)
    assert {"2024", "2025", "2026", "47"} <= set(texts(svg))
    assert len(list(root.iter(f"{SVG}polyline"))) == 1


def test_a_single_year_is_drawn_as_points():
    svg = line_chart(["2025"], [Series("Bài dự thi", (8,))])
    assert not re.search("<polyline", svg) and "<circle" in svg


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        bar_chart(["A", "B"], [Series("Số", (1,))])
    with pytest.raises(ValueError):
        line_chart(["2024"], [Series("Số", (1, 2))])
