"""SQL for goals and their 0-10 scores: the check-ins a coachee or coach records over time.

A goal's `baseline` is its first score and `latest` its last, both ordered by
(on_date, id) so two check-ins on the same day keep the order they were typed in.
Lists work them out in the same query as the goals (correlated subqueries that
walk the `goal_scores_by_goal (goal_id, on_date, id)` index), and read labels with
one query per kind, so a page of goals costs a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from coachlog.models import Goal, GoalScore, from_row
from coachlog.store.base import labels_for, new_uid, set_labels

if TYPE_CHECKING:
    from coachlog.models.validation import GoalIn
    from coachlog.store.db import Journal

_SELECT = """
SELECT g.id, g.title, g.client_id, c.name AS client, g.due, g.status, g.created_on,
       g.closed_on,
       (SELECT s.score FROM goal_scores s WHERE s.goal_id = g.id
         ORDER BY s.on_date, s.id LIMIT 1) AS baseline,
       (SELECT s.score FROM goal_scores s WHERE s.goal_id = g.id
         ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS latest
  FROM goals g LEFT JOIN clients c ON c.id = g.client_id
"""


def _goals(j: Journal, rows: list[dict[str, Any]]) -> list[Goal]:
    ids = [r["id"] for r in rows]
    themes = labels_for(j, "goal", "themes", ids)
    tags = labels_for(j, "goal", "tags", ids)
    return [
        from_row(Goal, {**r, "themes": themes.get(r["id"], []), "tags": tags.get(r["id"], [])})
        for r in rows
    ]


def insert(j: Journal, data: GoalIn, created_on: str) -> int:
    """Store a new open goal with its themes and tags; returns its id."""
    goal_id = int(
        j.scalar(
            "INSERT INTO goals (uid, client_id, title, due, status, created_on) "
            "VALUES (?, ?, ?, ?, 'open', ?) RETURNING id",
            (
                new_uid(),
                data.client_id,
                data.title,
                data.due.isoformat() if data.due else None,
                created_on,
            ),
        )
    )
    set_labels(j, "goal", "themes", goal_id, [t.value for t in data.themes])
    set_labels(j, "goal", "tags", goal_id, data.tags)
    return goal_id


def insert_score(j: Journal, goal_id: int, score: int, on: str, note: str | None) -> int:
    return int(
        j.scalar(
            "INSERT INTO goal_scores (uid, goal_id, score, on_date, note) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (new_uid(), goal_id, score, on, note),
        )
    )


def set_status(j: Journal, goal_id: int, status: str, closed_on: str | None) -> None:
    j.execute(
        "UPDATE goals SET status = ?, closed_on = ? WHERE id = ?", (status, closed_on, goal_id)
    )


def scores(j: Journal, goal_id: int) -> list[GoalScore]:
    """Every score of one goal, oldest first."""
    return [
        from_row(GoalScore, r)
        for r in j.rows(
            'SELECT id, goal_id, score, on_date AS "on", note FROM goal_scores '
            "WHERE goal_id = ? ORDER BY on_date, id",
            (goal_id,),
        )
    ]


def by_id(j: Journal, goal_id: int, with_scores: bool = True) -> Goal | None:
    row = j.row(_SELECT + " WHERE g.id = ?", (goal_id,))
    if row is None:
        return None
    goal = _goals(j, [row])[0]
    return dataclasses.replace(goal, scores=scores(j, goal_id)) if with_scores else goal


def list_goals(
    j: Journal,
    *,
    client_id: int | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Goal]:
    """Goals in id order, optionally of one client and/or one status (None = any).

    `limit` keeps the first that many, before their scores are read."""
    where: list[str] = []
    params: list[Any] = []
    if client_id is not None:
        where.append("g.client_id = ?")
        params.append(client_id)
    if status is not None:
        where.append("g.status = ?")
        params.append(status)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY g.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return _goals(j, j.rows(sql, params))


def update(j: Journal, goal_id: int, data: GoalIn, created_on: str) -> None:
    """Change a goal's title, due date, set date and themes (tags stay as they are)."""
    j.execute(
        "UPDATE goals SET title = ?, due = ?, created_on = ? WHERE id = ?",
        (data.title, data.due.isoformat() if data.due else None, created_on, goal_id),
    )
    set_labels(j, "goal", "themes", goal_id, [t.value for t in data.themes])


def score_by_id(j: Journal, score_id: int) -> GoalScore | None:
    row = j.row(
        'SELECT id, goal_id, score, on_date AS "on", note FROM goal_scores WHERE id = ?',
        (score_id,),
    )
    return from_row(GoalScore, row) if row else None


def update_score(j: Journal, score_id: int, score: int, on: str, note: str | None) -> None:
    j.execute(
        "UPDATE goal_scores SET score = ?, on_date = ?, note = ? WHERE id = ?",
        (score, on, note, score_id),
    )


def delete_score(j: Journal, score_id: int) -> None:
    j.execute("DELETE FROM goal_scores WHERE id = ?", (score_id,))
