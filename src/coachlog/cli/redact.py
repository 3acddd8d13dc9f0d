"""`coachlog redact ...`: people who must never be named in an export, whoever they are.

A client's manager, a colleague, a GP named in notes: not clients, so the
anonymiser would not know them. Each name on this list is replaced with
"[person]" in every anonymised export, by the same rules as clients' names
(any case, with or without accents, each word of the name, titles taken along).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag

app = typer.Typer(
    rich_markup_mode=None,
    help="Keep other people's names out of exports: add, list, remove.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name, as written.")],
    json_: JsonFlag = False,
) -> None:
    """Add someone to redact from exports (shown there as [person]).

    Example: coachlog redact add "Dr Patel"
    """
    from coachlog.core import redactions
    from coachlog.text import for_terminal

    row = redactions.add_redaction(common.journal(), name)
    if json_:
        common.print_json(row)
    else:
        common.say(f"Exports will show {for_terminal(row['name'])} as [person] (id {row['id']}).")


@app.command("list")
def list_(json_: JsonFlag = False) -> None:
    """List the people redacted from exports.

    Example: coachlog redact list --json
    """
    from coachlog.core import redactions

    rows = redactions.redactions(common.journal())
    if json_:
        common.print_json(rows)
        return
    if not rows:
        common.say('No one on the redact list. Add someone with: coachlog redact add "Name"')
        return
    from rich.text import Text

    from coachlog.render.tables import table
    from coachlog.text import for_terminal

    t = table("id", "name", "added")
    for row in rows:
        t.add_row(str(row["id"]), Text(for_terminal(row["name"])), row["added_on"])
    common.out().print(t)


@app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Their id or name on the list.")],
    json_: JsonFlag = False,
) -> None:
    """Take someone off the redact list (by id or name).

    Example: coachlog redact remove "Dr Patel"
    """
    from coachlog.core import redactions
    from coachlog.text import for_terminal

    row = redactions.remove_redaction(common.journal(), name)
    if json_:
        common.print_json(row)
    else:
        common.say(f"Removed {for_terminal(row['name'])} from the redact list.")
