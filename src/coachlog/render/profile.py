"""The behaviour profile drawn: bars in the terminal, an SVG chart and an HTML page.

Every view shows the same figures as `profile --json`: each behaviour's latest
0-10 score, grouped by the deck's themes, with the change since the previous and
the first assessment, and the three strengths and three areas to develop. The
terminal view fits 60 columns (a title of up to 27 characters, a 10-cell bar,
the score and both changes); the SVG is hand-written like render/charts.py, one
bar per behaviour in its theme's colour, the previous score as a dark tick and
the first as an open circle, and every value also written as a number, so a
grey print loses nothing. Card titles can come from a user's own deck: they are
`Text` in the terminal and XML-escaped in the files, where a bidi control in a
title or a client's name is shown as an escape (`\\u202e`), as in the terminal,
so that it cannot reverse the score written after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from coachlog.models import Assessment, Profile, ProfileCard
from coachlog.render.charts import FONT, esc, html_table, page
from coachlog.text import counted, for_terminal

TITLE_CELLS = 27  # "Collaboration & co-creation", the longest shipped title
BAR = 10
# Okabe-Ito colours, one per theme group in the deck's order (then round again).
THEME_COLOURS = ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00")
TERMINAL_COLOURS = ("blue", "green", "yellow", "magenta", "cyan", "red")
STRENGTH_MARK, DEVELOP_MARK = "▲", "▼"


def _signed(value: int | None) -> str:
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else str(value)


def _moved(value: int | None) -> str:
    """A change for the chart: +2, -1, and ±0 for no change."""
    return "±0" if value == 0 else _signed(value)


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "–"


def title_of(profile: Profile) -> str:
    """ "Your behaviour profile", or "Behaviour profile · Sam Patel" for a client."""
    return f"Behaviour profile · {profile.client}" if profile.client else "Your behaviour profile"


def _groups(profile: Profile) -> list[tuple[str, str, list[ProfileCard]]]:
    """(theme key, theme title, cards) in the deck's order."""
    out: list[tuple[str, str, list[ProfileCard]]] = []
    for card in profile.cards:
        if not out or out[-1][0] != card.theme:
            out.append((card.theme, card.theme_title, []))
        out[-1][2].append(card)
    return out


def _names(profile: Profile, keys: Sequence[str]) -> str:
    titles = {c.key: (c.title, c.score) for c in profile.cards}
    return ", ".join(f"{titles[k][0]} ({titles[k][1]})" for k in keys) or "none stands out"


def summary_lines(profile: Profile) -> list[str]:
    """Strengths, areas to develop and, when equal scores decided, the rule used."""
    lines = [
        f"Strengths: {_names(profile, profile.strengths)}",
        f"To develop: {_names(profile, profile.develop)}",
    ]
    if not profile.strengths and not profile.develop and profile.cards:
        lines.append("Every behaviour has the same score, so none stands out.")
    return lines


def _clip(title: str, width: int) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


# ---------------------------------------------------------------- terminal


def profile_view(profile: Profile, *, ties: bool = False) -> RenderableType:
    """The profile as bars, one line per behaviour, grouped by theme (fits 60 columns)."""
    profile = _for_display(profile)  # escapes shown before the layout, not after
    head = Text(f"{title_of(profile)} · {_day(profile.on)}", style="bold")
    parts: list[RenderableType] = [head]
    count = profile.assessments
    # With two assessments the previous one is the first: one column, not two (as
    # the chart draws one marker).
    show_first = count > 2
    line = counted(count, "assessment")
    if show_first:
        line += f" · first {_day(profile.first_on)} · previous {_day(profile.previous_on)}"
    elif count == 2:
        line += f" · previous {_day(profile.previous_on)}"
    parts.append(Text(line, style="dim"))
    parts.append(Text(""))
    columns = f"{'Now':>4}{'Prev':>6}" + (f"{'First':>6}" if show_first else "")
    header = Text(" " * (4 + TITLE_CELLS + 1 + BAR) + columns)
    parts.append(Text(header.plain, style="dim"))
    strengths, develop = set(profile.strengths), set(profile.develop)
    for index, (_, title, cards) in enumerate(_groups(profile)):
        colour = TERMINAL_COLOURS[index % len(TERMINAL_COLOURS)]
        parts.append(Text(_clip(title, 40), style=f"bold {colour}"))
        for card in cards:
            row = Text("  ")
            if card.key in strengths:
                row.append(STRENGTH_MARK + " ", style="bold")
            elif card.key in develop:
                row.append(DEVELOP_MARK + " ", style="bold")
            else:
                row.append("  ")
            row.append(f"{_clip(card.title, TITLE_CELLS):<{TITLE_CELLS}} ")
            row.append("█" * card.score, style=colour)
            row.append("·" * (BAR - card.score), style="dim")
            row.append(f"{card.score:>4}")
            row.append(f"{_signed(card.change):>6}")
            if show_first:
                row.append(f"{_signed(card.change_since_first):>6}")
            parts.append(row)
    parts.append(Text(""))
    legend = f"{STRENGTH_MARK} strength · {DEVELOP_MARK} to develop"
    if show_first:
        legend += " · Prev, First: change since"
    elif count == 2:
        legend += " · Prev: change since"
    parts.append(Text(legend, style="dim"))
    for text in summary_lines(profile):
        parts.append(Text(text))
    if ties:
        parts.append(Text(profile.tie_break, style="dim"))
    return Group(*parts)


