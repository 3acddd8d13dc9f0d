"""Rich views of the summaries: `progress`, `prep` and the bare `coachlog` overview.

They take the plain dicts core/progress.py and core/overview.py build (the same
data `--json` prints) and return renderables, so the CLI prints them and the SVG
and HTML exports record exactly what the terminal shows. Everything fits 80
columns; colour only ever repeats what the text already says (a gain is green
*and* has a plus sign), so NO_COLOR loses nothing. User text (titles, notes,
client names) goes in as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from coachlog.render.tables import period
from coachlog.text import counted

# Short names for the six impact themes where the full IES titles do not fit.
THEME_LABELS = {
    "strategic": "Strategic approach",
    "prioritisation": "Prioritisation",
    "confidence": "Confidence",
    "influence": "Influence",
    "team": "Team management",
    "self-presentation": "Self-presentation",
}
SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"
BAR_CELLS = 10  # a change of 10 points (the whole 0-10 scale) fills the bar
TREND_MONTHS = 12  # months of trend shown in the table (JSON has them all)
WIDE = 120  # from this console width up, themes get their full IES titles
NARROW = 72  # below this width the bars and the Trend column give way to the numbers
GAIN, LOSS, MUTED, WARN = "green", "red", "dim", "yellow"


def theme_label(key: str) -> str:
    return THEME_LABELS.get(key, key)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _signed(value: float) -> str:
    # A true minus sign reads better than a hyphen next to a bar.
    return f"+{value:.1f}" if value > 0 else ("±0.0" if value == 0 else f"−{-value:.1f}")


def change_bar(change: float | None, cells: int = BAR_CELLS) -> Text:
    """The change as a signed number and a bar one cell per point, in eighths."""
    if change is None:
        return Text(f"{'–':>5}", style=MUTED)
    style = GAIN if change > 0 else LOSS if change < 0 else MUTED
    eighths = min(round(abs(change) * 8), cells * 8)
    bar = "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
    text = Text(f"{_signed(change):>5} ", style=style)
    text.append(bar, style=style)
    return text


def sparkline(points: Sequence[Mapping[str, Any]], months: int = TREND_MONTHS) -> Text:
    """One character per month, its height the mean score on the 0-10 scale."""
    shown = list(points)[-months:]
    if not shown:
        return Text("")
    marks = "".join(
        SPARKS[min(len(SPARKS) - 1, round(p["score"] / 10 * (len(SPARKS) - 1)))] for p in shown
    )
    first, last = shown[0]["score"], shown[-1]["score"]
    style = GAIN if last > first else LOSS if last < first else "cyan"
    return Text(marks, style=style)


def _who(report: Mapping[str, Any]) -> str:
    if report.get("scope") == "me":
        return "your own records"
    return str(report["client"]) if report.get("client") else "whole journal"


# ---------------------------------------------------------------- progress


def themes_table(report: Mapping[str, Any], width: int = 80) -> Table:
    wide = width >= WIDE
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    t.add_column("Impact theme", overflow="ellipsis", no_wrap=True)
    t.add_column("Sess", justify="right", no_wrap=True)
    t.add_column("Refl", justify="right", no_wrap=True)
    t.add_column("Goals", justify="right", no_wrap=True)
    t.add_column("Start", justify="right", no_wrap=True)
    t.add_column("Now", justify="right", no_wrap=True)
    t.add_column("Change", no_wrap=True)
    trend = width >= NARROW
    if trend:
        t.add_column("Trend", no_wrap=True)
    for theme in report["themes"]:
        label = theme["title"] if wide else theme_label(theme["key"])
        evidence = (
            theme["sessions"] + theme["reflections"] + theme["goals_open"] + theme["goals_done"]
        )
        t.add_row(
            Text(label, style="" if evidence or theme["scored_goals"] else MUTED),
            _count(theme["sessions"]),
            _count(theme["reflections"]),
            _count_pair(theme["goals_open"], theme["goals_done"]),
            Text(_fmt(theme["baseline"]), style=MUTED if theme["baseline"] is None else ""),
            Text(_fmt(theme["latest"]), style="bold" if theme["latest"] is not None else MUTED),
            change_bar(theme["change"], BAR_CELLS if trend else 0),
            *([sparkline(theme["trend"])] if trend else []),
        )
    return t


def _count(n: int) -> Text:
    return Text(str(n), style=MUTED if n == 0 else "")


def _count_pair(open_: int, done: int) -> Text:
    return Text(f"{open_}/{done}", style=MUTED if open_ == 0 and done == 0 else "")


class Flow:
    """Items laid out left to right and wrapped between items, never inside one,
    with every line after the first indented to `indent`."""

    def __init__(self, items: Sequence[Text], gap: int = 3, indent: int = 0) -> None:
        self.items, self.gap, self.indent = list(items), gap, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 20)
        line = Text()
        for item in self.items:
            if line.cell_len and line.cell_len + self.gap + item.cell_len > width:
                yield line
                line = Text(" " * self.indent)
            elif line.cell_len:
                line.append(" " * self.gap)
            line.append_text(item)
        if line.cell_len:
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((item.cell_len for item in self.items), default=0)
        total = sum(item.cell_len for item in self.items) + self.gap * max(len(self.items) - 1, 0)
        return Measurement(min(longest, options.max_width), min(total, options.max_width))


def card_grid(report: Mapping[str, Any]) -> RenderableType:
    """Cards grouped by their deck theme: used ones with their count, unused ones marked."""
    cards = report["cards"]
    explored = sum(1 for c in cards if c["uses"])
    rows: list[RenderableType] = [
        Text.assemble(
            ("Behaviour cards", "bold"),
            (f"  {explored} of {len(cards)} explored", MUTED),
        )
    ]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=MUTED, no_wrap=True)
    grid.add_column()
    for group in report["card_themes"]:
        items = []
        for card in (c for c in cards if c["theme"] == group["key"]):
            if card["uses"]:
                items.append(
                    Text.assemble(f"● {card['title']} ", (str(card["uses"]), "bold cyan"))
                )
            else:
                items.append(Text(f"○ {card['title']}", style=WARN))
        grid.add_row(Text(group["title"].split(" & ")[0]), Flow(items))
    rows.append(grid)
    never = [c["title"] for c in cards if not c["uses"]]
    if never and explored:
        rows.append(Text("Not explored yet: " + ", ".join(never) + ".", style=WARN))
    return Group(*rows)


def actions_line(actions: Mapping[str, Any]) -> Text:
    agreed = actions["agreed"]
    text = Text.assemble(("Actions", "bold"), "  ")
    if not agreed:
        text.append("none agreed in this period", style=MUTED)
        return text
    text.append(f"{agreed} agreed · {actions['done']} done")
    text.append(f" ({actions['done_on_time']} on time)")
    overdue = actions["overdue"]
    text.append(" · ")
    text.append(f"{overdue} overdue", style=LOSS if overdue else MUTED)
    text.append(f"  {round(100 * actions['done'] / agreed)}% followed through", style=MUTED)
    return text


def _names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _outcome_sentence(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """The largest rise in the coachee's own ratings, before -> end, if any."""
    changes = [r for r in rows if r.get("change_end") is not None]
    best = max((r["change_end"] for r in changes), default=None)
    if best is None:
        return None
    if best <= 0:
        return "Outcome check-ins: no theme rated higher at the end than before."
    top = [theme_label(r["key"]) for r in changes if r["change_end"] == best]
    return f"Largest rise in the check-ins: {_names(top)} (+{best:g}, before to end)."


