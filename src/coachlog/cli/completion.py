"""Shell completion that knows the journal: client names, card keys, themes and goal ids.

These are typer `autocompletion=` callbacks. The shell runs coachlog on every Tab
press, so each one opens the journal read-only with a short lock timeout (it never
creates, migrates or waits on a journal), reads what it needs through core, and
returns `(value, help)` pairs. Any problem at all (no journal yet, a locked or
damaged file, an older schema) gives an empty list and prints nothing: a failed
completion must never put an error into the middle of someone's command line.

Only typer is imported at the top, because command modules import this one at
start-up to declare their options; everything else waits for a Tab press.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from coachlog.store.db import Journal

Completions = list[tuple[str, str]]

# How long a Tab press may wait for a journal another coachlog is writing to.
LOCK_TIMEOUT_SECONDS = 0.2


def _db_option(ctx: typer.Context | None) -> str | None:
    """The --db given on the command line being completed (or $COACHLOG_DB via typer)."""
    root = ctx.find_root() if ctx is not None else None
    value = root.params.get("db") if root is not None else None
    return value if isinstance(value, str) and value else None


@contextmanager
def read_only_journal(ctx: typer.Context | None) -> Iterator[Journal | None]:
    """The journal opened read-only for a moment, or None when there is none to read."""
    from coachlog.store.db import open_read_only, resolve_path

    path = resolve_path(_db_option(ctx))
    if not path.is_file():
        yield None
        return
    # An encrypted journal opens here only through COACHLOG_SESSION (never a prompt).
    j = open_read_only(path, timeout=LOCK_TIMEOUT_SECONDS)
    try:
        yield j
    finally:
        if j is not None:
            j.close()


def _quietly(source: Callable[[], Completions]) -> Completions:
    try:
        return source()
    except Exception:  # completion must never fail loudly
        return []


def _starting(items: Completions, incomplete: str) -> Completions:
    """Items whose value starts with what was typed, matching case the way shells do."""
    return [(value, help_) for value, help_ in items if value.startswith(incomplete)]


def complete_client(ctx: typer.Context, incomplete: str) -> Completions:
    """Active clients' names (ids work too, but names are what people remember)."""

    def source() -> Completions:
        from coachlog.core import clients

        with read_only_journal(ctx) as j:
            if j is None:
                return []
            found = clients.list_clients(j)
            items = [(c.name, c.organisation or c.relationship.value) for c in found]
            if incomplete.isdigit():
                items = [(str(c.id), c.name) for c in found]
            return _starting(items, incomplete)

    return _quietly(source)


def complete_card(ctx: typer.Context, incomplete: str) -> Completions:
    """Card keys from the shipped deck and any imported ones, with the card's title."""

    def source() -> Completions:
        from coachlog import content
        from coachlog.core import cards

        with read_only_journal(ctx) as j:
            decks = cards.all_decks(j) if j is not None else [content.shipped_deck()]
        seen: set[str] = set()
        items = []
        for deck in decks:
            for card in deck.cards:
                if card.key not in seen:
                    seen.add(card.key)
                    items.append((card.key, card.title))
        return _starting(items, incomplete)

    return _quietly(source)


def complete_card_theme(ctx: typer.Context, incomplete: str) -> Completions:
    """The groups of the shipped deck (being, relating-communicating, ...)."""

    def source() -> Completions:
        from coachlog import content

        deck = content.shipped_deck()
        return _starting([(g.key, g.title) for g in deck.themes], incomplete)

    return _quietly(source)


def complete_deck(ctx: typer.Context, incomplete: str) -> Completions:
    """Deck names: the shipped one and every imported deck."""

    def source() -> Completions:
        from coachlog import content
        from coachlog.core import cards

        with read_only_journal(ctx) as j:
            decks = cards.all_decks(j) if j is not None else [content.shipped_deck()]
        return _starting([(d.name, d.title) for d in decks], incomplete)

    return _quietly(source)


def complete_theme(incomplete: str) -> Completions:
    """The six IES impact themes, with their titles (no journal needed)."""

    def source() -> Completions:
        from coachlog import content

        return _starting([(t.key.value, t.title) for t in content.themes()], incomplete)

    return _quietly(source)


def complete_goal(ctx: typer.Context, incomplete: str) -> Completions:
    """Open goals' ids, with the goal's title (and whose it is) as the help."""

    def source() -> Completions:
        from coachlog.core import goals

        with read_only_journal(ctx) as j:
            if j is None:
                return []
            found = goals.list_goals(j, status="open")
            items = [(str(g.id), g.title + (f" ({g.client})" if g.client else "")) for g in found]
            return _starting(items, incomplete)

    return _quietly(source)
