"""SQL for reflections: journal entries, usually answering one behaviour-card question.

Each row keeps the card key, the deck it came from, the perspective and the exact
question text shown, so an entry still reads right after a deck is edited or
removed. Lists are filtered and limited in SQL, newest first, and read their
themes and tags with one query per kind (`labels_for`), never one per row.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from coachlog.models import Reflection, from_row
from coachlog.store.base import labels_for, new_uid, now_iso, set_labels

if TYPE_CHECKING:
    from coachlog.models.validation import ReflectionIn
    from coachlog.store.db import Journal

_SELECT = """
SELECT r.id, r.on_date AS "on", r.at_time AS at, r.title, r.text, r.card, r.deck,
       r.perspective, r.question, r.client_id, c.name AS client, r.goal_id, r.session_id,
       r.starred, r.private,
       CASE WHEN EXISTS (SELECT 1 FROM share_received s WHERE s.kind = 'reflection'
                            AND s.uid = r.uid AND s.client_id IS NOT NULL)
            THEN c.name END AS shared_by
  FROM reflections r LEFT JOIN clients c ON c.id = r.client_id
"""


def _reflections(j: Journal, rows: list[dict[str, Any]]) -> list[Reflection]:
    ids = [r["id"] for r in rows]
    themes = labels_for(j, "reflection", "themes", ids)
    tags = labels_for(j, "reflection", "tags", ids)
    return [
        from_row(
            Reflection, {**r, "themes": themes.get(r["id"], []), "tags": tags.get(r["id"], [])}
        )
        for r in rows
    ]


def insert(j: Journal, data: ReflectionIn) -> int:
    """Store a reflection with its themes and tags; returns its id."""
    reflection_id = int(
        j.scalar(
            "INSERT INTO reflections (uid, client_id, goal_id, session_id, on_date, at_time, "
            "title, text, card, deck, perspective, question, starred, created_at, private) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                new_uid(),
                data.client_id,
                data.goal_id,
                data.session_id,
                data.on.isoformat(),
                data.at,
                data.title,
                data.text,
                data.card,
                data.deck,
                data.perspective.value if data.perspective else None,
                data.question,
                int(data.starred),
                now_iso(),
                int(data.private),
            ),
        )
    )
    set_labels(j, "reflection", "themes", reflection_id, [t.value for t in data.themes])
    set_labels(j, "reflection", "tags", reflection_id, data.tags)
    return reflection_id


def by_id(j: Journal, reflection_id: int) -> Reflection | None:
    row = j.row(_SELECT + " WHERE r.id = ?", (reflection_id,))
    return _reflections(j, [row])[0] if row else None


def list_reflections(
    j: Journal,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    card: str | None = None,
    theme: str | None = None,
    client_id: int | None = None,
    limit: int | None = None,
) -> list[Reflection]:
    """Reflections newest first (by date, then by the order they were written)."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("r.on_date >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("r.on_date <= ?")
        params.append(until.isoformat())
    if card is not None:
        where.append("r.card = ?")
        params.append(card)
    if theme is not None:
        where.append(
            "EXISTS (SELECT 1 FROM reflection_themes t WHERE t.reflection_id = r.id "
            "AND t.theme = ?)"
        )
        params.append(theme)
    if client_id is not None:
        where.append("r.client_id = ?")
        params.append(client_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY r.on_date DESC, r.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _reflections(j, j.rows(sql, params))


def goal_client(j: Journal, goal_id: int) -> tuple[bool, int | None]:
    """(whether goal `goal_id` exists, the client it belongs to)."""
    row = j.row("SELECT client_id FROM goals WHERE id = ?", (goal_id,))
    return (row is not None, row["client_id"] if row else None)


def session_client(j: Journal, session_id: int) -> tuple[bool, int | None]:
    """(whether session `session_id` exists, the client it was with)."""
    row = j.row("SELECT client_id FROM sessions WHERE id = ?", (session_id,))
    return (row is not None, row["client_id"] if row else None)


def update(j: Journal, reflection_id: int, data: ReflectionIn) -> None:
    """Change a reflection's text, card, perspective, question and date."""
    j.execute(
        "UPDATE reflections SET text = ?, card = ?, deck = ?, perspective = ?, question = ?, "
        "on_date = ? WHERE id = ?",
        (
            data.text,
            data.card,
            data.deck,
            data.perspective.value if data.perspective else None,
            data.question,
            data.on.isoformat(),
            reflection_id,
        ),
    )


def delete(j: Journal, reflection_id: int) -> None:
    j.execute("DELETE FROM reflections WHERE id = ?", (reflection_id,))
