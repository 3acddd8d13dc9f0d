"""Terminal views of engagements, outcome check-ins and the programme report.

Tables fit 60 columns (names are cut with an ellipsis first); user text (client
names, sponsors) goes through `for_terminal` into `rich.text.Text`, never markup.
The Markdown and HTML of the programme report are built from the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from coachlog.models import Engagement, Outcome
from coachlog.render.charts import (
    PROGRAMME_HEADERS,
    THEME_LABELS,
    counted,
    programme_html,
    programme_table_rows,
)
from coachlog.render.tables import key_values
from coachlog.text import for_terminal

__all__ = [
    "engagement_detail",
    "engagements_table",
    "outcomes_list_table",
    "outcomes_view",
    "programme_html",
    "programme_markdown",
    "programme_view",
]

SHORT = {
    "strategic": "St",
    "prioritisation": "Pr",
    "confidence": "Co",
    "influence": "In",
    "team": "Te",
    "self-presentation": "SP",
}
LEGEND = (
    "St strategic, Pr prioritisation, Co confidence, In influence, Te team, SP self-presentation"
)
PROGRAMME_KEY = "n: with before and end ratings; Chg: mean end - before; Up: share improved"


class Key:
    """A key under a table ("St strategic, Pr prioritisation, ..."), wrapped to the
    width between its entries, never inside one: "In" ending one line and "influence"
    starting the next reads as nonsense. An entry wider than the line wraps as text."""

    def __init__(self, text: str, sep: str, style: str = "dim") -> None:
        self.entries = text.split(sep)
        self.sep = sep
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines: list[str] = []
        line = ""
        for n, entry in enumerate(self.entries):
            piece = entry + (self.sep.rstrip() if n + 1 < len(self.entries) else "")
            if line and len(line) + 1 + len(piece) > options.max_width:
                lines.append(line)
                line = piece
            else:
                line = f"{line} {piece}" if line else piece
        lines.append(line)
        for text in lines:
            yield Text(text, style=self.style)


def _name(text: str | None) -> Text:
    cell = Text(for_terminal(text) if text else "(me)")
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell


def _of(e: Engagement) -> str:
    return f"{e.sessions_held}" + (f" of {e.sessions_contracted}" if e.sessions_contracted else "")


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


def engagements_table(found: Sequence[Engagement]) -> Table:
    t = _table()
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("client", max_width=16)
    t.add_column("started", no_wrap=True)
    t.add_column("ended", no_wrap=True)
    t.add_column("sessions", no_wrap=True)
    for e in found:
        t.add_row(
            str(e.id),
            _name(e.client),
            e.started_on.isoformat(),
            e.ended_on.isoformat() if e.ended_on else Text("open", style="green"),
            _of(e),
        )
    return t


def _scores_cells(scores: Mapping[str, int | None]) -> list[str]:
    return ["–" if scores.get(k) is None else str(scores[k]) for k in SHORT]


def outcomes_list_table(found: Sequence[Outcome]) -> Group:
    # Ten columns: two spaces between them (not three) leave the client's name
    # readable at 60 columns instead of "An…".
    t = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True
    )
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("client", max_width=12)
    t.add_column("stage", no_wrap=True)
    t.add_column("date", no_wrap=True)
    for short in SHORT.values():
        t.add_column(short, justify="right", no_wrap=True)
    for o in found:
        t.add_row(
            str(o.id),
            _name(o.client),
            o.stage.value,
            o.on.isoformat(),
            *_scores_cells(o.scores),
        )
    return Group(t, Key(LEGEND, ", "))


def _signed(value: float | None, places: int = 0) -> Text:
    if value is None:
        return Text("–", style="dim")
    style = "green" if value > 0 else "red" if value < 0 else "dim"
    return Text(f"{'+' if value > 0 else ''}{value:.{places}f}", style=style)


def outcomes_view(rows: Sequence[Mapping[str, Any]], engagement_id: int | None) -> RenderableType:
    """progress' outcomes table: before, end, follow-up and the changes per theme."""
    # Two spaces between columns, so "Δ follow" is whole at 60 columns.
    t = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True
    )
    t.add_column("Outcome (0-10)", no_wrap=True, overflow="ellipsis")
    for name in ("Before", "End", "Follow", "Δ end", "Δ follow"):
        t.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        t.add_row(
            THEME_LABELS.get(row["key"], row["key"]),
            "–" if row["before"] is None else str(row["before"]),
            "–" if row["end"] is None else str(row["end"]),
            "–" if row["follow_up"] is None else str(row["follow_up"]),
            _signed(row["change_end"]),
            _signed(row["change_follow_up"]),
        )
    head = Text("Outcome check-ins", style="bold")
    head.append(f"  engagement {engagement_id}", style="dim")
    return Group(head, t)


