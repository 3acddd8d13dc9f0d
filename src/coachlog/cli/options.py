"""Option declarations shared by several commands, so a flag reads the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli.completion import complete_client

# The theme keys, for help text: a metavar of every choice would not fit 60 columns.
THEMES = "strategic, prioritisation, confidence, influence, team or self-presentation"

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of a table.")]
ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        "-c",
        metavar="CLIENT",
        help="Client id or exact name.",
        autocompletion=complete_client,
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="From this date (2026-11-03, 3/11/2026, last friday, 2026-11 = the month).",
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", help="Up to and including this date (2026-11 = to its end)."
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="A free-form tag (repeatable)."),
]

# How a list that grows with the years pages: the newest 20 unless --limit (0: all).
NewestLimitOpt = Annotated[
    int,
    typer.Option("--limit", "-n", min=0, metavar="N", help="Show the N newest; 0 shows all."),
]
