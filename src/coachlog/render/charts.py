"""Hand-written SVG charts for appraisals and board papers: dumbbells, change bars, trends.

No plotting library: each chart is a few dozen SVG elements laid out on the 0-10
scale, sized for the width of an A4 page (680 px leaves margins at 96 dpi), with
colours from the Okabe-Ito palette (readable with colour-blindness) and every
value also written as a number, so a chart printed in grey loses nothing. All
text is XML-escaped. `progress_svg`/`progress_html` and `programme_svg`/
`programme_html` put the charts together for `progress --format` and
`programme report --format`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WIDTH = 680
LABEL_W = 150  # room for the theme names on the left
RIGHT_PAD = 60
ROW_H = 30
DUMBBELL_ROW_H = 40  # numbers above and below a dot stay clear of the next row's
FONT = "font-family='Helvetica, Arial, sans-serif'"
COLOURS = {
    "before": "#E69F00",
    "start": "#E69F00",
    "end": "#0072B2",
    "now": "#0072B2",
    "follow_up": "#009E73",
}
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
THEME_LABELS = {
    "strategic": "Strategic approach",
    "prioritisation": "Prioritisation",
    "confidence": "Confidence",
    "influence": "Influence",
    "team": "Team management",
    "self-presentation": "Self-presentation",
}
STAGE_NAMES = {
    "before": "before",
    "end": "end",
    "follow_up": "follow-up",
    "start": "start",
    "now": "now",
}


def counted(n: int, noun: str) -> str:
    """'1 export', '3 exports'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    """One decimal at most, halves away from zero as in the tables (6.25 -> 6.3)."""
    shown = str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def _x(value: float, lo: float = 0, hi: float = 10) -> float:
    return LABEL_W + (value - lo) / (hi - lo) * (WIDTH - LABEL_W - RIGHT_PAD)


def _svg(height: float, body: list[str], title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height:.0f}' "
        f"viewBox='0 0 {WIDTH} {height:.0f}' role='img' {FONT}>"
        f"<title>{esc(title)}</title>"
        f"<rect width='100%' height='100%' fill='white'/>" + "".join(body) + "</svg>"
    )


def _heading(title: str, subtitle: str | None) -> tuple[list[str], float]:
    body = [f"<text x='0' y='20' font-size='16' font-weight='bold'>{esc(title)}</text>"]
    y = 28.0
    if subtitle:
        body.append(f"<text x='0' y='40' font-size='11' fill='#555'>{esc(subtitle)}</text>")
        y = 48.0
    return body, y


def _legend(stages: Sequence[str], y: float) -> list[str]:
    body, x = [], float(LABEL_W)
    for stage in stages:
        body.append(f"<circle cx='{x + 5}' cy='{y}' r='5' fill='{COLOURS[stage]}'/>")
        body.append(
            f"<text x='{x + 14}' y='{y + 4}' font-size='11'>{esc(STAGE_NAMES[stage])}</text>"
        )
        x += 24 + 7 * len(STAGE_NAMES[stage]) + 16
    return body


def _axis(top: float, bottom: float, lo: int = 0, hi: int = 10, step: int = 2) -> list[str]:
    body = []
    for tick in range(lo, hi + 1, step):
        x = _x(tick, lo, hi)
        body.append(
            f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='#ddd'/>"
            f"<text x='{x:.1f}' y='{bottom + 14}' font-size='10' fill='#555' "
            f"text-anchor='middle'>{tick}</text>"
        )
    return body


