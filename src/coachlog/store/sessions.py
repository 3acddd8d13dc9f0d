"""SQL for coaching sessions: the record of each conversation with a client.

A session's themes, cards and tags live in link tables (see store/base.py) and its
agreed actions in `actions`; `_assemble` builds whole `Session` records for a page
of rows with one query per kind of list, never one per session. A session's
`number` (the nth with that client) is counted, not stored, so editing a date or
deleting a session renumbers the rest without any bookkeeping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coachlog.models import Session, from_row
from coachlog.store import actions as action_store
from coachlog.store import engagements as engagement_store
from coachlog.store.base import labels_for, new_uid, now_iso, set_labels

if TYPE_CHECKING:
    from coachlog.models.validation import SessionIn
    from coachlog.store.db import Journal

# The nth session with this client, ordered by (date, time, id); an untimed session
# counts before timed ones on the same day. Two ways to count it, each the cheap
# one for its case: a correlated count for a page of rows (work grows with the
# page), and a window over every session when listing everything (one sort,
# where a count per row would grow with the square of the journal).
_ORDER_IN_CLIENT = "on_date, coalesce(at_time, ''), id"
# Row values need SQLite >= 3.15.
_NUMBER_BY_COUNT = """(SELECT count(*) FROM sessions n
              WHERE n.client_id = s.client_id
                AND (n.on_date, coalesce(n.at_time, ''), n.id)
                    <= (s.on_date, coalesce(s.at_time, ''), s.id))"""
_NUMBER_BY_WINDOW = (
    "SELECT id, row_number() OVER (PARTITION BY client_id ORDER BY "
    + _ORDER_IN_CLIENT
    + ") AS number FROM sessions"
)


def _columns(number: str) -> str:
    return f"""s.id, s.client_id, c.name AS client, {number} AS number,
               s.on_date AS "on", s.at_time AS at, s.minutes, s.mode, s.format, s.model,
               s.notes, s.private_notes, s.pro_bono"""


_NEWEST_FIRST = "ORDER BY s.on_date DESC, coalesce(s.at_time, '') DESC, s.id DESC"


def _label_values(data: SessionIn) -> dict[str, list[str]]:
    return {
        "themes": [t.value for t in data.themes],
        "cards": list(data.cards),
        "tags": list(data.tags),
    }


def insert(j: Journal, data: SessionIn) -> int:
    """Store a session with its themes, cards and tags; return its id."""
    stamp = now_iso()
    session_id = int(
        j.scalar(
            "INSERT INTO sessions (uid, client_id, on_date, at_time, minutes, mode, format, "
            "model, notes, private_notes, pro_bono, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (new_uid(), *_values(data), stamp, stamp),
        )
    )
    for kind, values in _label_values(data).items():
        set_labels(j, "session", kind, session_id, values)
    return session_id


def update(j: Journal, session_id: int, data: SessionIn) -> None:
    """Replace every field and label list of a session with `data`."""
    j.execute(
        "UPDATE sessions SET client_id = ?, on_date = ?, at_time = ?, minutes = ?, mode = ?, "
        "format = ?, model = ?, notes = ?, private_notes = ?, pro_bono = ?, updated_at = ? "
        "WHERE id = ?",
        (*_values(data), now_iso(), session_id),
    )
    for kind, values in _label_values(data).items():
        set_labels(j, "session", kind, session_id, values)


def _values(data: SessionIn) -> tuple[Any, ...]:
    return (
        data.client_id,
        data.on.isoformat(),
        data.at,
        data.minutes,
        data.mode.value,
        data.format.value,
        data.model.value if data.model else None,
        data.notes,
        data.private_notes,
        int(data.pro_bono),
    )


def delete(j: Journal, session_id: int) -> None:
    # Foreign keys remove its labels and actions; triggers remove them from search.
    j.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


def by_id(j: Journal, session_id: int) -> Session | None:
    rows = j.rows(
        f"SELECT {_columns(_NUMBER_BY_COUNT)} FROM sessions s "
        "JOIN clients c ON c.id = s.client_id WHERE s.id = ?",
        (session_id,),
    )
    found = _assemble(j, rows)
    return found[0] if found else None


def find(
    j: Journal,
    *,
    client_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    theme: str | None = None,
    card: str | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Sessions matching every filter given, newest first, at most `limit` of them."""
    where: list[str] = []
    params: list[Any] = []
    if client_id is not None:
        where.append("s.client_id = ?")
        params.append(client_id)
    if since is not None:
        where.append("s.on_date >= ?")
        params.append(since)
    if until is not None:
        where.append("s.on_date <= ?")
        params.append(until)
    if theme is not None:
        where.append(
            "EXISTS (SELECT 1 FROM session_themes t WHERE t.session_id = s.id AND t.theme = ?)"
        )
        params.append(theme)
    if card is not None:
        where.append(
            "EXISTS (SELECT 1 FROM session_cards k WHERE k.session_id = s.id AND k.card = ?)"
        )
        params.append(card)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    if limit is None:
        # Everything: number every session of the client(s) in one window pass.
        window = _NUMBER_BY_WINDOW + (" WHERE client_id = ?" if client_id is not None else "")
        window_params = [client_id] if client_id is not None else []
        rows = j.rows(
            f"""SELECT {_columns("w.number")}
                FROM sessions s
                JOIN ({window}) w ON w.id = s.id
                JOIN clients c ON c.id = s.client_id
                {clause} {_NEWEST_FIRST}""",
            [*window_params, *params],
        )
    else:
        # A page: choose its rows first (inner query, LIMIT in SQL), so the number
        # is counted only for the rows returned. Without a client, walk the date
        # index backwards: SQLite 3.40 does so by itself, but newer ones (3.53, in
        # sqlcipher3 for encrypted journals) sort the whole table instead, 1 ms
        # against 220 ms at 100k sessions.
        by_date = "INDEXED BY sessions_by_date" if client_id is None else ""
        rows = j.rows(
            f"""SELECT {_columns(_NUMBER_BY_COUNT)}
                FROM (SELECT s.* FROM sessions s {by_date} {clause} {_NEWEST_FIRST} LIMIT ?) s
                JOIN clients c ON c.id = s.client_id
                {_NEWEST_FIRST}""",
            [*params, limit],
        )
    return _assemble(j, rows)


def _assemble(j: Journal, rows: Sequence[dict[str, Any]]) -> list[Session]:
    """Rows to Session records, with labels and actions fetched once for the page."""
    ids = [r["id"] for r in rows]
    themes = labels_for(j, "session", "themes", ids)
    cards = labels_for(j, "session", "cards", ids)
    tags = labels_for(j, "session", "tags", ids)
    actions = action_store.for_sessions(j, ids)
    engagements = engagement_store.refs_for_sessions(j, ids)
    return [
        from_row(
            Session,
            {
                **row,
                "themes": themes.get(row["id"], []),
                "cards": cards.get(row["id"], []),
                "tags": tags.get(row["id"], []),
                "actions": actions.get(row["id"], []),
                "engagement": engagements.get(row["id"]),
            },
        )
        for row in rows
    ]
