"""SQL for actions: the things a client (or the journal's owner) agreed to do next.

An action may hang off a session (agreed in it, deleted with it), a client, or
nobody (the owner's own to-do). Every read joins the client's name so a list
needs one query, and `for_sessions` fetches the actions of a whole page of
sessions at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coachlog.models import Action, from_row
from coachlog.store.base import new_uid

if TYPE_CHECKING:
    from coachlog.models.validation import ActionIn
    from coachlog.store.db import Journal

_SELECT = """SELECT a.id, a.text, a.due, a.done_on, a.client_id, c.name AS client,
                    a.session_id, a.created_on
             FROM actions a LEFT JOIN clients c ON c.id = a.client_id"""

# Open actions first, soonest due first (undated ones after dated), then by id.
_ORDER = "ORDER BY a.done_on IS NOT NULL, a.due IS NULL, a.due, a.id"


def _action(row: dict[str, Any]) -> Action:
    return from_row(Action, row)


def insert(j: Journal, data: ActionIn, created_on: str) -> int:
    """Store one action and return its id."""
    action_id = j.scalar(
        "INSERT INTO actions (uid, client_id, session_id, text, due, created_on) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (
            new_uid(),
            data.client_id,
            data.session_id,
            data.text,
            data.due.isoformat() if data.due else None,
            created_on,
        ),
    )
    return int(action_id)


def by_id(j: Journal, action_id: int) -> Action | None:
    row = j.row(f"{_SELECT} WHERE a.id = ?", (action_id,))
    return _action(row) if row else None


def set_done(j: Journal, action_id: int, done_on: str | None) -> None:
    j.execute("UPDATE actions SET done_on = ? WHERE id = ?", (done_on, action_id))


def set_due(j: Journal, action_id: int, due: str | None) -> None:
    j.execute("UPDATE actions SET due = ? WHERE id = ?", (due, action_id))


def delete(j: Journal, action_ids: Sequence[int]) -> None:
    j.conn.executemany("DELETE FROM actions WHERE id = ?", [(i,) for i in action_ids])


def move_session_actions(j: Journal, session_id: int, client_id: int) -> None:
    """A session moved to another client takes the actions agreed in it along."""
    j.execute("UPDATE actions SET client_id = ? WHERE session_id = ?", (client_id, session_id))


def set_agreed(j: Journal, action_ids: Sequence[int], created_on: str) -> None:
    """The day actions were agreed, when the session they were agreed in is re-dated."""
    j.conn.executemany(
        "UPDATE actions SET created_on = ? WHERE id = ?", [(created_on, i) for i in action_ids]
    )


def find(
    j: Journal,
    *,
    client_id: int | None = None,
    open_only: bool = False,
    overdue_before: str | None = None,
    limit: int | None = None,
) -> list[Action]:
    """Actions, open ones first; `overdue_before` keeps open ones due before that date.

    `limit` stops after that many (SQLite keeps only the top N while sorting)."""
    where: list[str] = []
    params: list[Any] = []
    if client_id is not None:
        where.append("a.client_id = ?")
        params.append(client_id)
    if open_only or overdue_before is not None:
        where.append("a.done_on IS NULL")
    if overdue_before is not None:
        where.append("a.due < ?")
        params.append(overdue_before)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    if limit is not None:
        clause += f" {_ORDER} LIMIT ?"
        params.append(limit)
    else:
        clause += f" {_ORDER}"
    return [_action(r) for r in j.rows(f"{_SELECT} {clause}", params)]


def for_sessions(j: Journal, session_ids: Sequence[int]) -> dict[int, list[Action]]:
    """The actions agreed in each of many sessions, in the order they were added."""
    found: dict[int, list[Action]] = defaultdict(list)
    ids = list(session_ids)
    # Chunk to stay under SQLite's host-parameter limit on old builds.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in j.rows(f"{_SELECT} WHERE a.session_id IN ({marks}) ORDER BY a.id", chunk):
            found[row["session_id"]].append(_action(row))
    return found


def update(j: Journal, action_id: int, text: str, due: str | None, client_id: int | None) -> None:
    """Change an action's text, due date and whose it is (done date untouched)."""
    j.execute(
        "UPDATE actions SET text = ?, due = ?, client_id = ? WHERE id = ?",
        (text, due, client_id, action_id),
    )
