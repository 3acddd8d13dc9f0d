"""Use-cases for behaviour cards: the shipped deck and a user's own, finding a card,
drawing one to reflect on, and counting how often each card has been used.

The shipped deck comes from `coachlog.content` and is never stored; decks a user imports
live in the `decks` table as the JSON of their validated `Deck`. A card key names a card
in the shipped deck first and then in the imported decks (by deck name), unless a deck
is given. `draw` favours the cards used least in the last `RECENT_DAYS` days (a use is a
session that lists the card or a reflection that answered it) and rotates through the
three perspectives, so a journal works its way round the whole deck. Given the
person's development areas (their behaviour profile, core/profile.py), about half
the draws (`DEVELOP_SHARE`) come from those cards and the rest from the whole deck
as before, so the draw leans towards what they want to develop without stopping
the rotation. With `remember`, the card drawn is kept in the journal so the next
`cards draw` never shows the same card twice in a row.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coachlog import content, dates
from coachlog.errors import Conflict, InvalidInput, NotFound, Refused
from coachlog.models import Card, Deck, DeckInfo, Drawn, Perspective, deck_from_data, to_json
from coachlog.store import cards as store
from coachlog.store import profile as profile_store
from coachlog.store.db import Journal

# "Lately" for `draw`: uses older than this no longer hold a card back.
RECENT_DAYS = 90
# The share of draws taken from the person's development areas, when they have some.
DEVELOP_SHARE = 0.5
# A deck file bigger than this is not a deck (the shipped one is about 20 KB).
MAX_DECK_BYTES = 2_000_000

_CARDS_HINT = "'coachlog cards list' shows every card's key ('--deck NAME' for your own decks)."
_DECKS_HINT = "'coachlog cards decks' lists the decks you can use."


# ---------------------------------------------------------------- decks


def _normal(name: str) -> str:
    return name.strip().lower()


def _from_row(row: dict[str, Any]) -> Deck:
    # Stored as validated on import, so read back without validating again;
    # a damaged row still gets a plain answer.
    try:
        return deck_from_data(json.loads(row["data"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Refused(
            f"The stored deck '{row['name']}' cannot be read.",
            hint="Import its file again with 'coachlog cards import FILE --replace'.",
        ) from None


def get_deck(j: Journal, name: str | None = None) -> Deck:
    """The deck called `name`; None means the shipped deck. NotFound otherwise."""
    if name is None or _normal(name) == content.SHIPPED_DECK:
        return content.shipped_deck()
    row = store.deck_row(j, _normal(name))
    if row is None:
        raise NotFound(f"No deck '{name.strip()}'.", hint=_DECKS_HINT)
    return _from_row(row)


def all_decks(j: Journal) -> list[Deck]:
    """The shipped deck, then every imported deck by name."""
    return [content.shipped_deck(), *(_from_row(row) for row in store.deck_rows(j))]


def deck_infos(j: Journal) -> list[DeckInfo]:
    """A summary line per deck for `cards decks`."""
    infos = [_info(content.shipped_deck(), None)]
    for row in store.deck_rows(j):
        infos.append(_info(_from_row(row), dt.date.fromisoformat(row["imported_on"])))
    return infos


def _info(deck: Deck, imported_on: dt.date | None) -> DeckInfo:
    return DeckInfo(
        name=deck.name,
        title=deck.title,
        source=deck.source,
        themes=len(deck.themes),
        cards=len(deck.cards),
        builtin=deck.builtin,
        imported_on=imported_on,
    )


def import_deck(j: Journal, path: str | Path, *, replace: bool = False) -> Deck:
    """Validate a deck file (TOML, same shape as the shipped deck) and store it.

    A name the shipped deck has is refused; so is one already imported, unless
    `replace`. Nothing is written if anything is wrong.
    """
    file = Path(path).expanduser()
    text = _read_deck_file(file)
    deck = content.parse_deck(text, origin=file.name)
    if deck.name == content.SHIPPED_DECK:
        raise Conflict(
            f"'{deck.name}' is the name of the deck that ships with coachlog.",
            hint="Give your deck another name (the 'name' line at the top of the file).",
        )
    with j.write():
        if store.deck_row(j, deck.name) is not None and not replace:
            raise Conflict(
                f"A deck called '{deck.name}' is already imported.",
                hint="Add --replace to replace it with this file, or rename the deck in the file.",
            )
        store.save_deck(
            j,
            deck.name,
            deck.title,
            json.dumps(to_json(deck), ensure_ascii=False),
            dates.today().isoformat(),
        )
    return deck


def _read_deck_file(file: Path) -> str:
    if not file.is_file():
        what = "a folder" if file.is_dir() else "not there"
        raise InvalidInput(
            f"Cannot import '{file}': it is {what}.", hint="Give a deck's .toml file."
        )
    if file.stat().st_size > MAX_DECK_BYTES:
        raise InvalidInput(f"{file.name} is too big to be a deck file.")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file.name}: not a text file in UTF-8.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read '{file}' ({exc.strerror or 'unreadable'}).") from None


# ---------------------------------------------------------------- cards


def _key(text: str) -> str:
    # "Authenticity" and "Collaboration & co-creation" name their cards too.
    return content.slugify(text)


def list_cards(
    j: Journal, *, card_theme: str | None = None, deck: str | None = None
) -> list[Card]:
    """The cards of one deck (the shipped one by default), optionally of one group."""
    found = get_deck(j, deck)
    return _in_group(found, card_theme)


def _in_group(deck: Deck, card_theme: str | None) -> list[Card]:
    if card_theme is None:
        return list(deck.cards)
    group = _key(card_theme)
    groups = [g.key for g in deck.themes]
    if group not in groups:
        raise InvalidInput(
            f"'{card_theme}' is not a theme of the deck '{deck.name}'; "
            f"use one of: {', '.join(groups)}."
        )
    return [c for c in deck.cards if c.theme == group]


def find_card(j: Journal, key: str, deck: str | None = None) -> Card:
    """The card `key` (or title) in `deck`, else in the shipped deck then imported decks."""
    wanted = _key(key)
    decks = [get_deck(j, deck)] if deck is not None else all_decks(j)
    for candidate in decks:
        for card in candidate.cards:
            if card.key == wanted:
                return card
    where = f" in the deck '{decks[0].name}'" if deck is not None else ""
    raise NotFound(f"No card '{key.strip()}'{where}.", hint=_CARDS_HINT)


def group_title(deck: Deck, card_theme: str) -> str:
    """The title of a card's group in its deck ("Being"), or the key if unknown."""
    for group in deck.themes:
        if group.key == card_theme:
            return group.title
    return card_theme