def stands_out(report: Mapping[str, Any]) -> str:
    """One or two plain sentences: the largest gain, a slip, themes with no evidence."""
    themes = report["themes"]
    scored = [t for t in themes if t["change"] is not None]
    empty = [
        t
        for t in themes
        if not (t["sessions"] or t["reflections"] or t["goals_open"] or t["goals_done"])
        and t["change"] is None
    ]
    outcome = _outcome_sentence(report.get("outcomes") or [])
    if len(empty) == len(themes) and not any(c["uses"] for c in report["cards"]):
        if outcome:
            return f"{outcome} Tag sessions, goals and reflections with --theme to see them here."
        return (
            "Nothing recorded for this period yet. Tag sessions, goals and reflections "
            "with --theme to see them here."
        )
    parts: list[str] = [outcome] if outcome else []
    best = max((t["change"] for t in scored), default=None)
    if best is not None and best > 0:
        top = [theme_label(t["key"]) for t in scored if t["change"] == best]
        parts.append(f"Largest gain: {_names(top)} ({_signed(best)}).")
    worst = min((t["change"] for t in scored), default=None)
    if worst is not None and worst < 0:
        low = [theme_label(t["key"]) for t in scored if t["change"] == worst]
        verb = "has" if len(low) == 1 else "have"
        parts.append(f"{_names(low)} {verb} slipped ({_signed(worst)}).")
    if not scored:
        parts.append("No goal scores yet, so no change to show.")
    if empty:
        parts.append(f"No evidence yet for {_names([theme_label(t['key']) for t in empty])}.")
    overdue = report["actions"]["overdue"]
    if overdue:
        parts.append(f"{counted(overdue, 'action')} overdue.")
    return " ".join(parts) or "Steady: no change in the goal scores."