def dumbbell(
    title: str,
    rows: Sequence[tuple[str, Mapping[str, float | None]]],
    stages: Sequence[str],
    subtitle: str | None = None,
) -> str:
    """One row per theme: a dot per stage on the 0-10 scale, joined by a line.

    `rows` are (label, {stage: value or None}); a row with no values says so.
    """
    body, y = _heading(title, subtitle)
    body += _legend(stages, y + 8)
    top = y + 22
    bottom = top + DUMBBELL_ROW_H * len(rows)
    body += _axis(top, bottom)
    for n, (label, values) in enumerate(rows):
        cy = top + DUMBBELL_ROW_H * n + DUMBBELL_ROW_H / 2
        body.append(
            f"<text x='{LABEL_W - 10}' y='{cy + 4:.1f}' font-size='12' "
            f"text-anchor='end'>{esc(label)}</text>"
        )
        present = [(s, values.get(s)) for s in stages if values.get(s) is not None]
        if not present:
            body.append(
                f"<text x='{_x(0) + 4:.1f}' y='{cy + 4:.1f}' font-size='11' fill='#888'>"
                "not recorded</text>"
            )
            continue
        xs = [_x(float(v)) for _, v in present]  # type: ignore[arg-type]
        if len(xs) > 1:
            body.append(
                f"<line x1='{min(xs):.1f}' y1='{cy:.1f}' x2='{max(xs):.1f}' y2='{cy:.1f}' "
                "stroke='#999' stroke-width='3'/>"
            )
        for (stage, value), x in zip(present, xs, strict=True):
            body.append(
                f"<circle cx='{x:.1f}' cy='{cy:.1f}' r='6' fill='{COLOURS[stage]}'>"
                f"<title>{esc(STAGE_NAMES[stage])}: {_num(float(value))}</title></circle>"  # type: ignore[arg-type]
            )
        for label_x, dy, text in _dot_labels(
            [(x, _num(float(value))) for (_, value), x in zip(present, xs, strict=True)]  # type: ignore[arg-type]
        ):
            body.append(
                f"<text x='{label_x:.1f}' y='{cy + dy:.1f}' font-size='10' "
                f"text-anchor='middle' fill='#333'>{text}</text>"
            )
    return _svg(bottom + 24, body, title)


LABEL_GAP = 20.0  # px between the centres of two numbers on one line


def _dot_labels(dots: Sequence[tuple[float, str]]) -> list[tuple[float, float, str]]:
    """Where to write each dot's number: above it, else below, never on top of another.

    Dots are taken left to right; a number goes above its dot if that line is clear
    for LABEL_GAP, else below, else beside the nearer one (moved right). The same
    number at the same place is written once (the dots coincide too).
    """
    placed: list[tuple[float, float, str]] = []
    last = {-9.0: -math.inf, 17.0: -math.inf}  # dy above, dy below -> last x used
    for x, text in sorted(dots):
        if any(abs(px - x) < 0.5 and pt == text for px, _, pt in placed):
            continue
        side = next((dy for dy in last if x - last[dy] >= LABEL_GAP), None)
        if side is None:
            side = min(last, key=lambda dy: last[dy])
            x = last[side] + LABEL_GAP
        last[side] = x
        placed.append((x, side, text))
    return placed


