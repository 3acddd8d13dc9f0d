"""Renderables for the content commands and search: the impact themes, a deck's cards,
one card's front and back as a panel, a drawn card with its question, the list of decks,
and search hits with the matched words highlighted.

Card text can come from a user's own deck file and search snippets from journal notes,
so every piece of it is a `rich.text.Text`, never markup: "[/bold]" prints as typed.
A deck's text also passes `for_terminal` here, before Rich lays it out: the console's
own sanitiser runs after layout, when an escape made visible (`\\x1b` is four
characters where Rich measured none) would push a panel's right border off the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coachlog.models import Perspective, SearchHit, Theme

if TYPE_CHECKING:
    from coachlog.models import Card, Deck, DeckInfo

from coachlog.render.tables import table
from coachlog.text import for_terminal as _shown

# How a matched word in a search snippet looks (plain bold under NO_COLOR).
MATCH_STYLE = "bold reverse"


def themes_table(themes: Sequence[Theme]) -> Table:
    t = table("key", "title")
    for theme in themes:
        t.add_row(theme.key.value, theme.title)
    return t


def _group_title(deck: Deck, key: str) -> str:
    return _shown(next((g.title for g in deck.themes if g.key == key), key))


def cards_table(cards: Sequence[Card], deck: Deck) -> Table:
    """The cards of a deck, one line each, in the deck's order."""
    t = table("key", "title", "theme")
    if not deck.builtin:
        t.title = Text(f"Deck: {_shown(deck.title)}")
    for card in cards:
        t.add_row(Text(card.key), Text(_shown(card.title)), Text(_group_title(deck, card.theme)))
    return t


def card_panel(card: Card, deck: Deck) -> Panel:
    """A card's front (title, theme, description) and back (its three questions)."""
    body = Text()
    body.append(_shown(card.description))
    body.append("\n")
    for perspective in Perspective:
        body.append("\n")
        body.append(f"{perspective.value}: ", style="bold")
        body.append(_shown(card.questions[perspective]))
    return Panel(
        Group(body, *indicator_lists(card)),
        title=Text(_shown(card.title), style="bold"),
        title_align="left",
        subtitle=_subtitle(card, deck),
        subtitle_align="right",
        width=80,
    )


# How the two lists of indicators are headed wherever a card shows them.
INDICATOR_HEADINGS = (
    ("positive", "When it is there"),
    ("negative", "When it is missing"),
)


def indicator_lists(card: Card) -> list[RenderableType]:
    """The card's positive and negative indicators, if it has any, as two short lists.

    Each item hangs under its own mark, so a long one wraps in line with its text.
    """
    parts: list[RenderableType] = []
    for field, heading in INDICATOR_HEADINGS:
        items = getattr(card.indicators, field)
        if not items:
            continue
        parts += [Text(""), Text(heading, style="bold")]
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column()
        for item in items:
            grid.add_row("+" if field == "positive" else "-", Text(_shown(item)))
        parts.append(grid)
    return parts


def _subtitle(card: Card, deck: Deck) -> Text:
    text = Text(f"{_group_title(deck, card.theme)} · {card.key}")
    if not deck.builtin:
        text.append(f" · {_shown(deck.name)}")
    return text


def drawn_panel(card: Card, deck: Deck, perspective: Perspective, question: str) -> Panel:
    """A drawn card: its description and the one question to reflect on."""
    body = Text()
    body.append(_shown(card.description), style="dim")
    body.append("\n\n")
    body.append(f"{perspective.value}: ", style="bold")
    body.append(_shown(question))
    return Panel(
        body,
        title=Text(_shown(card.title), style="bold"),
        title_align="left",
        subtitle=_subtitle(card, deck),
        subtitle_align="right",
        width=80,
    )


def rating_panel(card: Card, deck: Deck, number: int, total: int) -> Panel:
    """A card to rate: its description and indicators, and where the person is in the deck."""
    return Panel(
        Group(Text(_shown(card.description)), *indicator_lists(card)),
        title=Text(f"{_shown(card.title)} ({number} of {total})", style="bold"),
        title_align="left",
        subtitle=_subtitle(card, deck),
        subtitle_align="right",
        width=80,
    )


def decks_table(decks: Sequence[DeckInfo]) -> Table:
    t = table("name", "title", "cards", "kind")
    for deck in decks:
        t.add_row(
            Text(deck.name),
            Text(deck.title),
            f"{deck.cards} in {deck.themes} themes",
            "shipped" if deck.builtin else "imported",
        )
    return t


# ---------------------------------------------------------------- search


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    """`text` as literal Text with each (start, end) span in the match style."""
    result = Text(text)
    for start, end in spans:
        result.stylize(MATCH_STYLE, start, end)
    return result


def search_hits(hits: Sequence[SearchHit]) -> RenderableType:
    """Best hit first: what it is, when, with whom, and the words around the match."""
    t = table("kind", "id", "date", "client", "snippet")
    for hit in hits:
        t.add_row(
            hit.kind,
            str(hit.id),
            hit.date.isoformat() if hit.date else "",
            Text(hit.client or ""),
            highlighted(hit.text, hit.highlights),
        )
    return Group(t)