# ---------------------------------------------------------------- use and drawing


def card_usage(
    j: Journal,
    client_id: int | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> dict[str, tuple[int, dt.date | None]]:
    """Uses and last use of every card used in the window, by card key.

    A use is a session listing the card or a reflection on it; `client_id` None
    counts every entry. Cards never used are absent.
    """
    start = dates.parse_date(since, "--since") if since is not None else None
    end = dates.parse_date(until, "--until") if until is not None else None
    return {
        row["card"]: (
            int(row["uses"]),
            dt.date.fromisoformat(row["last_used"]) if row["last_used"] else None,
        )
        for row in store.card_usage(j, client_id, start, end)
    }


def draw(
    j: Journal,
    *,
    card_theme: str | None = None,
    perspective: str | None = None,
    deck: str | None = None,
    exclude: str | None = None,
    develop: Sequence[str] = (),
    remember: bool = False,
) -> Drawn:
    """A card to reflect on, favouring the ones used least lately, and its question.

    Among the cards with the fewest uses in the last RECENT_DAYS days one is picked at
    random; `exclude` (the card just shown) is never picked while another card fits.
    When some of the cards that fit are in `develop` (the person's development
    areas), the pick is made among those in DEVELOP_SHARE of draws. `remember`
    excludes the card the previous remembered draw gave (unless `exclude` is given)
    and keeps this one for next time. Without `perspective`, the card's
    least-answered perspective is used, so repeated draws go round self,
    organisation and system.
    """
    chosen_deck = get_deck(j, deck)
    wanted = _perspective(perspective) if perspective is not None else None
    pool = _in_group(chosen_deck, card_theme)
    if exclude is None and remember:
        exclude = profile_store.last_drawn(j, chosen_deck.name)
    if exclude is not None and len(pool) > 1:
        pool = [c for c in pool if c.key != exclude] or pool
    favoured = [c for c in pool if c.key in develop]
    if favoured and random.random() < DEVELOP_SHARE:
        pool = favoured
    since = dates.today() - dt.timedelta(days=RECENT_DAYS)
    usage = card_usage(j, since=since)
    fewest = min(usage.get(c.key, (0, None))[0] for c in pool)
    card = random.choice([c for c in pool if usage.get(c.key, (0, None))[0] == fewest])
    chosen = wanted or _next_perspective(j, card.key)
    if remember:
        with j.write():
            profile_store.set_last_drawn(j, chosen_deck.name, card.key)
    return Drawn(card=card, perspective=chosen, question=card.questions[chosen])


def _perspective(value: str) -> Perspective:
    try:
        return Perspective(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"'{value}' is not a perspective; use one of: "
            + ", ".join(p.value for p in Perspective)
            + "."
        ) from None


def _next_perspective(j: Journal, card_key: str) -> Perspective:
    """The perspective this card was answered from least; ties go to the least used overall."""
    on_card: dict[str, int] = defaultdict(int)
    overall: dict[str, int] = defaultdict(int)
    for row in store.perspective_usage(j):
        overall[row["perspective"]] += row["uses"]
        if row["card"] == card_key:
            on_card[row["perspective"]] += row["uses"]
    order = list(Perspective)
    return min(order, key=lambda p: (on_card[p.value], overall[p.value], order.index(p)))