def change_bars(
    title: str,
    rows: Sequence[tuple[str, float | None, Sequence[float] | None, str]],
    subtitle: str | None = None,
) -> str:
    """Mean change per theme as a bar from zero, with its confidence interval as whiskers.

    `rows` are (label, change or None, [low, high] or None, note shown at the end).
    The scale runs from the lowest to the highest value shown (at least -1 to +1),
    in whole points, so zero is always on it.
    """
    values = [v for _, c, ci, _ in rows for v in ([c] if c is not None else []) + list(ci or [])]
    lo = math.floor(min([-1.0, *values]))
    hi = math.ceil(max([1.0, *values]))
    right = WIDTH - 120  # room for the figure and its note

    def x_of(value: float) -> float:
        return LABEL_W + (value - lo) / (hi - lo) * (right - LABEL_W)

    body, y = _heading(title, subtitle)
    top = y + 14
    bottom = top + ROW_H * len(rows)
    step = max(1, math.ceil((hi - lo) / 8))
    # Ticks on multiples of the step, so zero (the line the bars start from) is one.
    for tick in range(math.ceil(lo / step) * step, hi + 1, step):
        x = x_of(tick)
        colour = "#888" if tick == 0 else "#ddd"
        body.append(
            f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{bottom}' stroke='{colour}'/>"
            f"<text x='{x:.1f}' y='{bottom + 14}' font-size='10' fill='#555' "
            f"text-anchor='middle'>{'+' if tick > 0 else ''}{tick}</text>"
        )
    zero = x_of(0)
    for n, (label, change, ci, note) in enumerate(rows):
        cy = top + ROW_H * n + ROW_H / 2
        body.append(
            f"<text x='{LABEL_W - 10}' y='{cy + 4:.1f}' font-size='12' "
            f"text-anchor='end'>{esc(label)}</text>"
        )
        if change is None:
            body.append(
                f"<text x='{zero + 4:.1f}' y='{cy + 4:.1f}' font-size='11' fill='#888'>"
                "no paired scores</text>"
            )
            continue
        x = x_of(change)
        colour = "#0072B2" if change >= 0 else "#D55E00"
        body.append(
            f"<rect x='{min(x, zero):.1f}' y='{cy - 8:.1f}' width='{abs(x - zero):.1f}' "
            f"height='16' fill='{colour}' opacity='0.85'/>"
        )
        if ci:
            x1, x2 = x_of(ci[0]), x_of(ci[1])
            body.append(
                f"<line x1='{x1:.1f}' y1='{cy:.1f}' x2='{x2:.1f}' y2='{cy:.1f}' "
                "stroke='#222' stroke-width='1.5'/>"
                f"<line x1='{x1:.1f}' y1='{cy - 5:.1f}' x2='{x1:.1f}' y2='{cy + 5:.1f}' "
                "stroke='#222' stroke-width='1.5'/>"
                f"<line x1='{x2:.1f}' y1='{cy - 5:.1f}' x2='{x2:.1f}' y2='{cy + 5:.1f}' "
                "stroke='#222' stroke-width='1.5'/>"
            )
        body.append(
            f"<text x='{right + 14}' y='{cy:.1f}' font-size='11'>"
            f"{'+' if change > 0 else ''}{change:.2f}</text>"
        )
        if note:
            body.append(
                f"<text x='{right + 14}' y='{cy + 11:.1f}' font-size='9' "
                f"fill='#666'>{esc(note)}</text>"
            )
    return _svg(bottom + 24, body, title)


def trend_lines(
    title: str,
    series: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
    subtitle: str | None = None,
) -> str:
    """Monthly mean score per theme as lines on the 0-10 scale, months along the bottom."""
    months = sorted({p["month"] for _, points in series for p in points})
    body, y = _heading(title, subtitle)
    height = 200
    top = y + 14
    bottom = top + height
    left, right = 40.0, WIDTH - 160.0
    if not months:
        body.append(f"<text x='0' y='{top + 20}' font-size='12' fill='#888'>No scores yet.</text>")
        return _svg(top + 40, body, title)

    def index(month: str) -> int:
        year, number = month.split("-")[:2]
        return int(year) * 12 + int(number)

    first, span = index(months[0]), index(months[-1]) - index(months[0])

    def mx(month: str) -> float:
        # Calendar spacing: a month with no score leaves its gap on the axis.
        if span == 0:
            return (left + right) / 2
        return left + (index(month) - first) / span * (right - left)

    def sy(score: float) -> float:
        return bottom - score / 10 * height

    for tick in range(0, 11, 2):
        body.append(
            f"<line x1='{left}' y1='{sy(tick):.1f}' x2='{right}' y2='{sy(tick):.1f}' "
            f"stroke='#ddd'/><text x='{left - 6}' y='{sy(tick) + 4:.1f}' font-size='10' "
            f"fill='#555' text-anchor='end'>{tick}</text>"
        )
    labelled = math.inf
    for month in reversed(months):  # the latest month always labelled
        if labelled - mx(month) >= 52:  # a "2026-06" label is about 40 px wide
            labelled = mx(month)
            body.append(
                f"<text x='{mx(month):.1f}' y='{bottom + 14}' font-size='10' fill='#555' "
                f"text-anchor='middle'>{esc(month)}</text>"
            )
    legend_y = top + 6
    for n, (label, points) in enumerate(series):
        if not points:
            continue
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        coords = " ".join(f"{mx(p['month']):.1f},{sy(float(p['score'])):.1f}" for p in points)
        body.append(
            f"<polyline points='{coords}' fill='none' stroke='{colour}' stroke-width='2.5'/>"
        )
        for p in points:
            body.append(
                f"<circle cx='{mx(p['month']):.1f}' cy='{sy(float(p['score'])):.1f}' r='3' "
                f"fill='{colour}'><title>{esc(label)} {esc(p['month'])}: "
                f"{_num(float(p['score']))}</title></circle>"
            )
        body.append(
            f"<line x1='{right + 16}' y1='{legend_y}' x2='{right + 36}' y2='{legend_y}' "
            f"stroke='{colour}' stroke-width='3'/><text x='{right + 42}' y='{legend_y + 4}' "
            f"font-size='11'>{esc(label)}</text>"
        )
        legend_y += 18
    return _svg(bottom + 24, body, title)


