"""`coachlog reflect` and `coachlog reflection list|show`: journal entries between sessions.

`reflect` collects its values, asks `core.reflections.choose_card` for the card
and question, then `core.reflections.record` saves the answer. Prompts
(cli/prompts.py) can wrap the same two calls: show the card, ask for the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import (
    complete_card,
    complete_card_theme,
    complete_deck,
    complete_goal,
)
from coachlog.cli.options import THEMES, ClientOpt, JsonFlag, SinceOpt, TagOpt, UntilOpt
from coachlog.vocab import Perspective, ThemeKey

if TYPE_CHECKING:
    from coachlog.models import Drawn, Reflection

app = typer.Typer(
    rich_markup_mode=None, help="List and read your reflections.", no_args_is_help=True
)

ThemeOpt = Annotated[
    list[ThemeKey] | None,
    typer.Option(
        "--theme",
        "-t",
        metavar="THEME",
        help=f"An IES impact theme the reflection is about: {THEMES} (repeatable).",
        case_sensitive=False,
    ),
]
CardOpt = Annotated[
    str | None,
    typer.Option(
        "--card",
        metavar="CARD",
        help="A behaviour card's key, e.g. resilience.",
        autocompletion=complete_card,
    ),
]
DeckOpt = Annotated[
    str | None,
    typer.Option(
        "--deck",
        metavar="NAME",
        help="Take cards from your own deck (see 'cards decks').",
        autocompletion=complete_deck,
    ),
]


def read_text(value: str | None) -> str | None:
    """The text of `--text`: `-` reads it all from stdin (one final newline dropped)."""
    if value != "-":
        return value
    text = common.read_stdin("--text")
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
            autocompletion=complete_card_theme,
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
        int | None,
        typer.Option(
            "--goal", metavar="ID", help="The goal this is about.", autocompletion=complete_goal
        ),
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
    private: Annotated[
        bool,
        typer.Option(
            "--private", help="Keep it to yourself: it never goes in a share pack to your coach."
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Write a reflection, usually answering a behaviour-card question.

    In a terminal, with no --text, coachlog draws a card (the ones you have used
    least come first), shows it and asks its question: take it, draw another or
    pick one, then type your answer (Ctrl-E opens your editor for longer text).
    Otherwise pick a card with --card, draw one with --random or --card-theme, or
    leave them out for a free entry. The card, perspective and exact question are
    saved with your answer.

    Example: coachlog reflect --random
    """
    if text is None and common.interactive():
        _reflect_interactively(
            card=card,
            card_theme=card_theme,
            random=random,
            perspective=perspective,
            themes=[t.value for t in theme or []],
            tags=tag or [],
            client=client,
            goal=goal,
            session=session,
            on=on,
            deck=deck,
            private=private,
            json_=json_,
        )
        return
    common.require(**{"--text": text})
    from coachlog.core import reflections

    j = common.journal()
    drawn = reflections.choose_card(
        j, card=card, card_theme=card_theme, random=random, perspective=perspective, deck=deck
    )
    was_drawn = drawn is not None and (random or card_theme is not None)
    if was_drawn and drawn is not None:
        # The text was written without seeing the drawn question: say which one it is
        # filed under (on stderr, before `--text -` is read), so nobody is surprised.
        from coachlog.text import for_terminal

        common.say(
            f"Filed under {for_terminal(drawn.card.title)} ({drawn.perspective.value}): "
            f"{for_terminal(drawn.question)}"
        )
    body = read_text(text)
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
        private=private,
    )
    if json_:
        common.print_json(saved)
        return
    if drawn is not None and not was_drawn:
        show_card(drawn)
    common.say(f"Saved reflection {saved.id}.")


