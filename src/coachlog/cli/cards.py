"""`coachlog cards ...` and `coachlog themes`: the behaviour-card decks and the six IES
impact themes.

Inside `cards`, `--group` is a card's group in its deck (`being`, `delivering`, ...);
`--theme`, its old name here, still works with a deprecation note, because
everywhere else `--theme` is an IES impact theme. The shipped deck is used unless
`--deck NAME` names one of your own.
"""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import (
    complete_card,
    complete_card_theme,
    complete_client,
    complete_deck,
)
from coachlog.cli.options import JsonFlag
from coachlog.vocab import Perspective

app = typer.Typer(
    rich_markup_mode=None,
    help="The behaviour cards: list, show, draw one to reflect on, and add decks of your own.",
    no_args_is_help=True,
)

CardArg = Annotated[
    str,
    typer.Argument(
        metavar="CARD",
        help="A card's key or title, e.g. authenticity.",
        autocompletion=complete_card,
    ),
]
DeckOpt = Annotated[
    str | None,
    typer.Option(
        "--deck",
        metavar="NAME",
        help="Use one of your imported decks (see 'cards decks').",
        autocompletion=complete_deck,
    ),
]
CardGroupOpt = Annotated[
    str | None,
    typer.Option(
        "--group",
        "-g",
        metavar="GROUP",
        help="Only cards of this group: being, relating-communicating, leading-visioning, "
        "delivering (or a group of your own deck).",
        autocompletion=complete_card_theme,
    ),
]
# The old name for --group: `--theme` is an IES impact theme everywhere else.
OldThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        metavar="GROUP",
        hidden=True,
        help="Old name of --group (deprecated).",
        autocompletion=complete_card_theme,
    ),
]


def _group(group: str | None, theme: str | None) -> str | None:
    """--group, or the deprecated --theme with a note saying what to type instead."""
    if theme is None:
        return group
    from coachlog.errors import InvalidInput

    if group is not None and group != theme:
        raise InvalidInput("Give --group once: --theme is its old name in cards commands.")
    common.warn(
        "in cards commands --theme is now --group (--theme means an IES impact "
        "theme everywhere else); --theme will stop working here in a later release."
    )
    return theme


ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        "-c",
        metavar="CLIENT",
        help="Favour this client's areas to develop (default: your own).",
        autocompletion=complete_client,
    ),
]
PerspectiveOpt = Annotated[
    Perspective | None,
    typer.Option(
        "--perspective",
        "-p",
        case_sensitive=False,
        help="Which question to ask (default: the one you have answered least).",
    ),
]


def register_themes(root: typer.Typer) -> None:
    """Add the top-level `themes` command to the root app."""
    root.command("themes")(themes)


def themes(json_: JsonFlag = False) -> None:
    """List the six IES impact themes that progress is measured against.

    Example: coachlog themes --json
    """
    from coachlog import content

    found = content.themes()
    if json_:
        common.print_json(found)
        return
    from coachlog.render.cards import themes_table

    common.out().print(themes_table(found))


@app.command("list")
def list_(
    group: CardGroupOpt = None,
    deck: DeckOpt = None,
    json_: JsonFlag = False,
    theme: OldThemeOpt = None,
) -> None:
    """List the cards of a deck, with the key to use in --card.

    Example: coachlog cards list --group being
    """
    from coachlog.core import cards

    group = _group(group, theme)
    j = common.journal()
    chosen = cards.get_deck(j, deck)
    found = cards.list_cards(j, card_theme=group, deck=deck)
    if json_:
        common.print_json(found)
        return
    from coachlog.render.cards import cards_table

    common.out().print(cards_table(found, chosen))


@app.command("show")
def show(card: CardArg, deck: DeckOpt = None, json_: JsonFlag = False) -> None:
    """Show a card: what the behaviour looks like, its three questions and its indicators.

    The indicators say what the behaviour looks like when it is there and when it
    is missing ('coachlog profile rate' shows them too).

    Example: coachlog cards show resilience
    """
    from coachlog.core import cards

    j = common.journal()
    found = cards.find_card(j, card, deck)
    if json_:
        common.print_json(found)
        return
    from coachlog.render.cards import card_panel

    common.out().print(card_panel(found, cards.get_deck(j, found.deck)))


@app.command("draw")
def draw(
    group: CardGroupOpt = None,
    perspective: PerspectiveOpt = None,
    deck: DeckOpt = None,
    client: ClientOpt = None,
    json_: JsonFlag = False,
    theme: OldThemeOpt = None,
) -> None:
    """Draw a card and one of its questions, favouring cards you have used least lately.

    With a behaviour profile ('coachlog profile'), about half the draws come from
    your three areas to develop (a client's, with --client). Never the same card
    twice in a row.

    Example: coachlog cards draw --group being --perspective system
    """
    from coachlog.core import cards, profile

    group = _group(group, theme)
    j = common.journal()
    client_id, _ = profile.who(j, client, False)
    drawn = cards.draw(
        j,
        card_theme=group,
        perspective=perspective.value if perspective else None,
        deck=deck,
        develop=profile.develop_areas(j, client_id, deck),
        remember=True,
    )
    if json_:
        common.print_json(drawn)
        return
    from coachlog.render.cards import drawn_panel

    common.out().print(
        drawn_panel(drawn.card, cards.get_deck(j, deck), drawn.perspective, drawn.question)
    )
    deck_flag = f" --deck {drawn.card.deck}" if deck else ""
    common.say(
        f"Reflect on it with: coachlog reflect --card {drawn.card.key}"
        f" --perspective {drawn.perspective.value}{deck_flag}"
    )


@app.command("decks")
def decks(json_: JsonFlag = False) -> None:
    """List the decks you can use: the shipped one and any you imported.

    Example: coachlog cards decks
    """
    from coachlog.core import cards

    found = cards.deck_infos(common.journal())
    if json_:
        common.print_json(found)
        return
    from coachlog.render.cards import decks_table

    common.out().print(decks_table(found))


@app.command("import")
def import_(
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A deck file in TOML, shaped like the shipped one."),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an imported deck of the same name.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Add a deck of your own cards from a TOML file (checked before anything is saved).

    The file has the same shape as the shipped deck: a name, title and source, its
    [[themes]], and [[cards]] each with a key, title, theme, source, description and
    a [cards.questions] table with self, organisation and system questions, and
    optionally [cards.indicators] with positive = [...] and negative = [...].

    Example: coachlog cards import my-deck.toml
    """
    from coachlog.core import cards

    j = common.journal()
    deck = cards.import_deck(j, file, replace=replace)
    info = next(i for i in cards.deck_infos(j) if i.name == deck.name)
    if json_:
        common.print_json(info)
        return
    common.say(
        f"Imported deck '{deck.name}': {deck.title} ({info.cards} cards in {info.themes} themes). "
        f"See them with: coachlog cards list --deck {deck.name}"
    )
