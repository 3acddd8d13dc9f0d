"""SQL for behaviour profiles: self-assessments and their per-card scores, and the
card `cards draw` showed last.

An assessment with `client_id` NULL is the journal owner's own. Scores are rows of
`assessment_scores`, read back in the order they were written (the deck's order
when rated), so a profile lists the cards as the person saw them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coachlog.models import Assessment, from_row
from coachlog.store.base import new_uid, now_iso

if TYPE_CHECKING:
    from coachlog.store.db import Journal

_COLUMNS = """a.id, a.client_id, c.name AS client, a.deck, a.on_date AS "on\""""


def _who(client_id: int | None) -> tuple[str, list[Any]]:
    if client_id is None:
        return "a.client_id IS NULL", []
    return "a.client_id = ?", [client_id]


def _assessments(j: Journal, rows: Sequence[dict[str, Any]]) -> list[Assessment]:
    ids = [row["id"] for row in rows]
    scores: dict[int, dict[str, int]] = {i: {} for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for assessment_id, card, score in j.execute(
            "SELECT assessment_id, card, score FROM assessment_scores "
            f"WHERE assessment_id IN ({','.join('?' * len(chunk))}) ORDER BY rowid",
            chunk,
        ):
            scores[assessment_id][card] = score
    return [from_row(Assessment, {**row, "scores": scores[row["id"]]}) for row in rows]


def insert(
    j: Journal, client_id: int | None, deck: str, on_date: str, scores: dict[str, int]
) -> int:
    assessment_id = int(
        j.scalar(
            "INSERT INTO assessments (uid, client_id, deck, on_date, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (new_uid(), client_id, deck, on_date, now_iso()),
        )
    )
    set_scores(j, assessment_id, scores)
    return assessment_id


def set_scores(j: Journal, assessment_id: int, scores: dict[str, int]) -> None:
    """Replace the scores of cards named in `scores`, keeping the others' order."""
    for card, score in scores.items():
        updated = j.execute(
            "UPDATE assessment_scores SET score = ? WHERE assessment_id = ? AND card = ?",
            (score, assessment_id, card),
        ).rowcount
        if not updated:
            j.execute(
                "INSERT INTO assessment_scores (assessment_id, card, score) VALUES (?, ?, ?)",
                (assessment_id, card, score),
            )


def set_date(j: Journal, assessment_id: int, on_date: str) -> None:
    j.execute("UPDATE assessments SET on_date = ? WHERE id = ?", (on_date, assessment_id))


def by_id(j: Journal, assessment_id: int) -> Assessment | None:
    rows = j.rows(
        f"SELECT {_COLUMNS} FROM assessments a LEFT JOIN clients c ON c.id = a.client_id "
        "WHERE a.id = ?",
        (assessment_id,),
    )
    found = _assessments(j, rows)
    return found[0] if found else None


def find(
    j: Journal,
    *,
    client_id: int | None = None,
    everyone: bool = False,
    deck: str | None = None,
    until: str | None = None,
) -> list[Assessment]:
    """Assessments oldest first (by day, then the order they were entered), to `until`."""
    where, params = ("1", []) if everyone else _who(client_id)
    if deck is not None:
        where += " AND a.deck = ?"
        params = [*params, deck]
    if until is not None:
        where += " AND a.on_date <= ?"
        params = [*params, until]
    rows = j.rows(
        f"SELECT {_COLUMNS} FROM assessments a LEFT JOIN clients c ON c.id = a.client_id "
        f"WHERE {where} ORDER BY a.on_date, a.id",
        params,
    )
    return _assessments(j, rows)


def latest_deck(j: Journal, client_id: int | None, *, until: str | None = None) -> str | None:
    """The deck of the person's most recent assessment (on or before `until`)."""
    where, params = _who(client_id)
    if until is not None:
        where += " AND a.on_date <= ?"
        params = [*params, until]
    found = j.scalar(
        f"SELECT a.deck FROM assessments a WHERE {where} ORDER BY a.on_date DESC, a.id DESC "
        "LIMIT 1",
        params,
    )
    return None if found is None else str(found)


def people_with_assessments(j: Journal) -> list[int | None]:
    """Client ids (None for the owner) that have at least one assessment."""
    return [row[0] for row in j.execute("SELECT DISTINCT client_id FROM assessments")]


def delete(j: Journal, assessment_id: int) -> None:
    j.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))


# ---------------------------------------------------------------- the last card drawn


def last_drawn(j: Journal, deck: str) -> str | None:
    found = j.scalar("SELECT card FROM card_draws WHERE deck = ?", (deck,))
    return None if found is None else str(found)


def set_last_drawn(j: Journal, deck: str, card: str) -> None:
    j.execute(
        "INSERT INTO card_draws (deck, card) VALUES (?, ?) "
        "ON CONFLICT(deck) DO UPDATE SET card = excluded.card",
        (deck, card),
    )
