"""`coachlog search QUERY`: full text over session notes, reflections, goals and actions."""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import ClientOpt, JsonFlag, SinceOpt


def register(root: typer.Typer) -> None:
    """Add the top-level `search` command to the root app."""
    root.command("search")(search)


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help="Words to find (all of them); end a word with * to match its start.",
            show_default=False,
        ),
    ],
    client: ClientOpt = None,
    since: SinceOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N hits; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """Find notes, reflections, goals and actions containing all your words.

    The best match comes first; end a word with * to match its start (resil*).
    In --json output each hit's snippet marks the matched words with « and ».

    Example: coachlog search ward merger --client 2
    """
    from coachlog.core import search as core

    # One more than asked for tells whether to mention that there are more.
    hits = core.search(
        common.journal(),
        " ".join(query),
        client=client,
        since=since,
        limit=common.rows_to_read(limit),
    )
    hits, more = common.paged(hits, limit)
    if json_:
        common.print_json(hits)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the {limit} best")
        return
    if not hits:
        common.say(
            "Nothing found. Every word has to match: try fewer words,\n"
            "or end one with * to match its start (resil*)."
        )
        return
    from coachlog.render.cards import search_hits

    common.out().print(search_hits(hits))
    if more:
        common.more_exist(f"the {limit} best")
