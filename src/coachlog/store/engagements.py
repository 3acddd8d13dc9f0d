"""SQL for engagements and their outcome check-ins.

A session is not linked to an engagement by a column: a session with the client
dated from the engagement's start to its end (or with no end yet) counts against
it, and its number in the engagement is counted, not stored (like a session's
`number`, see store/sessions.py). An engagement with `client_id` NULL is the
owner's own coaching, for a coachee's journal.
Outcome scores are six columns, one per IES theme; `THEME_COLUMNS` maps the
theme keys to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coachlog.models import Engagement, EngagementRef, Outcome, from_row
from coachlog.store.base import new_uid, now_iso

if TYPE_CHECKING:
    from coachlog.store.db import Journal

THEME_COLUMNS = {
    "strategic": "strategic",
    "prioritisation": "prioritisation",
    "confidence": "confidence",
    "influence": "influence",
    "team": "team",
    "self-presentation": "self_presentation",
}
FOLLOW_UP_MONTHS = 6

# Sessions of the engagement's client inside its dates (both ends included).
IN_ENGAGEMENT = """n.client_id = e.client_id AND n.on_date >= e.started_on
                    AND (e.ended_on IS NULL OR n.on_date <= e.ended_on)"""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _who(client_id: int | None) -> tuple[str, list[Any]]:
    if client_id is None:
        return "e.client_id IS NULL", []
    return "e.client_id = ?", [client_id]


_ENGAGEMENT_COLUMNS = f"""e.id, e.client_id, c.name AS client, e.started_on, e.ended_on,
    e.sessions_contracted, e.sponsor,
    (SELECT count(*) FROM sessions n WHERE {IN_ENGAGEMENT}) AS sessions_held"""


def _engagements(rows: Sequence[dict[str, Any]]) -> list[Engagement]:
    out = []
    for row in rows:
        end = row["ended_on"]
        due = add_months(dt.date.fromisoformat(end), FOLLOW_UP_MONTHS) if end else None
        out.append(from_row(Engagement, {**row, "follow_up_due": due}))
    return out


def insert(
    j: Journal,
    client_id: int | None,
    started_on: str,
    sessions_contracted: int | None,
    sponsor: str | None,
) -> int:
    return int(
        j.scalar(
            "INSERT INTO engagements (uid, client_id, started_on, sessions_contracted, sponsor, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (new_uid(), client_id, started_on, sessions_contracted, sponsor, now_iso()),
        )
    )


def set_end(j: Journal, engagement_id: int, ended_on: str) -> None:
    j.execute("UPDATE engagements SET ended_on = ? WHERE id = ?", (ended_on, engagement_id))


_EDITABLE = ("started_on", "ended_on", "sessions_contracted", "sponsor")


def update(j: Journal, engagement_id: int, changes: dict[str, object]) -> None:
    """Set only the named columns (each one of `_EDITABLE`)."""
    if not changes:
        return
    assert all(column in _EDITABLE for column in changes), changes
    assignments = ", ".join(f"{column} = ?" for column in changes)
    j.execute(
        f"UPDATE engagements SET {assignments} WHERE id = ?", (*changes.values(), engagement_id)
    )


def count_outcomes(j: Journal, engagement_id: int) -> int:
    return int(j.scalar("SELECT count(*) FROM outcomes WHERE engagement_id = ?", (engagement_id,)))


def delete(j: Journal, engagement_id: int) -> None:
    """Delete an engagement; its outcome check-ins go with it (deleted here, not left
    to ON DELETE CASCADE, so this holds whatever the connection's foreign_keys)."""
    j.execute("DELETE FROM outcomes WHERE engagement_id = ?", (engagement_id,))
    j.execute("DELETE FROM engagements WHERE id = ?", (engagement_id,))


def by_id(j: Journal, engagement_id: int) -> Engagement | None:
    rows = j.rows(
        f"SELECT {_ENGAGEMENT_COLUMNS} FROM engagements e "
        "LEFT JOIN clients c ON c.id = e.client_id WHERE e.id = ?",
        (engagement_id,),
    )
    found = _engagements(rows)
    return found[0] if found else None


def find(
    j: Journal, *, client_id: int | None = None, scope: str = "all", open_only: bool = False
) -> list[Engagement]:
    """Engagements newest first: everyone's (`scope` 'all'), one client's, or the owner's."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if scope != "all":
        clause, params = _who(client_id)
        where = [clause]
    if open_only:
        where.append("e.ended_on IS NULL")
    rows = j.rows(
        f"SELECT {_ENGAGEMENT_COLUMNS} FROM engagements e "
        "LEFT JOIN clients c ON c.id = e.client_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.started_on DESC, e.id DESC",
        params,
    )
    return _engagements(rows)


def latest_end(j: Journal, client_id: int | None) -> str | None:
    clause, params = _who(client_id)
    found = j.scalar(f"SELECT max(ended_on) FROM engagements e WHERE {clause}", params)
    return None if found is None else str(found)


def refs_for_sessions(j: Journal, session_ids: Sequence[int]) -> dict[int, EngagementRef]:
    """Each session's engagement and its number in it (sessions outside one are absent)."""
    found: dict[int, EngagementRef] = {}
    ids = list(session_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in j.rows(
            f"""SELECT s.id AS session_id, e.id, e.sessions_contracted AS "of",
                   (SELECT count(*) FROM sessions n WHERE {IN_ENGAGEMENT}
                      AND (n.on_date, coalesce(n.at_time, ''), n.id)
                          <= (s.on_date, coalesce(s.at_time, ''), s.id)) AS number
                FROM sessions s JOIN engagements e ON e.client_id = s.client_id
                 AND s.on_date >= e.started_on
                 AND (e.ended_on IS NULL OR s.on_date <= e.ended_on)
               WHERE s.id IN ({marks})""",
            chunk,
        ):
            found[row.pop("session_id")] = from_row(EngagementRef, row)
    return found


def follow_ups_due(j: Journal, by: str) -> list[dict[str, Any]]:
    """Ended engagements with no follow-up check-in whose follow-up falls on or before `by`."""
    rows = j.rows(
        """SELECT e.id, e.client_id, c.name AS client, e.ended_on
             FROM engagements e LEFT JOIN clients c ON c.id = e.client_id
            WHERE e.ended_on IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM outcomes o
                               WHERE o.engagement_id = e.id AND o.stage = 'follow-up')
            ORDER BY e.ended_on, e.id"""
    )
    out = []
    for row in rows:
        due = add_months(dt.date.fromisoformat(row["ended_on"]), FOLLOW_UP_MONTHS).isoformat()
        if due <= by:
            out.append({**row, "due": due})
    return out


# ---------------------------------------------------------------- outcomes

_SCORE_COLUMNS = ", ".join(THEME_COLUMNS.values())
_OUTCOME_COLUMNS = f"""o.id, o.engagement_id, e.client_id, c.name AS client, o.stage,
    o.on_date AS "on", {_SCORE_COLUMNS}"""


def _outcomes(rows: Sequence[dict[str, Any]]) -> list[Outcome]:
    return [
        from_row(
            Outcome,
            {
                **{k: v for k, v in row.items() if k not in THEME_COLUMNS.values()},
                "scores": {key: row[column] for key, column in THEME_COLUMNS.items()},
            },
        )
        for row in rows
    ]


def insert_outcome(
    j: Journal, engagement_id: int, stage: str, on_date: str, scores: dict[str, int | None]
) -> int:
    columns = list(THEME_COLUMNS.values())
    return int(
        j.scalar(
            f"INSERT INTO outcomes (uid, engagement_id, stage, on_date, {_SCORE_COLUMNS}, "
            f"created_at) VALUES (?, ?, ?, ?, {', '.join('?' * len(columns))}, ?) RETURNING id",
            (
                new_uid(),
                engagement_id,
                stage,
                on_date,
                *(scores.get(key) for key in THEME_COLUMNS),
                now_iso(),
            ),
        )
    )


def outcome_by_id(j: Journal, outcome_id: int) -> Outcome | None:
    rows = j.rows(
        f"SELECT {_OUTCOME_COLUMNS} FROM outcomes o JOIN engagements e ON e.id = o.engagement_id "
        "LEFT JOIN clients c ON c.id = e.client_id WHERE o.id = ?",
        (outcome_id,),
    )
    found = _outcomes(rows)
    return found[0] if found else None


def outcome_for_stage(j: Journal, engagement_id: int, stage: str) -> int | None:
    found = j.scalar(
        "SELECT id FROM outcomes WHERE engagement_id = ? AND stage = ?", (engagement_id, stage)
    )
    return None if found is None else int(found)


def find_outcomes(
    j: Journal,
    *,
    client_id: int | None = None,
    scope: str = "all",
    engagement_ids: Sequence[int] | None = None,
) -> list[Outcome]:
    """Outcome check-ins oldest first (by engagement, then stage order)."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if scope != "all":
        clause, params = _who(client_id)
        where = [clause]
    if engagement_ids is not None:
        where.append(f"o.engagement_id IN ({','.join('?' * len(engagement_ids)) or 'NULL'})")
        params = [*params, *engagement_ids]
    rows = j.rows(
        f"SELECT {_OUTCOME_COLUMNS} FROM outcomes o JOIN engagements e ON e.id = o.engagement_id "
        f"LEFT JOIN clients c ON c.id = e.client_id WHERE {' AND '.join(where)} "
        "ORDER BY e.started_on, e.id, CASE o.stage WHEN 'before' THEN 0 WHEN 'end' THEN 1 "
        "ELSE 2 END",
        params,
    )
    return _outcomes(rows)


def delete_outcome(j: Journal, outcome_id: int) -> None:
    j.execute("DELETE FROM outcomes WHERE id = ?", (outcome_id,))


# ---------------------------------------------------------------- the anonymous export


def export_rows(j: Journal, since: str | None) -> list[dict[str, Any]]:
    """Each engagement's relationship, dates, sessions and outcome scores, for the export.

    Only what `core/outcomes.export` turns into anonymous records; names, notes and
    ids go no further than this function's caller.
    """
    rows = j.rows(
        f"""SELECT e.id, coalesce(c.relationship, 'coaching') AS relationship,
                  e.started_on, e.ended_on, e.sessions_contracted,
                  (SELECT count(*) FROM sessions n WHERE {IN_ENGAGEMENT}) AS sessions_held
             FROM engagements e LEFT JOIN clients c ON c.id = e.client_id
            WHERE e.started_on >= ? ORDER BY e.id""",
        (since or "0000-01-01",),
    )
    scores: dict[int, dict[str, dict[str, int | None]]] = {}
    for row in j.rows(f"SELECT engagement_id, stage, {_SCORE_COLUMNS} FROM outcomes"):
        scores.setdefault(row["engagement_id"], {})[row["stage"]] = {
            key: row[column] for key, column in THEME_COLUMNS.items()
        }
    for row in rows:
        row["outcomes"] = scores.get(row["id"], {})
    return rows