def stack(parts: Sequence[str], title: str, gap: int = 16) -> str:
    """Several charts one under another in a single SVG file."""
    body, y = [], 0.0
    for part in parts:
        height = float(part.split("height='", 1)[1].split("'", 1)[0])
        inner = part.split(">", 1)[1].rsplit("</svg>", 1)[0]
        body.append(f"<g transform='translate(0,{y:.0f})'>{inner}</g>")
        y += height + gap
    return _svg(y, body, title)


def page(title: str, sections: Sequence[str]) -> str:
    """An HTML page that prints on A4: the sections (HTML) in one column."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>"
        "body{font-family:Helvetica,Arial,sans-serif;max-width:700px;margin:24px auto;"
        "color:#222;padding:0 12px}h1{font-size:22px}h2{font-size:16px;margin-top:28px}"
        "table{border-collapse:collapse;font-size:12px;margin:8px 0}"
        "th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}"
        "th:first-child,td:first-child{text-align:left}.note{color:#555;font-size:12px}"
        "svg{max-width:100%;height:auto;display:block;margin:8px 0}"
        "@page{size:A4;margin:15mm}</style></head><body>"
        f"<h1>{esc(title)}</h1>" + "".join(sections) + "</body></html>\n"
    )


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc('–' if c is None else c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---------------------------------------------------------------- progress


def _signed(value: float | None, places: int = 1) -> str | None:
    if value is None:
        return None
    return f"{'+' if value > 0 else ''}{value:.{places}f}"


def progress_charts(report: Mapping[str, Any]) -> list[str]:
    who = report.get("client") or (
        "your own records" if report.get("scope") == "me" else "whole journal"
    )
    charts = [
        dumbbell(
            "Goal scores by impact theme: start → now",
            [
                (
                    THEME_LABELS.get(t["key"], t["key"]),
                    {"start": t["baseline"], "now": t["latest"]},
                )
                for t in report["themes"]
            ],
            ("start", "now"),
            subtitle=f"{who} · mean goal score, 0-10",
        )
    ]
    outcomes = report.get("outcomes") or []
    if any(o["before"] is not None or o["end"] is not None for o in outcomes):
        charts.append(
            dumbbell(
                "Outcome check-ins: before → end → follow-up",
                [
                    (
                        THEME_LABELS.get(o["key"], o["key"]),
                        {"before": o["before"], "end": o["end"], "follow_up": o["follow_up"]},
                    )
                    for o in outcomes
                ],
                ("before", "end", "follow_up"),
                subtitle="the coachee's self-rating, 0-10",
            )
        )
    charts.append(
        trend_lines(
            "Monthly trend",
            [(THEME_LABELS.get(t["key"], t["key"]), t["trend"]) for t in report["themes"]],
            subtitle="mean goal score each month, 0-10",
        )
    )
    return charts


def _progress_title(report: Mapping[str, Any]) -> str:
    return "coachlog progress" + (f": {report['client']}" if report.get("client") else "")


def progress_svg(report: Mapping[str, Any]) -> str:
    return stack(progress_charts(report), _progress_title(report))


def progress_html(report: Mapping[str, Any]) -> str:
    who = report.get("client") or (
        "your own records" if report.get("scope") == "me" else "whole journal"
    )
    period = " to ".join(p for p in (report.get("since"), report.get("until")) if p) or "all dates"
    charts = progress_charts(report)
    sections = [f"<p class='note'>{esc(who)} · {esc(period)}</p>", charts[0]]
    sections.append(
        html_table(
            [
                "Impact theme",
                "Sessions",
                "Reflections",
                "Goals open/done",
                "Start",
                "Now",
                "Change",
            ],
            [
                [
                    t["title"],
                    t["sessions"],
                    t["reflections"],
                    f"{t['goals_open']}/{t['goals_done']}",
                    t["baseline"],
                    t["latest"],
                    _signed(t["change"]),
                ]
                for t in report["themes"]
            ],
        )
    )
    rest = charts[1:]
    if report.get("outcomes") and len(charts) == 3:
        sections.append(rest[0])
        sections.append(
            html_table(
                ["Impact theme", "Before", "End", "Follow-up", "Change to end", "To follow-up"],
                [
                    [
                        THEME_LABELS.get(o["key"], o["key"]),
                        o["before"],
                        o["end"],
                        o["follow_up"],
                        _signed(o["change_end"], 0),
                        _signed(o["change_follow_up"], 0),
                    ]
                    for o in report["outcomes"]
                ],
            )
        )
        rest = rest[1:]
    sections.append(rest[0])
    actions = report["actions"]
    explored = sum(1 for c in report["cards"] if c["uses"])
    sections.append(
        f"<h2>Cards and actions</h2><p>{explored} of {len(report['cards'])} behaviour cards "
        f"explored. {actions['agreed']} actions agreed, {actions['done']} done, "
        f"{actions['overdue']} overdue.</p>"
    )
    return page(_progress_title(report), sections)


# ---------------------------------------------------------------- programme


def programme_charts(result: Mapping[str, Any]) -> list[str]:
    themes = result["themes"]
    subtitle = (
        f"{counted(result['engagements'], 'engagement')} from {counted(result['files'], 'export')}"
    )
    return [
        dumbbell(
            "Mean self-rating: before → end → follow-up",
            [
                (
                    THEME_LABELS.get(t["key"], t["key"]),
                    {"before": t["before"], "end": t["end"], "follow_up": t["follow_up"]},
                )
                for t in themes
            ],
            ("before", "end", "follow_up"),
            subtitle=subtitle + " · 0-10" + _paired_counts(themes),
        ),
        change_bars(
            "Mean change, before → end, with 95% confidence interval",
            [
                (
                    THEME_LABELS.get(t["key"], t["key"]),
                    t["change_end"],
                    t["change_end_ci"],
                    f"n={t['n']}"
                    + (
                        f", {round(100 * t['improved_share'])}% up"
                        if t["improved_share"] is not None
                        else ""
                    ),
                )
                for t in themes
            ],
            subtitle="bar: mean change in points; whiskers: 95% CI",
        ),
    ]


def _paired_counts(themes: Sequence[Mapping[str, Any]]) -> str:
    """How many engagements each mean rests on: the follow-up is often far fewer."""

    def span(key: str) -> str:
        counts = sorted({int(t.get(key) or 0) for t in themes})
        return str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"

    if not themes:
        return ""
    return f" · before, end: n={span('n')}; follow-up: n={span('n_follow_up')}"


def programme_svg(result: Mapping[str, Any]) -> str:
    return stack(programme_charts(result), "coachlog programme report")


def programme_table_rows(result: Mapping[str, Any]) -> list[list[object]]:
    rows: list[list[object]] = []
    for t in result["themes"]:
        ci = t["change_end_ci"]
        rows.append(
            [
                THEME_LABELS.get(t["key"], t["key"]),
                t["n"],
                t["before"],
                t["end"],
                t["follow_up"],
                _signed(t["change_end"], 2),
                f"{ci[0]:+.2f} to {ci[1]:+.2f}" if ci else None,
                f"{round(100 * t['improved_share'])}%"
                if t["improved_share"] is not None
                else None,
            ]
        )
    return rows


PROGRAMME_HEADERS = (
    "Impact theme",
    "n",
    "Before",
    "End",
    "Follow-up",
    "Change",
    "95% CI",
    "Improved",
)


def programme_html(result: Mapping[str, Any]) -> str:
    charts = programme_charts(result)
    sections = [
        f"<p class='note'>{counted(result['engagements'], 'engagement')} from "
        f"{counted(result['files'], 'export')}. n: engagements with a before and an end "
        "rating. Change: mean of end minus before, with its 95% confidence interval; "
        "Improved: share whose end rating was higher.</p>",
        charts[0],
        charts[1],
        html_table(PROGRAMME_HEADERS, programme_table_rows(result)),
    ]
    return page("Coaching programme report", sections)