def progress_view(report: Mapping[str, Any], width: int = 80) -> RenderableType:
    header = Text.assemble(
        ("Progress", "bold"),
        " · ",
        Text(_who(report), style="bold"),
        " · ",
        (period(report["since"], report["until"]), MUTED),
    )
    note = Text(
        "Goals: open/done · Start, Now: mean goal score 0-10"
        + (" · Trend: one mark a month" if width >= NARROW else ""),
        style=MUTED,
    )
    outcomes: list[RenderableType] = []
    if report.get("outcomes_engagement") is not None:
        from coachlog.render.outcomes import outcomes_view

        outcomes = [Text(""), outcomes_view(report["outcomes"], report["outcomes_engagement"])]
    return Group(
        header,
        Text(""),
        themes_table(report, width),
        note,
        *outcomes,
        Text(""),
        card_grid(report),
        Text(""),
        actions_line(report["actions"]),
        Text(""),
        Text.assemble(("What stands out  ", "bold"), stands_out(report)),
    )


# ---------------------------------------------------------------- files


def export(renderable_for: Any, fmt: str, *, title: str, width: int = 100) -> str:
    """The view as an SVG picture or an HTML page (`fmt` is 'svg' or 'html').

    `renderable_for(width)` builds the view. Files keep their colour whatever
    NO_COLOR says: they are pictures, meant to be looked at later.
    """
    with open(os.devnull, "w", encoding="utf-8") as sink:
        console = Console(
            record=True,
            width=width,
            file=sink,
            force_terminal=True,
            color_system="truecolor",
            no_color=False,
            highlight=False,
        )
        console.print(renderable_for(width))
    if fmt == "svg":
        return console.export_svg(title=title)
    page = console.export_html(inline_styles=True)
    return page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)


# ---------------------------------------------------------------- prep


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def _more(shown: int, total: int, command: str) -> Text | None:
    if total <= shown:
        return None
    return Text(f"  … and {total - shown} more: {command}", style=MUTED)


def _quote(ref: str) -> str:
    return f'"{ref}"' if any(ch.isspace() for ch in ref) else ref


def _engagement_place(ref: Mapping[str, Any] | None) -> str | None:
    """'session 3 of 6' from a session's {"id", "number", "of"} engagement place."""
    if not ref:
        return None
    return f"session {ref['number']}" + (f" of {ref['of']}" if ref.get("of") else "")


def _rows(rows: list[tuple[Text, Text, Text, Text]], width: int) -> Group:
    """Aligned one-line rows (marker, text, date or score, id): the text is cut
    with an ellipsis to what the other columns leave of `width`."""
    widths = [max((row[n].cell_len for row in rows), default=0) for n in range(4)]
    room = max(20, width - 4 - widths[2] - 1 - widths[3] - 1)
    text_width = min(room, widths[1])
    lines = []
    for marker, text, middle, ident in rows:
        line = Text("  ")
        line.append_text(marker)
        line.append(" ")
        cut = text.copy()
        cut.truncate(text_width, overflow="ellipsis", pad=True)
        line.append_text(cut)
        line.append(" ")
        middle = middle.copy()
        middle.truncate(widths[2], pad=True)
        line.append_text(middle)
        line.append(" ")
        line.append_text(ident)
        lines.append(line)
    return Group(*lines)


