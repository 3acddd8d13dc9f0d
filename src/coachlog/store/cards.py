"""SQL for decks and card use: the `decks` table of a user's own decks, and how often
each behaviour card (and each of its three perspectives) has been used.

A card counts as used once per session that lists it (`session_cards`) and once per
reflection that answered it (`reflections.card`). Custom decks are stored whole, as the
JSON of their validated `Deck`, so a deck reads back exactly as it was imported.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachlog.store.db import Journal


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- decks


def deck_rows(j: Journal) -> list[dict[str, Any]]:
    """Every imported deck: name, title, data (JSON), imported_on; by name."""
    return j.rows("SELECT name, title, data, imported_on FROM decks ORDER BY name")


def deck_row(j: Journal, name: str) -> dict[str, Any] | None:
    return j.row("SELECT name, title, data, imported_on FROM decks WHERE name = ?", (name,))


def save_deck(j: Journal, name: str, title: str, data: str, imported_on: str) -> None:
    """Insert a deck, or replace the one of the same name (the caller has checked)."""
    j.execute(
        "INSERT INTO decks (name, title, data, imported_on) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET title = excluded.title, data = excluded.data, "
        "imported_on = excluded.imported_on",
        (name, title, data, imported_on),
    )


# ---------------------------------------------------------------- card use


def card_usage(
    j: Journal,
    client_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Rows of (card, uses, last_used) over sessions and reflections in the window."""
    # Only the bounds given become conditions, so SQLite can walk sessions_by_date
    # (or sessions_by_client) to the window and fetch each session's cards by key.
    # With `(:since IS NULL OR ...)` it scanned every session_cards row and looked up
    # its session: the card draw's 90-day window read all 100k sessions, 0.6 s of the
    # overview on an encrypted journal, where every page read is also decrypted.
    params = {"client": client_id, "since": _iso(since), "until": _iso(until)}
    bounds = [
        condition
        for condition, value in (
            ("{t}.client_id = :client", client_id),
            ("{t}.on_date >= :since", since),
            ("{t}.on_date <= :until", until),
        )
        if value is not None
    ]
    if bounds:
        # CROSS JOIN keeps sessions first: the planner otherwise prefers the
        # session_cards index for the GROUP BY and reads every row of it.
        sessions = (
            "SELECT sc.card AS card, s.on_date AS on_date "
            "FROM sessions s CROSS JOIN session_cards sc ON sc.session_id = s.id "
            "WHERE " + " AND ".join(b.format(t="s") for b in bounds)
        )
    else:
        sessions = (
            "SELECT sc.card AS card, s.on_date AS on_date "
            "FROM session_cards sc JOIN sessions s ON s.id = sc.session_id"
        )
    reflections = "SELECT r.card, r.on_date FROM reflections r WHERE r.card IS NOT NULL" + "".join(
        " AND " + b.format(t="r") for b in bounds
    )
    return j.rows(
        f"SELECT card, count(*) AS uses, max(on_date) AS last_used FROM ("
        f"{sessions} UNION ALL {reflections}) GROUP BY card",
        params,
    )


def perspective_usage(j: Journal) -> list[dict[str, Any]]:
    """Rows of (card, perspective, uses): how often each card's questions were answered."""
    return j.rows(
        "SELECT card, perspective, count(*) AS uses FROM reflections "
        "WHERE perspective IS NOT NULL GROUP BY card, perspective"
    )
