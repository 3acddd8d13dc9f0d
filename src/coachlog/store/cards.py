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
    return j.rows(
        """SELECT card, count(*) AS uses, max(on_date) AS last_used FROM (
             SELECT sc.card AS card, s.on_date AS on_date
               FROM session_cards sc JOIN sessions s ON s.id = sc.session_id
              WHERE (:client IS NULL OR s.client_id = :client)
                AND (:since IS NULL OR s.on_date >= :since)
                AND (:until IS NULL OR s.on_date <= :until)
             UNION ALL
             SELECT r.card, r.on_date FROM reflections r
              WHERE r.card IS NOT NULL
                AND (:client IS NULL OR r.client_id = :client)
                AND (:since IS NULL OR r.on_date >= :since)
                AND (:until IS NULL OR r.on_date <= :until)
           ) GROUP BY card""",
        {"client": client_id, "since": _iso(since), "until": _iso(until)},
    )


def perspective_usage(j: Journal) -> list[dict[str, Any]]:
    """Rows of (card, perspective, uses): how often each card's questions were answered."""
    return j.rows(
        "SELECT card, perspective, count(*) AS uses FROM reflections "
        "WHERE perspective IS NOT NULL GROUP BY card, perspective"
    )
