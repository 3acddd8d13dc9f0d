"""Rich tables for list commands: models in, renderables out.

User text always goes in as `rich.text.Text`, never as markup, so notes that
contain `[brackets]` print exactly as typed. Tables are built to fit 80 columns:
long text is cut to one line with an ellipsis (the `show` commands print it whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from coachlog.models import Client


def one_line(text: str | None, width: int = 60) -> Text:
    """The first line of `text`, cut to `width` characters, as literal Text."""
    if not text:
        return Text("")
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) > width or "\n" in text.strip():
        first = first[: width - 1].rstrip() + "…"
    return Text(first)


def period(since: object | None, until: object | None) -> str:
    """A date range in words: '2026-01-01 to 2026-03-31', 'from ...', 'all dates'."""
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"from {since}"
    if until:
        return f"up to {until}"
    return "all dates"


def table(*columns: str, title: str | None = None) -> Table:
    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    for name in columns:
        # A header is never cut ("supervis…"): its column is at least that wide.
        t.add_column(name, overflow="ellipsis", min_width=len(name))
    return t


def fit_columns(t: Table, **widths: int) -> None:
    """Keep short columns (ids, dates, scores) whole; cap the named text columns.

    Callers cut the text of the named columns to the same widths with `one_line`,
    so on an 80-column terminal every row is one line. On a narrower one only the
    text columns give way (they wrap); ids and dates never disappear.
    """
    for column in t.columns:
        header = str(column.header)
        if header in widths:
            column.max_width = widths[header]
            column.overflow = "ellipsis"
        else:
            column.no_wrap = True


def clients_table(clients: Sequence[Client]) -> Table:
    t = table("id", "name", "relationship", "organisation")
    for c in clients:
        name = Text(c.name)
        if c.archived:
            name.append(" (archived)", style="dim")
        t.add_row(str(c.id), name, c.relationship.value, Text(c.organisation or ""))
    return t


class FoldedPath:
    """A file path that wraps only after a separator, so a narrow terminal shows
    `/home/sam/` on one line and `coachlog.db` whole on the next, never `coachl`
    / `og.db`. A segment longer than the line is the one thing still cut."""

    def __init__(self, path: object) -> None:
        self.parts = re.findall(r"[^/\\]*[/\\]|[^/\\]+$", str(path)) or [str(path)]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(max(len(p) for p in self.parts), sum(len(p) for p in self.parts))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width, line = options.max_width, ""
        for part in self.parts:
            if line and len(line) + len(part) > width:
                yield Text(line, overflow="fold")
                line = ""
            line += part
        yield Text(line, overflow="fold")


def key_values(rows: Iterable[tuple[str, object]]) -> Table:
    """A two-column 'label: value' grid for `show` commands."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in rows:
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, PurePath):
            grid.add_row(label, FoldedPath(value))
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        grid.add_row(label, Text(shown))
    return grid
