"""Use-cases for reflections: choose a card question, record the answer, read entries back.

`reflect` works in two steps so a prompt can sit between them: `choose_card` turns
`--card`, `--card-theme` or `--random` into the card, perspective and question to
show (or None for a free entry), then `record` saves the answer with exactly that
question text. A reflection linked to a goal or a session belongs to the same
client as it; one with no client is the journal owner's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.models import Perspective, Reflection
from coachlog.store import reflections as store
from coachlog.store.db import Journal

# Validation (pydantic) and the decks (core.cards, validated by pydantic) are imported
# by the functions that use them, so that reading the journal starts without them.
if TYPE_CHECKING:
    from coachlog.models import Drawn

__all__ = ["Drawn", "choose_card", "get", "list_reflections", "record"]


def _perspective(value: str | Perspective | None) -> Perspective | None:
    if value is None or isinstance(value, Perspective):
        return value
    try:
        return Perspective(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"--perspective '{value}' is not one of: "
            + ", ".join(p.value for p in Perspective)
            + "."
        ) from None


def choose_card(
    j: Journal,
    *,
    card: str | None = None,
    card_theme: str | None = None,
    random: bool = False,
    perspective: str | Perspective | None = None,
    deck: str | None = None,
) -> Drawn | None:
    """The card and question to reflect on, or None for a free reflection.

    `card` picks that card (question from `perspective`, default self); `card_theme`
    or `random` draws one, favouring cards used least lately. Only one of the three.
    """
    from coachlog.core import cards
    from coachlog.models import Drawn

    chosen = [
        flag
        for flag, given in (("--card", card), ("--card-theme", card_theme), ("--random", random))
        if given
    ]
    if len(chosen) > 1:
        raise InvalidInput(
            f"Use only one of {' and '.join(chosen)}.",
            hint="--card picks a card, --card-theme draws from one group, --random from all.",
        )
    wanted = _perspective(perspective)
    if card:
        found = cards.find_card(j, card, deck)
        view = wanted or Perspective.self_
        return Drawn(card=found, perspective=view, question=found.questions[view])
    if card_theme or random:
        return cards.draw(
            j,
            card_theme=card_theme,
            perspective=wanted.value if wanted else None,
            deck=deck,
        )
    if wanted is not None:
        raise InvalidInput("--perspective goes with a card: add --card, --card-theme or --random.")
    if deck is not None:
        cards.get_deck(j, deck)  # an unknown deck is an error even when unused
    return None


def record(
    j: Journal,
    *,
    text: str,
    card: str | None = None,
    deck: str | None = None,
    perspective: str | Perspective | None = None,
    question: str | None = None,
    themes: Iterable[str] = (),
    tags: Iterable[str] = (),
    client: str | int | None = None,
    goal_id: int | None = None,
    session_id: int | None = None,
    on: str | dt.date | None = None,
    at: str | None = None,
    title: str | None = None,
    starred: bool = False,
    private: bool = False,
) -> Reflection:
    """Save a reflection; with `card` and no `question`, the card's question is used.

    The card, its deck, the perspective (default self) and the question text are
    stored as they were shown, so the entry reads the same after a deck changes.
    """
    from coachlog.core import cards
    from coachlog.core.clients import resolve
    from coachlog.models.validation import ReflectionIn, validate

    view = _perspective(perspective)
    data = validate(
        ReflectionIn,
        text=text,
        on=dates.happened(dates.parse_date(on, "--on"), "--on")
        if on is not None
        else dates.today(),
        at=dates.parse_time(at, "--at") if at is not None else None,
        title=title,
        themes=list(themes),
        tags=list(tags),
        question=question,
        starred=starred,
        private=private,
    )
    if card is None:
        if question is not None or view is not None:
            raise InvalidInput("A question or --perspective needs a card to go with it.")
    else:
        found = cards.find_card(j, card, deck)
        view = view or Perspective.self_
        data.card = found.key
        data.deck = found.deck
        data.perspective = view
        data.question = question if question is not None else found.questions[view]

    with j.write():
        client_id = resolve(j, client).id if client is not None else None
        if goal_id is not None:
            client_id = _linked(j, "goal", goal_id, client_id)
            data.goal_id = goal_id
        if session_id is not None:
            client_id = _linked(j, "session", session_id, client_id)
            data.session_id = session_id
        data.client_id = client_id
        return get(j, store.insert(j, data))


def _linked(j: Journal, kind: str, entry_id: int, client_id: int | None) -> int | None:
    """Check a linked goal/session exists and agrees on the client; return the client."""
    lookup = (
        store.goal_client(j, entry_id) if kind == "goal" else store.session_client(j, entry_id)
    )
    exists, owner = lookup
    if not exists:
        raise NotFound(
            f"No {kind} {entry_id}.",
            hint=f"'coachlog {kind} list' shows {kind}s with their ids.",
        )
    if client_id is not None and owner != client_id:
        whose = "your own" if owner is None else "another client's"
        raise Conflict(
            f"{kind.capitalize()} {entry_id} is {whose}, not this client's.",
            hint=f"Leave out --client to file the reflection with the {kind}.",
        )
    return owner if client_id is None else client_id


def get(j: Journal, reflection_id: int) -> Reflection:
    found = store.by_id(j, reflection_id)
    if found is None:
        raise NotFound(
            f"No reflection {reflection_id}.",
            hint="'coachlog reflection list' shows recent reflections with their ids.",
        )
    return found


def list_reflections(
    j: Journal,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    card: str | None = None,
    theme: str | None = None,
    client: str | int | None = None,
    limit: int | None = None,
) -> list[Reflection]:
    """Reflections newest first, filtered; `limit` None means all of them."""
    from coachlog.core.clients import resolve

    start = dates.parse_date(since, "--since") if since is not None else None
    end = dates.parse_date(until, "--until") if until is not None else None
    if limit is not None and limit < 0:
        raise InvalidInput(f"--limit must be 0 or more, not {limit}.")
    theme_key = None
    if theme is not None:
        from coachlog.content import theme_title

        theme_key = str(theme).strip().lower()
        theme_title(theme_key)  # InvalidInput naming the six themes
    card_key = None
    if card is not None:
        from coachlog.core import cards

        card_key = cards.find_card(j, card).key
    client_id = resolve(j, client).id if client is not None else None
    return store.list_reflections(
        j,
        since=start,
        until=end,
        card=card_key,
        theme=theme_key,
        client_id=client_id,
        limit=limit,
    )


def edit(
    j: Journal,
    reflection_id: int,
    *,
    text: str | None = None,
    card: str | None = None,
    perspective: str | Perspective | None = None,
    on: str | dt.date | None = None,
    expected_text: str | None = None,
) -> Reflection:
    """Change what is given of one reflection; nothing else is touched.

    A new `card` (or `perspective`) files the entry under that card's question,
    as `reflect` would; `card=""` makes it a free entry with no card.
    `expected_text` is the text the person started editing from: if the stored
    text is no longer that (another shell changed it meanwhile), nothing is saved
    (Conflict), so their change and the other one are not silently merged away.
    """
    from coachlog.core import cards
    from coachlog.models.validation import ReflectionIn, validate

    if text is None and card is None and perspective is None and on is None:
        raise InvalidInput(
            "Nothing to change.", hint="Give --text, --card, --perspective or --on."
        )
    view = _perspective(perspective)
    day = dates.happened(dates.parse_date(on, "--on"), "--on") if on is not None else None
    with j.write():
        current = get(j, reflection_id)
        if expected_text is not None and current.text != expected_text:
            raise Conflict(
                f"Reflection {reflection_id} was changed elsewhere while your editor was "
                "open; nothing saved, so that change is kept.",
                hint=f"Your text is printed above: run 'coachlog reflection edit "
                f"{reflection_id}' again to add it.",
            )
        fields = {
            "text": current.text if text is None else text,
            "on": current.on if day is None else day,
            "card": current.card,
            "deck": current.deck,
            "perspective": current.perspective,
            "question": current.question,
        }
        if card == "":
            if view is not None:
                raise InvalidInput("--perspective goes with a card; leave out --card ''.")
            fields.update(card=None, deck=None, perspective=None, question=None)
        elif card is not None or view is not None:
            if card is None and current.card is None:
                raise InvalidInput(
                    f"Reflection {reflection_id} has no card, so no perspective.",
                    hint="Give --card too.",
                )
            found = cards.find_card(j, card or current.card or "", None if card else current.deck)
            chosen = view or current.perspective or Perspective.self_
            fields.update(
                card=found.key,
                deck=found.deck,
                perspective=chosen,
                question=found.questions[chosen],
            )
        data = validate(ReflectionIn, **fields)
        store.update(j, reflection_id, data)
        return get(j, reflection_id)


def delete(j: Journal, reflection_id: int) -> Reflection:
    """Delete one reflection; returns what was deleted."""
    with j.write():
        found = get(j, reflection_id)
        store.delete(j, reflection_id)
        return found
