"""SQL for the coach's own supervision sessions and the coaching hours they are set against.

Supervision rows stand alone (no client), so they survive `client erase`; the
ratio of supervision to coaching is computed from minutes in both tables over the
same window, so a period with nothing logged is simply zero, never an error.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from coachlog.models import Supervision, from_row
from coachlog.store.base import new_uid

if TYPE_CHECKING:
    from coachlog.models.validation import SupervisionIn
    from coachlog.store.db import Journal

_COLUMNS = 'id, on_date AS "on", minutes, supervisor, format, notes'

# `:since`/`:until` of None mean "no bound"; dates are ISO text, so text comparison is by date.
_WINDOW = "(:since IS NULL OR on_date >= :since) AND (:until IS NULL OR on_date <= :until)"


def _window(since: dt.date | None, until: dt.date | None) -> dict[str, Any]:
    return {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }


def insert(j: Journal, data: SupervisionIn) -> Supervision:
    row = j.row(
        f"INSERT INTO supervision (uid, on_date, minutes, supervisor, format, notes) "
        f"VALUES (?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
        (
            new_uid(),
            data.on.isoformat(),
            data.minutes,
            data.supervisor or None,
            data.format.value,
            data.notes,
        ),
    )
    assert row is not None
    return from_row(Supervision, row)


def in_window(
    j: Journal, since: dt.date | None = None, until: dt.date | None = None
) -> list[Supervision]:
    """Supervision sessions in the window, oldest first."""
    return [
        from_row(Supervision, r)
        for r in j.rows(
            f"SELECT {_COLUMNS} FROM supervision WHERE {_WINDOW} ORDER BY on_date, id",
            _window(since, until),
        )
    ]


def minutes(
    j: Journal, since: dt.date | None = None, until: dt.date | None = None
) -> tuple[int, int]:
    """(supervision minutes, coaching-session minutes) in the window."""
    params = _window(since, until)
    supervision = j.scalar(
        f"SELECT coalesce(sum(minutes), 0) FROM supervision WHERE {_WINDOW}", params
    )
    coaching = j.scalar(f"SELECT coalesce(sum(minutes), 0) FROM sessions WHERE {_WINDOW}", params)
    return int(supervision), int(coaching)


def by_id(j: Journal, supervision_id: int) -> Supervision | None:
    row = j.row(f"SELECT {_COLUMNS} FROM supervision WHERE id = ?", (supervision_id,))
    return from_row(Supervision, row) if row else None


def update(j: Journal, supervision_id: int, data: SupervisionIn) -> None:
    j.execute(
        "UPDATE supervision SET on_date = ?, minutes = ?, supervisor = ?, format = ?, notes = ? "
        "WHERE id = ?",
        (
            data.on.isoformat(),
            data.minutes,
            data.supervisor or None,
            data.format.value,
            data.notes,
            supervision_id,
        ),
    )


def delete(j: Journal, supervision_id: int) -> None:
    j.execute("DELETE FROM supervision WHERE id = ?", (supervision_id,))
