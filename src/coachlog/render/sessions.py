"""Human output for sessions and actions: list tables that fit 80 columns, and the
full view of one session that `session show` prints.

Notes and every other piece of user text go in as `rich.text.Text`, so a note
holding `[/bold]` prints as typed. Lists show a one-line excerpt of the notes;
`show` prints them whole, with private notes under a heading that says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from coachlog.models import Action, Session
from coachlog.render.tables import key_values, one_line


def _when(session: Session) -> str:
    return session.on.isoformat() + (f" {session.at}" if session.at else "")


def _cell(text: str | Text) -> Text:
    """One line, cut with an ellipsis when the column is narrower than the text."""
    cell = text if isinstance(text, Text) else Text(text)
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell


def engagement_place(session: Session) -> str | None:
    """'session 3 of 6' (or 'session 3' with no number agreed) in its engagement."""
    ref = session.engagement
    if ref is None:
        return None
    return f"session {ref.number}" + (f" of {ref.of}" if ref.of else "")


def sessions_table(sessions: Sequence[Session]) -> Table:
    """id, date, client, minutes, themes and the first line of the notes.

    The short columns never wrap; client, themes and notes are the ones Rich
    narrows to fit the terminal, each cell staying on one line with an ellipsis.
    """
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("date", no_wrap=True)
    t.add_column("client", max_width=16)
    t.add_column("min", justify="right", no_wrap=True)
    # "3 of 6": only when some session listed is part of an engagement.
    engaged = any(s.engagement is not None for s in sessions)
    if engaged:
        t.add_column("session", no_wrap=True)
    t.add_column("themes", max_width=18)
    t.add_column("notes")
    for s in sessions:
        place = (engagement_place(s) or "").removeprefix("session ")
        t.add_row(
            str(s.id),
            s.on.isoformat(),
            _cell(s.client),
            str(s.minutes),
            *([place] if engaged else []),
            _cell(", ".join(th.value for th in s.themes)),
            _cell(one_line(s.notes, width=200)),
        )
    return t


def _status(action: Action, today: dt.date) -> Text:
    if action.done_on is not None:
        return Text(f"done {action.done_on.isoformat()}", style="green")
    if action.due is not None and action.due < today:
        return Text("overdue", style="bold red")
    return Text("open")


def actions_table(actions: Sequence[Action], today: dt.date, *, show_client: bool = True) -> Table:
    """id, due date, client, status and text of each action."""
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("due", no_wrap=True, min_width=len("2026-01-01"))
    if show_client:
        t.add_column("client", no_wrap=True, overflow="ellipsis", max_width=16)
    t.add_column("status", no_wrap=True, min_width=len("overdue"))
    t.add_column("action", overflow="ellipsis", ratio=1)
    for a in actions:
        cells: list[RenderableType] = [str(a.id), a.due.isoformat() if a.due else ""]
        if show_client:
            cells.append(Text(a.client or "(me)"))
        cells += [_status(a, today), Text(a.text)]
        t.add_row(*cells)
    return t


def session_detail(session: Session, today: dt.date) -> Group:
    """Everything about one session: details, full notes, private notes, actions."""
    parts: list[RenderableType] = [
        Text(f"Session {session.id}", style="bold")
        + Text(" with ")
        + Text(session.client, style="bold")
        + Text(f" (their session no. {session.number})")
        + Text(
            f", {engagement_place(session)} in engagement {session.engagement.id}"
            if session.engagement
            else ""
        ),
        key_values(
            [
                ("When", _when(session)),
                ("Length", f"{session.minutes} min"),
                ("Mode", f"{session.mode.value}, {session.format.value}"),
                ("Model", session.model.value.upper() if session.model else None),
                ("Themes", [t.value for t in session.themes]),
                ("Cards", session.cards),
                ("Tags", session.tags),
                ("Pro bono", "yes" if session.pro_bono else None),
            ]
        ),
    ]
    if session.notes:
        parts += [Text(""), Text("Notes", style="bold underline"), Text(session.notes)]
    if session.private_notes:
        parts += [
            Text(""),
            Text("Private notes", style="bold underline")
            + Text(" (private: left out of exports unless --private)", style="dim"),
            Text(session.private_notes),
        ]
    if session.actions:
        parts += [
            Text(""),
            Text("Actions agreed", style="bold underline"),
            actions_table(session.actions, today, show_client=False),
        ]
    return Group(*parts)