def _reflection_rows(
    reflections: Sequence[Mapping[str, Any]], most: int, width: int, listing: str
) -> list[RenderableType]:
    """One line per reflection in the brief ([card] title, date, #id), then "N more"."""
    rows = []
    for reflection in reflections[:most]:
        text = Text(f"[{reflection['card']}] " if reflection["card"] else "", style="cyan")
        text.append(Text(reflection["title"] or reflection["text"]))
        on = Text(reflection["on"], style=MUTED)
        rows.append((Text("·"), text, on, Text(f"#{reflection['id']}", style=MUTED)))
    parts: list[RenderableType] = [_rows(rows, width)]
    more = _more(most, len(reflections), listing)
    if more:
        parts.append(more)
    return parts


def prep_view(
    brief: Mapping[str, Any], width: int = 80, limits: tuple[int, int, int] = (6, 5, 4)
) -> Group:
    """The brief before the next session, kept to one screen by `limits`
    (actions, goals, reflections shown)."""
    max_actions, max_goals, max_reflections = limits
    name = brief["client"]
    ref = _quote(name)
    parts: list[RenderableType] = [
        Text.assemble(("Before your next session with ", "bold"), Text(name, style="bold cyan"))
    ]
    last = brief["last_session"]
    if last is None:
        parts.append(Text("No sessions yet: this will be the first.", style=MUTED))
    else:
        place = _engagement_place(last.get("engagement"))
        line = Text.assemble(
            ("Last session  ", "bold"),
            # "#N" is an id everywhere else, so the client's own session count is spelt out
            f"{_day(last['on'])}, {last['minutes']} min (their session no. {last['number']}"
            + (f"; {place} in the engagement)" if place else ")"),
            (f"  #{last['id']}", MUTED),
        )
        parts.append(line)
        labels = Text()
        if last["themes"]:
            labels.append("themes: " + ", ".join(theme_label(t) for t in last["themes"]))
        if last["cards"]:
            labels.append(("  " if labels else "") + "cards: " + ", ".join(last["cards"]))
        if labels:
            labels.stylize(MUTED)
            parts.append(Padding(labels, (0, 0, 0, 2), expand=False))
        if last["notes"]:
            parts.append(Padding(Text(last["notes"], style="italic"), (0, 0, 0, 2), expand=False))

    actions = brief["actions"]
    heading = Text.assemble(("Open actions", "bold"), f"  {len(actions)}")
    if brief["overdue"]:
        heading.append(f", {brief['overdue']} overdue", style=LOSS)
    parts += [Text(""), heading]
    if not actions:
        parts.append(Text("  none", style=MUTED))
    rows: list[tuple[Text, Text, Text, Text]] = []
    for action in actions[:max_actions]:
        late = action["overdue"]
        due = Text(f"due {action['due']}" if action["due"] else "", style=LOSS if late else MUTED)
        if late:
            due.append(" (overdue)")
        rows.append(
            (
                Text("!" if late else "·", style=LOSS if late else ""),
                Text(" ".join(action["text"].split())),
                due,
                Text(f"#{action['id']}", style=MUTED),
            )
        )
    parts.append(_rows(rows, width))
    more = _more(max_actions, len(actions), f"coachlog action list --client {ref} --open")
    if more:
        parts.append(more)

    goals = brief["goals"]
    since = f" since {_day(brief['since'])}" if brief["since"] else ""
    parts += [Text(""), Text.assemble(("Goals", "bold"), (f"  scores{since}", MUTED))]
    if not goals:
        parts.append(Text("  no goals yet", style=MUTED))
    rows = []
    for goal in goals[:max_goals]:
        title = Text(" ".join(goal["title"].split()))
        if goal["status"] != "open":
            title.append(f" ({goal['status']})", style=MUTED)
        if goal["latest"] is None:
            scores = Text("not scored yet", style=MUTED)
        else:
            start = goal["before"] if goal["before"] is not None else goal["baseline"]
            scores = Text.assemble(f"{start} → ", (str(goal["latest"]), "bold"), "/10")
            new = [str(score["score"]) for score in goal["scores_since"]]
            scores.append(f"  ({', '.join(new)})" if new else "  no new score", style=MUTED)
        rows.append((Text("·"), title, scores, Text(f"#{goal['id']}", style=MUTED)))
    parts.append(_rows(rows, width))
    more = _more(max_goals, len(goals), f"coachlog goal list --client {ref}")
    if more:
        parts.append(more)

    listing = f"coachlog reflection list --client {ref}"
    reflections = brief["reflections"]
    parts += [Text(""), Text.assemble(("Reflections", "bold"), f"  {len(reflections)}{since}")]
    parts += _reflection_rows(reflections, max_reflections, width, listing)

    shared = brief.get("shared_reflections") or []
    if shared:
        shared_title = f"Shared by {name}" + (" since your last session" if last else "")
        parts += [Text(""), Text.assemble(Text(shared_title, style="bold"), f"  {len(shared)}")]
        parts += _reflection_rows(shared, max_reflections, width, listing)

    develop = brief.get("develop") or []
    if develop:
        line = Text.assemble(("To develop  ", "bold"))
        for index, item in enumerate(develop):
            if index:
                line.append(", ")
            line.append(Text(item["title"]))
            change = item["change"]
            moved = ""
            if change is not None:
                moved = f" ({'+' if change > 0 else '±' if change == 0 else ''}{change})"
            line.append(f" {item['score']}/10{moved}", style=MUTED)
        line.append(f"  (profile of {brief['profile_on']})", style=MUTED)
        parts += [Text(""), line]

    card = brief["suggested_card"]
    if card:
        parts += [
            Text(""),
            Text.assemble(
                ("Try a card  ", "bold"),
                (card["title"], "bold cyan"),
                (
                    " (not explored yet)" if card["uses"] == 0 else f" (used {card['uses']}×)",
                    MUTED,
                ),
            ),
            Padding(Text(card["question"], style="italic"), (0, 0, 0, 2), expand=False),
        ]
    return Group(*parts)