def history_table(found: Sequence[Assessment]) -> RenderableType:
    """One line per assessment: id, date, whose, deck and the mean score."""
    from coachlog.render.tables import table

    # One deck (the usual case) is named once above the table, so at 60 columns
    # the names have the room rather than "nhs-system…" on every line.
    one_deck = len({a.deck for a in found}) == 1
    headers = ["id", "date", "who", "cards", "mean"]
    if not one_deck:
        headers.insert(3, "deck")
    t = table(*headers)
    if one_deck and found:
        t.title = Text(f"Deck: {for_terminal(found[0].deck)}")
    for a in found:
        mean = sum(a.scores.values()) / len(a.scores) if a.scores else 0
        cells: list[RenderableType] = [
            str(a.id),
            a.on.isoformat(),
            Text(for_terminal(a.client) if a.client else "you"),
            str(len(a.scores)),
            f"{mean:.1f}",
        ]
        if not one_deck:
            cells.insert(3, Text(for_terminal(a.deck)))
        t.add_row(*cells)
    return t


# ---------------------------------------------------------------- SVG and HTML

WIDTH = 680
PAD = 16  # white margin round the chart
LABEL_X = 14
BAR_X = 214
BAR_W = 280  # 28 px a point
ROW = 24
GROUP_GAP = 14


def _bx(score: float) -> float:
    return BAR_X + score / 10 * BAR_W


def _for_display(profile: Profile) -> Profile:
    """The profile with every name and title safe to show (see the module docstring)."""
    return dataclasses.replace(
        profile,
        client=for_terminal(profile.client) if profile.client else profile.client,
        cards=[
            dataclasses.replace(
                c, title=for_terminal(c.title), theme_title=for_terminal(c.theme_title)
            )
            for c in profile.cards
        ],
    )


