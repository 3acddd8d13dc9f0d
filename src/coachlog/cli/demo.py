"""`coachlog demo`: a realistic sample journal in a temporary folder, to try coachlog safely.

It is the first command a newcomer runs, so it never opens their own journal
(`--db` and $COACHLOG_DB are ignored except to make sure the sample does not land
there), needs no input, and ends with commands to copy that point at the sample.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag

if TYPE_CHECKING:
    from rich.console import Console

    from coachlog.core.demo import DemoSummary

KeepOpt = Annotated[
    str | None,
    typer.Option(
        "--keep",
        metavar="DIR",
        help="Put the sample journal in DIR (new or empty) instead of a temporary folder.",
    ),
]


def register(root: typer.Typer) -> None:
    root.command("demo")(demo)


def demo(keep: KeepOpt = None, json_: JsonFlag = False) -> None:
    """Try coachlog on a made-up journal: a coach, three clients, six months of work.

    Makes a NEW journal in a temporary folder (your own journal is never opened),
    fills it with realistic sample sessions, goals, scores and reflections, shows
    what is in it and prints commands to explore it.

    Example: coachlog demo
    """
    from coachlog.core import demo as core

    j = core.create(keep, user_db=common.STATE.db)
    try:
        info = core.summary(j)
        path = str(j.path.resolve())
    finally:
        j.close()
    if json_:
        common.print_json({"path": path, "counts": info.counts})
        return
    _show(common.out(), path, info)


def _show(console: Console, path: str, info: DemoSummary) -> None:
    from rich.text import Text

    from coachlog.render.tables import key_values, table

    c = info.counts
    hours = sum(int(str(row["minutes"])) for row in info.clients) / 60
    db = shlex.quote(path)
    folder = shlex.quote(path.rsplit("/", 1)[0]) if "/" in path else "."

    console.print(Text("coachlog demo: a sample journal to explore", style="bold"))
    console.print()
    console.print(Text("This is NOT your journal. It is a sample, and everyone in it is made up."))
    console.print(Text("It is in a new folder:"))
    console.print(Text(f"  {path}", style="cyan"), soft_wrap=True)
    console.print(Text("Your own journal was not opened or changed. To delete the sample:"))
    console.print(Text(f"  rm -r {folder}"), soft_wrap=True)
    console.print()
    console.print(
        key_values(
            [
                ("Kept by", info.owner),
                ("Covers", f"{info.first_session} to {info.last_session}"),
                (
                    "Holds",
                    f"{c['clients']} clients, {c['sessions']} sessions ({hours:.1f} hours), "
                    f"{c['actions']} actions agreed, {c['goals']} goals with "
                    f"{c['goal_scores']} scores, {c['reflections']} reflections, "
                    f"{c['supervision']} supervision sessions",
                ),
            ]
        )
    )

    clients = table(
        "id", "client", "role and organisation", "relationship", "sessions", title="Clients"
    )
    for row in info.clients:
        clients.add_row(
            str(row["id"]),
            Text(str(row["name"])),
            Text(str(row["organisation"] or "")),
            str(row["relationship"]),
            str(row["sessions"]),
        )
    _no_wrap(clients, 2)
    clients.columns[4].justify = "right"
    console.print()
    console.print(clients)

    sessions = table("id", "date", "client", "min", "themes", title="Latest sessions")
    for row in info.recent_sessions:
        sessions.add_row(
            str(row["id"]),
            str(row["on_date"]),
            Text(str(row["client"])),
            str(row["minutes"]),
            Text(str(row["themes"] or "")),
        )
    _no_wrap(sessions, 4)
    sessions.columns[3].justify = "right"
    console.print(sessions)

    goals = table("id", "goal", "whose", "start", "now", title="Goal scores (0-10)")
    for row in info.goals:
        goals.add_row(
            str(row["id"]),
            Text(str(row["title"])),
            Text(_whose(row["client"])),
            _score(row["baseline"]),
            _now(row["baseline"], row["latest"]),
        )
    _no_wrap(goals, 1)
    goals.columns[3].justify = "right"
    goals.columns[4].justify = "right"
    console.print(goals)

    console.print(
        Text("Try next (each command uses the sample journal, not yours):", style="bold")
    )
    for command in (
        "session list",
        "session show 1",
        "prep 1",
        "progress --client 1",
        "search resilience",
        "export supervision",
    ):
        console.print(Text(f"  {_program()} --db {db} {command}"), soft_wrap=True)


def _program() -> str:
    """How to run coachlog again, for commands the user will copy.

    After the Quick start coachlog is in `.venv/bin`, not on PATH, so a bare
    `coachlog` would be "command not found": repeat the path it was started by
    unless `coachlog` on PATH is that same program."""
    import os
    import shutil
    import sys
    from pathlib import Path

    invoked = sys.argv[0] if sys.argv else ""
    if Path(invoked).stem.lower() != "coachlog":
        return "coachlog"  # python -m coachlog, or a test runner
    found = shutil.which("coachlog")
    try:
        if found and Path(found).resolve() == Path(invoked).resolve():
            return "coachlog"
    except OSError:
        pass
    if os.name == "nt":
        return f'"{invoked}"' if " " in invoked else invoked
    return shlex.quote(invoked)


def _no_wrap(t: Any, column: int) -> None:
    """One line per row at any width: `column` takes the room the others leave, and
    its text is cut with an ellipsis rather than wrapped."""
    t.expand = True
    for each in t.columns:
        each.no_wrap = True
    t.columns[column].overflow = "ellipsis"
    t.columns[column].ratio = 1


def _whose(client: Any) -> str:
    return "the coach" if client is None else str(client)


def _score(value: Any) -> str:
    return "-" if value is None else str(value)


def _now(baseline: Any, latest: Any) -> str:
    if baseline is None or latest is None:
        return _score(latest)
    change = int(latest) - int(baseline)
    return f"{latest} ({change:+d})"