def _reflect_interactively(
    *,
    card: str | None,
    card_theme: str | None,
    random: bool,
    perspective: Perspective | None,
    themes: list[str],
    tags: list[str],
    client: str | None,
    goal: int | None,
    session: int | None,
    on: str | None,
    deck: str | None,
    json_: bool,
    private: bool = False,
) -> None:
    """`reflect` in a terminal: the card, its question and the answer are asked for."""
    from coachlog import dates
    from coachlog.cli import flows
    from coachlog.core import cards, clients, goals, reflections, sessions

    j = common.journal()
    # Every flag is checked before the first question, so nobody types an answer
    # only to have it refused for a typo in a flag.
    if sum(1 for given in (card, card_theme, random) if given) > 1:
        reflections.choose_card(j, card=card, card_theme=card_theme, random=random)
    if on is not None:
        dates.parse_date(on, "--on")
    if client is not None:
        clients.resolve(j, client)
    if goal is not None:
        goals.get(j, goal)
    if session is not None:
        sessions.get(j, session)
    if deck is not None:
        cards.get_deck(j, deck)
    answer = flows.reflect_flow(
        j,
        card=card,
        card_theme=card_theme,
        perspective=perspective.value if perspective else None,
        deck=deck,
        themes=themes,
        client=client,
        goal_id=goal,
        session_id=session,
    )
    if answer is None:
        return
    drawn = answer.drawn
    saved = reflections.record(
        j,
        text=answer.text,
        card=drawn.card.key if drawn else None,
        deck=drawn.card.deck if drawn else None,
        perspective=drawn.perspective if drawn else None,
        question=drawn.question if drawn else None,
        themes=answer.themes,
        tags=tags,
        client=client,
        goal_id=answer.goal_id,
        session_id=session,
        on=on,
        private=private,
    )
    if json_:
        common.print_json(saved)
    else:
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
            metavar="THEME",
            help=f"Only those tagged with this IES impact theme: {THEMES}.",
            case_sensitive=False,
        ),
    ] = None,
    client: ClientOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N reflections; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List reflections, newest first (the last 20 unless --limit).

    Example: coachlog reflection list --since 2026-11 --limit 0
    """
    from coachlog.core import reflections

    found = reflections.list_reflections(
        common.journal(),
        since=since,
        until=until,
        card=card,
        theme=theme.value if theme else None,
        client=client,
        limit=common.rows_to_read(limit),
    )
    found, more = common.paged(found, limit)
    if json_:
        common.print_json(found)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the {limit} newest")
        return
    if not found:
        common.say("No reflections found. Write one with: coachlog reflect --random --text ...")
        return
    from coachlog.render.reflections import reflections_table

    console = common.out()
    console.print(reflections_table(found, console.width))
    if more:
        common.more_exist(f"the {limit} newest")


@app.command("show")
def show(
    reflection_id: Annotated[
        int, typer.Argument(metavar="ID", help="The reflection's id (see 'reflection list').")
    ],
    json_: JsonFlag = False,
) -> None:
    """Show one reflection in full, with the question it answered.

    Example: coachlog reflection show 9
    """
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


ReflectionArg = Annotated[
    int, typer.Argument(metavar="ID", help="The reflection's id (see 'reflection list').")
]


@app.command("edit")
def edit(
    reflection_id: ReflectionArg,
    text: Annotated[
        str | None,
        typer.Option("--text", metavar="TEXT", help="The new text; '-' reads it from stdin."),
    ] = None,
    card: Annotated[
        str | None,
        typer.Option(
            "--card",
            metavar="CARD",
            help="File it under this card's question; '' for no card.",
            autocompletion=complete_card,
        ),
    ] = None,
    perspective: Annotated[
        Perspective | None,
        typer.Option(
            "--perspective",
            "-p",
            help="Which of the card's questions: self, organisation or system.",
            case_sensitive=False,
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The date (not after today).")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Correct a reflection; only what you give changes.

    In a terminal with none of the flags, your editor ($VISUAL or $EDITOR) opens
    on the text. A new --card or --perspective files the entry under that
    question, as 'reflect' would.

    Example: coachlog reflection edit 3 --card resilience --perspective system
    """
    from coachlog.core import reflections
    from coachlog.errors import CoachlogError

    j = common.journal()
    body = read_text(text)
    started_from: str | None = None
    if all(v is None for v in (text, card, perspective, on)) and common.interactive():
        from coachlog.cli.prompts import get_prompter

        current = reflections.get(j, reflection_id)
        started_from = current.text
        body = get_prompter().editor_text(current.text).rstrip("\n")
        if body == current.text:
            common.say("No change.")
            return
    try:
        saved = reflections.edit(
            j,
            reflection_id,
            text=body,
            card=card,
            perspective=perspective,
            on=on,
            expected_text=started_from,
        )
    except CoachlogError:
        if started_from is not None and body:
            # Another shell changed or deleted it while the editor was open: the
            # person's typing is not lost, it is shown so it can be copied back.
            common.write_text(body + "\n")
        raise
    if json_:
        common.print_json(saved)
    else:
        common.say(f"Updated reflection {saved.id}.")


@app.command("delete")
def delete(
    reflection_id: ReflectionArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete a reflection for good.

    Example: coachlog reflection delete 3 --yes
    """
    from coachlog.core import reflections

    j = common.journal()
    found = reflections.get(j, reflection_id)
    common.confirm(
        f"Delete reflection {found.id} of {found.on.isoformat()}?",
        yes=yes,
        refusal=f"Deleting reflection {reflection_id} needs --yes.",
        hint=f"Run 'coachlog reflection delete {reflection_id} --yes' to delete it.",
    )
    deleted = reflections.delete(j, reflection_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted reflection {deleted.id}.")