def engagement_detail(e: Engagement, checks: Sequence[Outcome]) -> Group:
    parts: list[RenderableType] = [
        Text(f"Engagement {e.id}", style="bold") + Text(" with ") + _name(e.client),
        key_values(
            [
                ("Started", e.started_on.isoformat()),
                ("Ended", e.ended_on.isoformat() if e.ended_on else "open"),
                ("Sessions", _of(e)),
                ("Sponsor", for_terminal(e.sponsor) if e.sponsor else None),
                ("Follow-up due", e.follow_up_due.isoformat() if e.follow_up_due else None),
            ]
        ),
    ]
    if checks:
        parts += [Text(""), outcomes_list_table(checks)]
    else:
        parts.append(Text("No outcome check-ins yet.", style="dim"))
    return Group(*parts)


# ---------------------------------------------------------------- programme report


TERSE = {
    "strategic": "Strategic",
    "prioritisation": "Prioritisation",
    "confidence": "Confidence",
    "influence": "Influence",
    "team": "Team",
    "self-presentation": "Self-present.",
}


def _num(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    if signed:
        return f"{value:+.2f}"
    # One decimal, halves away from zero like the rest of coachlog (6.25 -> 6.3).
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def programme_view(result: Mapping[str, Any]) -> Group:
    """The report in 60 columns: terse theme names, one decimal, the CI as low..high."""
    t = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True
    )
    headers = ("Theme", "n", "Bef", "End", "F-up", "Chg", "95% CI", "Up")
    for n, name in enumerate(headers):
        t.add_column(name, justify="left" if n == 0 else "right", no_wrap=True)
    for theme in result["themes"]:
        ci = theme["change_end_ci"]
        share = theme["improved_share"]
        t.add_row(
            TERSE.get(theme["key"], theme["key"]),
            str(theme["n"]),
            _num(theme["before"]),
            _num(theme["end"]),
            _num(theme["follow_up"]),
            _num(theme["change_end"], signed=True),
            f"{ci[0]:.2f}..{ci[1]:.2f}" if ci else "–",
            "–" if share is None else f"{round(100 * share)}%",
        )
    return Group(
        Text.assemble(
            ("Programme report", "bold"),
            f"  {counted(result['engagements'], 'engagement')}, "
            f"{counted(result['files'], 'export')}",
        ),
        t,
        Key(PROGRAMME_KEY, "; "),
    )


def programme_markdown(result: Mapping[str, Any]) -> str:
    lines = [
        "# Coaching programme report",
        "",
        f"{counted(result['engagements'], 'engagement')} from "
        f"{counted(result['files'], 'export')}. "
        "n: engagements with a before and an end rating; Change: mean of end minus before, "
        "with its 95% confidence interval (Student's t); Improved: share whose end rating "
        "was higher.",
        "",
        "| " + " | ".join(PROGRAMME_HEADERS) + " |",
        "|" + "|".join("---" if n == 0 else "---:" for n in range(len(PROGRAMME_HEADERS))) + "|",
    ]
    for row in programme_table_rows(result):
        lines.append("| " + " | ".join("–" if c is None else str(c) for c in row) + " |")
    return "\n".join(lines) + "\n"