def profile_svg(profile: Profile) -> str:
    """One bar per behaviour, grouped and coloured by theme, with previous and first marked."""
    profile = _for_display(profile)
    body: list[str] = []
    title = title_of(profile)
    body.append(f"<text x='0' y='22' font-size='18' font-weight='bold'>{esc(title)}</text>")
    sub = f"Self-assessment of {_day(profile.on)} on the 0-10 scale"
    # With two assessments the previous one is the first: one marker, not two.
    show_first = profile.assessments > 2
    if profile.assessments == 2:
        sub += f" · compared with {_day(profile.previous_on)}"
    elif show_first:
        sub += (
            f" · {profile.assessments} assessments since {_day(profile.first_on)}"
            f" · previous {_day(profile.previous_on)}"
        )
    body.append(f"<text x='0' y='42' font-size='11.5' fill='#555'>{esc(sub)}</text>")
    # Legend.
    y = 64.0
    legend_x = float(BAR_X)
    body.append(
        f"<rect x='{legend_x}' y='{y - 8}' width='22' height='10' rx='2' fill='#777'/>"
        f"<text x='{legend_x + 28}' y='{y + 1}' font-size='11'>now</text>"
    )
    legend_x += 70
    if profile.previous_on:
        body.append(
            f"<line x1='{legend_x + 6}' y1='{y - 10}' x2='{legend_x + 6}' y2='{y + 4}' "
            "stroke='#222' stroke-width='2.5'/>"
            f"<text x='{legend_x + 16}' y='{y + 1}' font-size='11'>previous</text>"
        )
        legend_x += 84
    if show_first:
        body.append(
            f"<circle cx='{legend_x + 6}' cy='{y - 3}' r='4.5' fill='white' stroke='#222' "
            "stroke-width='1.5'/>"
            f"<text x='{legend_x + 16}' y='{y + 1}' font-size='11'>first</text>"
        )
    if profile.assessments > 1:
        what = "change since previous / first" if show_first else "change since then"
        body.append(
            f"<text x='{WIDTH - 4}' y='{y + 1}' font-size='10.5' fill='#555' "
            f"text-anchor='end'>now · {what}</text>"
        )
    y += 20
    top = y
    strengths, develop = set(profile.strengths), set(profile.develop)
    rows: list[str] = []
    for index, (_, group_title, cards) in enumerate(_groups(profile)):
        colour = THEME_COLOURS[index % len(THEME_COLOURS)]
        y += 6
        rows.append(
            f"<text x='0' y='{y + 10}' font-size='12.5' font-weight='bold' fill='{colour}'>"
            f"{esc(group_title)}</text>"
        )
        y += 18
        group_top = y
        for card in cards:
            mid = y + ROW / 2
            mark = ""
            if card.key in strengths:
                mark = STRENGTH_MARK + " "
            elif card.key in develop:
                mark = DEVELOP_MARK + " "
            weight = " font-weight='bold'" if mark else ""
            rows.append(
                f"<text x='{LABEL_X}' y='{mid + 4}' font-size='12'{weight}>"
                f"{esc(mark + _clip(card.title, 30))}</text>"
            )
            rows.append(
                f"<rect x='{BAR_X}' y='{mid - 7}' width='{BAR_W}' height='14' rx='3' "
                "fill='#eef0f3'/>"
            )
            if card.score:
                rows.append(
                    f"<rect x='{BAR_X}' y='{mid - 7}' width='{_bx(card.score) - BAR_X:.1f}' "
                    f"height='14' rx='3' fill='{colour}'/>"
                )
            if card.first is not None and show_first:
                rows.append(
                    f"<circle cx='{_bx(card.first):.1f}' cy='{mid}' r='4.5' fill='white' "
                    "stroke='#222' stroke-width='1.5'/>"
                )
            if card.previous is not None:
                x = _bx(card.previous)
                rows.append(
                    f"<line x1='{x:.1f}' y1='{mid - 10}' x2='{x:.1f}' y2='{mid + 10}' "
                    "stroke='#222' stroke-width='2.5'/>"
                )
            changes = ""
            if show_first:
                changes = f"{_moved(card.change)} / {_moved(card.change_since_first)}"
            elif card.previous is not None:
                changes = _moved(card.change)
            rows.append(
                f"<text x='{BAR_X + BAR_W + 14}' y='{mid + 4.5}' font-size='13' "
                f"font-weight='bold'>{card.score}</text>"
                f"<text x='{BAR_X + BAR_W + 38}' y='{mid + 4}' font-size='11.5' "
                f"fill='#444'>{esc(changes)}</text>"
            )
            if mark:
                label = "strength" if card.key in strengths else "to develop"
                fill = "#E8F3EC" if card.key in strengths else "#FBEDE4"
                ink = "#1E6B3A" if card.key in strengths else "#9A4A12"
                rows.append(
                    f"<rect x='{WIDTH - 76}' y='{mid - 9}' width='72' height='18' rx='9' "
                    f"fill='{fill}'/><text x='{WIDTH - 40}' y='{mid + 4}' font-size='10.5' "
                    f"fill='{ink}' text-anchor='middle'>{label}</text>"
                )
            y += ROW
        rows.append(
            f"<rect x='0' y='{group_top}' width='4' height='{y - group_top}' fill='{colour}'/>"
        )
        y += GROUP_GAP - 6
    # Scale ticks behind the bars.
    grid = []
    for tick in range(0, 11, 2):
        x = _bx(tick)
        grid.append(
            f"<line x1='{x:.1f}' y1='{top}' x2='{x:.1f}' y2='{y}' stroke='#e2e5ea'/>"
            f"<text x='{x:.1f}' y='{y + 14}' font-size='10' fill='#666' "
            f"text-anchor='middle'>{tick}</text>"
        )
    body += grid + rows
    y += 36
    for text in summary_lines(profile):
        head, _, rest = text.partition(": ")
        body.append(
            f"<text x='0' y='{y}' font-size='12.5'><tspan font-weight='bold'>{esc(head)}:"
            f"</tspan> {esc(rest)}</text>"
        )
        y += 19
    for line in textwrap.wrap(profile.tie_break, 110):
        body.append(f"<text x='0' y='{y + 4}' font-size='10.5' fill='#666'>{esc(line)}</text>")
        y += 14
    height = y + 14 + 2 * PAD
    outer = WIDTH + 2 * PAD
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{outer}' height='{height:.0f}' "
        f"viewBox='0 0 {outer} {height:.0f}' role='img' {FONT}>"
        f"<title>{esc(title)}</title>"
        "<rect width='100%' height='100%' fill='white'/>"
        f"<g transform='translate({PAD},{PAD})'>" + "".join(body) + "</g></svg>"
    )


def profile_html(profile: Profile) -> str:
    """An A4 page: the chart, then a table of every figure."""
    profile = _for_display(profile)
    rows = [
        [
            c.title,
            c.theme_title,
            c.score,
            c.previous,
            c.first,
            _signed(c.change) if c.change is not None else None,
            _signed(c.change_since_first) if c.change_since_first is not None else None,
        ]
        for c in profile.cards
    ]
    table = html_table(
        ("Behaviour", "Theme", "Now", "Previous", "First", "Change", "Since first"), rows
    )
    notes = "".join(f"<p>{esc(line)}</p>" for line in summary_lines(profile))
    return page(
        title_of(profile),
        [
            profile_svg(profile),
            # The theme is a word, like the behaviour: on the left, not with the numbers.
            "<h2>Every score</h2><style>.scores td:nth-child(2),.scores th:nth-child(2)"
            f"{{text-align:left}}</style><div class='scores'>{table}</div>",
            f"<h2>What stands out</h2>{notes}<p class='note'>{esc(profile.tie_break)}</p>",
        ],
    )
