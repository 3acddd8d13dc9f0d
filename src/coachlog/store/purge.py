"""SQL for what `db purge` touches besides the rows it deletes.

Open actions agreed in an old session are kept by default (unhooked from the
session before it goes), and goals whose first score is purged have their
starting point moved; both are reported before anything is removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coachlog.store.engagements import IN_ENGAGEMENT

if TYPE_CHECKING:
    from coachlog.store.db import Journal


def open_actions_in_sessions_before(j: Journal, before: str) -> int:
    """How many still-open actions were agreed in sessions dated before `before`."""
    return int(
        j.scalar(
            "SELECT count(*) FROM actions WHERE done_on IS NULL AND session_id IN "
            "(SELECT id FROM sessions WHERE on_date < ?)",
            (before,),
        )
    )


def keep_open_actions_before(j: Journal, before: str) -> None:
    """Unhook open actions from sessions about to be purged, so they survive the purge.

    They keep their client, text and dates; only the link to the session goes.
    """
    j.execute(
        "UPDATE actions SET session_id = NULL WHERE done_on IS NULL AND session_id IN "
        "(SELECT id FROM sessions WHERE on_date < ?)",
        (before,),
    )


def baselines_moving(j: Journal, before: str) -> list[dict[str, Any]]:
    """Goals whose first score is dated before `before`: their starting point would move.

    Each: goal id and title, the first score and its date now, and the first score
    left after the purge (None when no score would be left).
    """
    rows = j.rows(
        """SELECT g.id AS goal_id, g.title,
                  (SELECT s.score FROM goal_scores s WHERE s.goal_id = g.id
                    ORDER BY s.on_date, s.id LIMIT 1) AS baseline,
                  (SELECT s.on_date FROM goal_scores s WHERE s.goal_id = g.id
                    ORDER BY s.on_date, s.id LIMIT 1) AS baseline_on,
                  (SELECT s.score FROM goal_scores s WHERE s.goal_id = g.id AND s.on_date >= :d
                    ORDER BY s.on_date, s.id LIMIT 1) AS new_baseline,
                  (SELECT s.on_date FROM goal_scores s WHERE s.goal_id = g.id AND s.on_date >= :d
                    ORDER BY s.on_date, s.id LIMIT 1) AS new_baseline_on
             FROM goals g
            WHERE EXISTS (SELECT 1 FROM goal_scores s WHERE s.goal_id = g.id AND s.on_date < :d)
            ORDER BY g.id""",
        {"d": before},
    )
    return [dict(r) for r in rows]


def sessions_held_falling(j: Journal, before: str) -> list[dict[str, Any]]:
    """Engagements holding sessions dated before `before`: they would count fewer held.

    Each: engagement id, sessions contracted, sessions held now and after the purge.
    """
    rows = j.rows(
        f"""SELECT e.id AS engagement_id, e.sessions_contracted AS contracted,
                  (SELECT count(*) FROM sessions n WHERE {IN_ENGAGEMENT}) AS held,
                  (SELECT count(*) FROM sessions n WHERE {IN_ENGAGEMENT}
                     AND n.on_date >= :d) AS new_held
             FROM engagements e
            WHERE EXISTS (SELECT 1 FROM sessions n WHERE {IN_ENGAGEMENT} AND n.on_date < :d)
            ORDER BY e.id""",
        {"d": before},
    )
    return [dict(r) for r in rows]