# ---------------------------------------------------------------- overview


WELCOME_COMMANDS = [
    ("Add someone you coach or mentor", 'coachlog client add "Sam Rivers"'),
    ("Log a session with them", 'coachlog session log --client "Sam Rivers" --minutes 60'),
    ("Answer a behaviour-card question yourself", "coachlog reflect --random"),
]


def welcome_view() -> Group:
    steps: list[RenderableType] = []
    for number, (what, command) in enumerate(WELCOME_COMMANDS, start=1):
        steps.append(Text(f"  {number}. {what}:"))
        steps.append(Text(f"     {command}", style="bold cyan"))
    return Group(
        Text("Welcome to coachlog: your coaching journal is empty.", style="bold"),
        Text("Three ways to start:"),
        *steps,
        Text("'coachlog --help' lists every command.", style=MUTED),
    )


LABEL_WIDTH = len("Follow-ups due")  # the longest label


def _item(date: str, style: str, text: str, who: str | None, tail: str, width: int) -> Text:
    """One dated line of the overview (date, text, whose, then `tail` such as "#3"), cut
    so the line never wraps: the text gives way first, down to a few words' worth, then
    the name, so the id at the end always stays on the line."""
    room = max(24, width - LABEL_WIDTH - 2 - len(date) - 2) - len(tail)
    body = Text(" ".join(text.split()))
    whose = Text(f" ({' '.join(who.split())})" if who else "", style=MUTED)
    keep = min(body.cell_len, 12)  # the text keeps at least this much
    if whose.cell_len > room - keep:
        name = Text(" ".join((who or "").split()), style=MUTED)
        name.truncate(max(4, room - keep - 3), overflow="ellipsis")
        whose = Text.assemble((" (", MUTED), name, (")", MUTED))
    body.truncate(max(4, room - whose.cell_len), overflow="ellipsis")
    row = Text(date, style=style)
    row.append("  ")
    row.append_text(body)
    row.append_text(whose)
    row.append(tail)
    return row


