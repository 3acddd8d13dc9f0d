"""The SVG charts read correctly: a zero line on the change scale, numbers that do
not sit on top of each other, and months spaced as the calendar spaces them.

These check the drawing itself (`coachlog.render.charts`), which `progress
--format svg|html` and `programme report --format svg|html` are made of; the
commands are tested in test_progress.py and test_programme.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from coachlog.render import charts

NS = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[tuple[float, float, str]]:
    root = ET.fromstring(svg)
    return [
        (float(t.get("x", 0)), float(t.get("y", 0)), t.text or "") for t in root.iter(f"{NS}text")
    ]


def test_the_change_scale_always_labels_zero():
    svg = charts.change_bars(
        "change",
        [("Strategic approach", 1.75, [-1.26, 4.76], ""), ("Team", 2.5, [-4.06, 9.06], "")],
    )
    labels = {text for _, _, text in _texts(svg)}
    assert "0" in labels, sorted(labels)


@given(
    st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=6),
)
def test_zero_is_a_tick_whatever_the_range(values):
    svg = charts.change_bars("c", [("x", v, None, "") for v in values])
    assert "0" in {text for _, _, text in _texts(svg)}


def _number_labels(svg: str) -> dict[float, list[float]]:
    """x of every number drawn beside a dot, by the line (y) it is on."""
    lines: dict[float, list[float]] = {}
    for x, y, text in _texts(svg):
        if re.fullmatch(r"\d+(\.\d)?", text) and x > charts.LABEL_W:
            lines.setdefault(y, []).append(x)
    return lines


@given(st.lists(st.integers(0, 100), min_size=3, max_size=3))
def test_numbers_beside_close_dots_never_overlap(tenths):
    values = dict(zip(("before", "end", "follow_up"), (t / 10 for t in tenths), strict=True))
    svg = charts.dumbbell("d", [("Team management", values)], ("before", "end", "follow_up"))
    for y, xs in _number_labels(svg).items():
        xs.sort()
        for a, b in zip(xs, xs[1:], strict=False):
            # Two labels on one line need a label's width between them, unless
            # they are the same number in the same place.
            assert b - a >= 18 or b == a, (y, xs, values)


def test_months_are_spaced_as_the_calendar_spaces_them():
    points = [{"month": m, "score": 5} for m in ("2026-06", "2026-07", "2026-08", "2026-10")]
    svg = charts.trend_lines("t", [("Influence", points)])
    root = ET.fromstring(svg)
    xs = sorted(float(c.get("cx", 0)) for c in root.iter(f"{NS}circle"))
    one_month = xs[1] - xs[0]
    assert abs((xs[2] - xs[1]) - one_month) < 0.2
    assert abs((xs[3] - xs[2]) - 2 * one_month) < 0.2


def test_numbers_on_a_chart_round_halves_away_from_zero_like_the_tables():
    svg = charts.dumbbell("d", [("Team", {"before": 6.25, "end": 4.75})], ("before", "end"))
    assert {"6.3", "4.8"} <= {text for _, _, text in _texts(svg)}
