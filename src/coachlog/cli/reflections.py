"""`coachlog reflect` and `coachlog reflection list|show`: journal entries between sessions.

`reflect` collects its values, asks `core.reflections.choose_card` for the card
and question, then `core.reflections.record` saves the answer. Prompts
(cli/prompts.py) can wrap the same two calls: show the card, ask for the text.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import ClientOpt, JsonFlag, SinceOpt, TagOpt, UntilOpt
from coachlog.vocab import Perspective, ThemeKey

if TYPE_CHECKING:
    from coachlog.core.cards import Drawn
    from coachlog.models import Reflection

app = typer.Typer(help="List and read your reflections.", no_args_is_help=True)

ThemeOpt = Annotated[
    list[ThemeKey] | None,
    typer.Option(
        "--theme",
        "-t",
        help="An IES impact theme the reflection is about (repeatable).",
        case_sensitive=False,
    ),
]
CardOpt = Annotated[
    str | None,
    typer.Option("--card", metavar="CARD", help="A behaviour card's key, e.g. resilience."),
]
DeckOpt = Annotated[
    str | None,
    typer.Option(
        "--deck", metavar="NAME", help="Take cards from your own deck (see 'cards decks')."
    ),
]


def read_text(value: str | None) -> str | None:
    """The text of `--text`: `-` reads it all from stdin (one final newline dropped)."""
    if value != "-":
        return value
    text = sys.stdin.read()
    return text[:-1] if text.endswith("\n") else text


def show_card(drawn: Drawn) -> None:
    """The card and question being answered, on stdout for the person reflecting."""
    from coachlog.render.reflections import card_prompt

    common.out().print(card_prompt(drawn.card, drawn.perspective, drawn.question))


def register_reflect(root: typer.Typer) -> None:
    """Add the top-level `coachlog reflect` command to the root app."""
    root.command("reflect")(reflect)


def reflect(
    card: CardOpt = None,
    card_theme: Annotated[
        str | None,
        typer.Option(
            "--card-theme",
            metavar="GROUP",
            help="Draw a card from one group: being, relating-communicating, "
            "leading-visioning or delivering.",
        ),
    ] = None,
    random: Annotated[
        bool, typer.Option("--random", help="Draw a card, favouring ones you have used least.")
    ] = False,
    perspective: Annotated[
        Perspective | None,
        typer.Option(
            "--perspective",
            "-p",
            help="Which of the card's questions: self (default), organisation or system.",
            case_sensitive=False,
        ),
    ] = None,
    theme: ThemeOpt = None,
    tag: TagOpt = None,
    client: ClientOpt = None,
    goal: Annotated[
        int | None, typer.Option("--goal", metavar="ID", help="The goal this is about.")
    ] = None,
    session: Annotated[
        int | None,
        typer.Option("--session", metavar="ID", help="The session this follows on from."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text", metavar="TEXT", help="What you want to say; '-' reads it from stdin."
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The date; default today.")
    ] = None,
    deck: DeckOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Write a reflection, usually answering a behaviour-card question.

    Pick a card with --card, draw one with --random or --card-theme, or leave them
    out for a free entry. The card, perspective and exact question are saved with
    your answer.
    """
    common.require(**{"--text": text})
    body = read_text(text)
    from coachlog.core import reflections

    j = common.journal()
    drawn = reflections.choose_card(
        j, card=card, card_theme=card_theme, random=random, perspective=perspective, deck=deck
    )
    saved = reflections.record(
        j,
        text=body or "",
        card=drawn.card.key if drawn else None,
        deck=drawn.card.deck if drawn else None,
        perspective=drawn.perspective if drawn else None,
        question=drawn.question if drawn else None,
        themes=[t.value for t in theme or []],
        tags=tag or [],
        client=client,
        goal_id=goal,
        session_id=session,
        on=on,
    )
    if json_:
        common.print_json(saved)
        return
    if drawn is not None:
        show_card(drawn)
    common.say(f"Saved reflection {saved.id}.")


@app.command("list")
def list_(
    since: SinceOpt = None,
    until: UntilOpt = None,
    card: CardOpt = None,
    theme: Annotated[
        ThemeKey | None,
        typer.Option(
            "--theme",
            "-t",
            help="Only those tagged with this IES impact theme.",
            case_sensitive=False,
        ),
    ] = None,
    client: ClientOpt = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help="Show at most this many (0 = all)."),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List reflections, newest first (the last 20 unless --limit)."""
    from coachlog.core import reflections

    found = reflections.list_reflections(
        common.journal(),
        since=since,
        until=until,
        card=card,
        theme=theme.value if theme else None,
        client=client,
        limit=limit or None,
    )
    if json_:
        common.print_json(found)
        return
    if not found:
        common.say("No reflections found. Write one with: coachlog reflect --random --text ...")
        return
    from coachlog.render.reflections import reflections_table

    common.out().print(reflections_table(found))
    if limit and len(found) == limit:
        common.say(f"Showing the latest {limit}; --limit 0 shows them all.")


@app.command("show")
def show(
    reflection_id: Annotated[
        int, typer.Argument(metavar="ID", help="The reflection's id (see 'reflection list').")
    ],
    json_: JsonFlag = False,
) -> None:
    """Show one reflection in full, with the question it answered."""
    from coachlog.core import reflections

    found: Reflection = reflections.get(common.journal(), reflection_id)
    if json_:
        common.print_json(found)
        return
    from coachlog.render.reflections import reflection_detail

    common.out().print(reflection_detail(found, _card_title(found)))


def _card_title(found: Reflection) -> str | None:
    """The card's title for display; the key if its deck is gone."""
    if found.card is None:
        return None
    from coachlog.core import cards
    from coachlog.errors import CoachlogError

    try:
        return cards.find_card(common.journal(), found.card, found.deck).title
    except CoachlogError:
        return found.card