def overview_view(data: Mapping[str, Any], width: int = 80) -> RenderableType:
    """The bare `coachlog`: a few lines per topic, each list item on one line."""
    if data["empty"]:
        return welcome_view()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    last = data["last_session"]
    if last:
        line = Text.assemble(f"{_day(last['on'])} with ", Text(last["client"], style="cyan"))
        line.append(f", {last['minutes']} min")
        place = _engagement_place(last.get("engagement"))
        if place:
            line.append(f", {place}")
        if last["themes"]:
            line.append(" · " + ", ".join(theme_label(t) for t in last["themes"]), style=MUTED)
        grid.add_row("Last session", line)
    else:
        grid.add_row("Last session", Text("none logged yet", style=MUTED))

    actions = data["actions"]
    head = Text(f"{actions['open']} open")
    if actions["overdue"]:
        head.append(f", {actions['overdue']} overdue", style=LOSS)
    grid.add_row("Actions", head)
    for action in actions["items"]:
        date = action["due"] or "no date   "
        style = LOSS if action["overdue"] else MUTED
        tail = f"  #{action['id']}"
        grid.add_row("", _item(date, style, action["text"], action["client"], tail, width))
    if actions["open"] > len(actions["items"]):
        more = actions["open"] - len(actions["items"])
        grid.add_row("", Text(f"… and {more} more: coachlog action list --open", style=MUTED))

    goals = data["goals_due"]
    # A goal whose date has passed is overdue, not "due": it gets its own label.
    overdue_goals = [goal for goal in goals if goal["due"] < data["today"]]
    due_goals = [goal for goal in goals if goal["due"] >= data["today"]]
    for label, group, style in (
        ("Goals overdue", overdue_goals, LOSS),
        ("Goals due", due_goals, WARN),
    ):
        for n, goal in enumerate(group):
            tail = f"  {goal['latest']}/10" if goal["latest"] is not None else ""
            tail += f"  #{goal['id']}"
            row = _item(goal["due"], style, goal["title"], goal["client"], tail, width)
            grid.add_row(label if n == 0 else "", row)
    if not due_goals:
        grid.add_row("Goals due", Text("none in the next two weeks", style=MUTED))

    for n, follow in enumerate(data.get("follow_ups_due", [])):
        who = Text(follow["client"] or "you (your own coaching)", style="cyan")
        late = follow["due"] < data["today"]
        row = Text.assemble(
            # "overdue" in words too: without colour the red says nothing.
            (follow["due"] + (" overdue" if late else ""), LOSS if late else WARN),
            "  ",
            who,
            (f", ended {follow['ended_on']}  engagement {follow['id']}", MUTED),
        )
        grid.add_row("Follow-ups due" if n == 0 else "", row)

    sup = data["supervision"]
    if sup:
        if sup["ratio"] is None:
            ratio = "no supervision yet"
        elif not sup["coaching_hours"]:  # a ratio of 0 is no coaching, not no supervision
            ratio = "no coaching to set it against"
        else:
            ratio = f"1:{sup['ratio']:g}"
        row = Text(
            f"{sup['supervision_hours']:g} h for {sup['coaching_hours']:g} h coached ({ratio}); "
        )
        if sup["due"]:
            row.append(f"about {sup['hours_due']:g} h due for EMCC's 1:35", style=WARN)
        else:
            row.append("within EMCC's 1:35", style=GAIN)
        if sup["last"]:
            row.append(f" · last {sup['last']}", style=MUTED)
        grid.add_row("Supervision", row)

    card = data["card"]
    if card:
        grid.add_row(
            "Reflect on",
            Text.assemble((card["title"], "bold cyan"), (f" ({card['perspective']})", MUTED)),
        )
        grid.add_row("", Text(card["question"], style="italic"))
        grid.add_row("", Text(f"coachlog reflect --card {card['key']}", style=MUTED))
    return grid
