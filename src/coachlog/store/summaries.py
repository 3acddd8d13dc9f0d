"""Running aggregates that let `progress` of the whole journal read a few hundred rows.

`progress` with no client and no period used to aggregate every goal score in
the journal (112k at 100k sessions): each goal's first and latest score for the
themes' baseline and latest, and each goal's last score in every month for the
trend lines. Three tables, kept by triggers (migration m013), hold those answers:

- `summary_goal_ends (goal_id, first_score, last_score)`: each scored goal's first
  and latest score, ordered by (on_date, id) as everywhere.
- `summary_goal_months (goal_id, month, score)`: each goal's last score in each
  month it was scored.
- `summary_theme_months (theme, month, delta, added, goals)`: per impact theme and
  month, `goals` is how many of the theme's goals were scored that month; `delta`
  the sum over those goals of (this month's score - the goal's previous month's
  score, or 0), and `added` how many of them were scored for the first time. A
  running sum over the months gives each month's total of latest scores and the
  number of goals scored so far: their ratio is the trend point
  (`store.progress.theme_trends` does the same walk over the scores themselves
  for any other scope or period).

The invariant every trigger keeps: `summary_goal_months` and `summary_goal_ends`
are functions of `goal_scores` for goals that exist, and `summary_theme_months` is
the sum, over goals that exist and are not dropped and each theme in
`goal_themes`, of their months' contributions. A goal's contribution is taken out
before the goal is deleted (while its themes are still there), so the cascade that
follows changes nothing. The tables hold ids, months, theme keys and scores: no
text anyone wrote, so erasing a client leaves nothing of them behind.

`rebuild()` computes all three from scratch (the migration's backfill, and `db
repair`); `differences()` compares them with a fresh computation (`db check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TABLES = ("summary_goal_ends", "summary_goal_months", "summary_theme_months")

# Each goal's last score in each month, as `theme_trends` picks it.
_GOAL_MONTHS = """
  SELECT s.goal_id, substr(s.on_date, 1, 7) AS month, s.score,
         max(s.on_date || printf('%012d', s.id)) AS last_entry
    FROM goal_scores s JOIN goals g ON g.id = s.goal_id
   GROUP BY s.goal_id, month"""

_GOAL_ENDS = """
  SELECT g.id AS goal_id,
         (SELECT score FROM goal_scores s WHERE s.goal_id = g.id
           ORDER BY s.on_date, s.id LIMIT 1) AS first_score,
         (SELECT score FROM goal_scores s WHERE s.goal_id = g.id
           ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS last_score
    FROM goals g WHERE EXISTS (SELECT 1 FROM goal_scores s WHERE s.goal_id = g.id)"""

# From summary_goal_months and goal_themes: the theme months as the triggers keep them.
_THEME_MONTHS = """
  SELECT gt.theme, m.month,
         sum(m.score - coalesce(m.previous, 0)) AS delta,
         sum(m.previous IS NULL) AS added,
         count(*) AS goals
    FROM (SELECT goal_id, month, score,
                 lag(score) OVER (PARTITION BY goal_id ORDER BY month) AS previous
            FROM summary_goal_months) m
    JOIN goals g ON g.id = m.goal_id AND g.status != 'dropped'
    JOIN goal_themes gt ON gt.goal_id = m.goal_id
   GROUP BY gt.theme, m.month"""


def rebuild(conn: Any) -> None:
    """Compute every summary table from the journal's rows (inside the caller's transaction).

    It works with the triggers in place (`db check --repair`) or not yet made (the
    migration): whatever the goal-month triggers do to `summary_theme_months` on the
    way, it is emptied and computed whole from the goal months last.
    """
    conn.execute("DELETE FROM summary_goal_months")
    conn.execute("DELETE FROM summary_goal_ends")
    conn.execute(
        "INSERT INTO summary_goal_months (goal_id, month, score) "
        f"SELECT goal_id, month, score FROM ({_GOAL_MONTHS})"
    )
    conn.execute(
        "INSERT INTO summary_goal_ends (goal_id, first_score, last_score) "
        f"SELECT goal_id, first_score, last_score FROM ({_GOAL_ENDS})"
    )
    conn.execute("DELETE FROM summary_theme_months")
    conn.execute(
        "INSERT INTO summary_theme_months (theme, month, delta, added, goals) "
        f"SELECT theme, month, delta, added, goals FROM ({_THEME_MONTHS})"
    )


@contextmanager
def set_aside(conn: Any) -> Iterator[None]:
    """Turn the summary triggers off for a bulk write, then compute the summaries once.

    Kept row by row, 112k goal scores cost about a third of seeding or restoring a
    100k journal; set aside, the write is that much quicker and the summaries take
    0.4 s to compute at the end. Inside the caller's transaction, so a failed write
    rolls the triggers back with everything else. The triggers come back exactly as
    the journal had them.
    """
    kept = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    for name, _ in kept:
        conn.execute(f"DROP TRIGGER {name}")
    yield
    rebuild(conn)
    for _, sql in kept:
        conn.execute(sql)


def trigger_names() -> list[str]:
    """The names of the triggers that keep the summaries (as `trigger_sql` makes them)."""
    return [sql.split()[2] for sql in trigger_sql()]


def restore_triggers(conn: Any) -> None:
    """Make the summary triggers again, exactly as `trigger_sql` says (`db check --repair`)."""
    for name in trigger_names():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for sql in trigger_sql():
        conn.execute(sql)


def differences(conn: Any) -> list[str]:
    """What of the summaries does not match a fresh computation: table names, or
    "triggers" when one of the triggers that keep them is missing (empty when all agree).
    """
    present = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary%'"
        )
    }
    missing = ["triggers"] if set(trigger_names()) - present else []
    fresh = {
        "summary_goal_months": f"SELECT goal_id, month, score FROM ({_GOAL_MONTHS})",
        "summary_goal_ends": f"SELECT goal_id, first_score, last_score FROM ({_GOAL_ENDS})",
    }
    kept = {
        "summary_goal_months": "SELECT goal_id, month, score FROM summary_goal_months",
        "summary_goal_ends": "SELECT goal_id, first_score, last_score FROM summary_goal_ends",
    }
    wrong = []
    for table, sql in fresh.items():
        if sorted(conn.execute(sql).fetchall()) != sorted(conn.execute(kept[table]).fetchall()):
            wrong.append(table)
    if not wrong:  # theme months are computed from goal months, so only check them then
        theme_fresh = conn.execute(
            f"SELECT theme, month, delta, added, goals FROM ({_THEME_MONTHS})"
        ).fetchall()
        theme_kept = conn.execute(
            "SELECT theme, month, delta, added, goals FROM summary_theme_months"
        ).fetchall()
        if sorted(theme_fresh) != sorted(theme_kept):
            wrong.append("summary_theme_months")
    return missing + wrong


# ---------------------------------------------------------------- the triggers' SQL (m013)


def _refresh_goal(goal: str, month: str) -> list[str]:
    """Statements that recompute one goal's ends and one of its months."""
    exists = f"EXISTS (SELECT 1 FROM goals WHERE id = {goal})"
    in_month = (
        f"s.goal_id = {goal} AND s.on_date >= {month} || '-01' AND s.on_date < {month} || '-32'"
    )
    return [
        f"DELETE FROM summary_goal_months WHERE goal_id = {goal} AND month = {month};",
        "INSERT INTO summary_goal_months (goal_id, month, score) "
        f"SELECT {goal}, {month}, (SELECT s.score FROM goal_scores s WHERE {in_month} "
        "ORDER BY s.on_date DESC, s.id DESC LIMIT 1) "
        f"WHERE {exists} AND EXISTS (SELECT 1 FROM goal_scores s WHERE {in_month});",
        f"DELETE FROM summary_goal_ends WHERE goal_id = {goal};",
        "INSERT INTO summary_goal_ends (goal_id, first_score, last_score) "
        f"SELECT {goal}, "
        f"(SELECT score FROM goal_scores s WHERE s.goal_id = {goal} "
        "ORDER BY s.on_date, s.id LIMIT 1), "
        f"(SELECT score FROM goal_scores s WHERE s.goal_id = {goal} "
        "ORDER BY s.on_date DESC, s.id DESC LIMIT 1) "
        f"WHERE {exists} AND EXISTS (SELECT 1 FROM goal_scores s WHERE s.goal_id = {goal});",
    ]


_ADD = (
    " ON CONFLICT (theme, month) DO UPDATE SET delta = delta + excluded.delta, "
    "added = added + excluded.added, goals = goals + excluded.goals;"
)
_TIDY = "DELETE FROM summary_theme_months WHERE goals = 0;"


def _counted(goal: str) -> str:
    """SQL true when `goal`'s scores count towards the theme months."""
    return f"EXISTS (SELECT 1 FROM goals WHERE id = {goal} AND status != 'dropped')"


def _month_change(row: str, sign: int) -> list[str]:
    """Add (sign 1, after an insert) or take out (-1, after a delete) one goal month.

    `row` is NEW or OLD. The goal's previous and next months are read from the
    table as it is after the change: the month itself is not among them either way.
    """
    goal = f"{row}.goal_id"
    previous = (
        f"(SELECT p.score FROM summary_goal_months p WHERE p.goal_id = {goal} "
        f"AND p.month < {row}.month ORDER BY p.month DESC LIMIT 1)"
    )
    following = (
        f"(SELECT n.month FROM summary_goal_months n WHERE n.goal_id = {goal} "
        f"AND n.month > {row}.month ORDER BY n.month LIMIT 1)"
    )
    return [
        # The month itself: its score against the previous month's (or 0, first seen).
        "INSERT INTO summary_theme_months (theme, month, delta, added, goals) "
        f"SELECT gt.theme, {row}.month, {sign} * ({row}.score - coalesce({previous}, 0)), "
        f"{sign} * ({previous} IS NULL), {sign} "
        f"FROM goal_themes gt WHERE gt.goal_id = {goal} AND {_counted(goal)}" + _ADD,
        # The next month now follows this one (or, after a delete, the previous one).
        "INSERT INTO summary_theme_months (theme, month, delta, added, goals) "
        f"SELECT gt.theme, {following}, {sign} * (coalesce({previous}, 0) - {row}.score), "
        f"{-sign} * ({previous} IS NULL), 0 "
        f"FROM goal_themes gt WHERE gt.goal_id = {goal} AND {_counted(goal)} "
        f"AND {following} IS NOT NULL" + _ADD,
        _TIDY,
    ]


def _whole_goal(goal: str, theme_filter: str, sign: str) -> list[str]:
    """Add or take out every month of one goal, for the themes `theme_filter` selects."""
    previous = (
        "(SELECT p.score FROM summary_goal_months p WHERE p.goal_id = m.goal_id "
        "AND p.month < m.month ORDER BY p.month DESC LIMIT 1)"
    )
    return [
        "INSERT INTO summary_theme_months (theme, month, delta, added, goals) "
        f"SELECT gt.theme, m.month, {sign} * (m.score - coalesce({previous}, 0)), "
        f"{sign} * ({previous} IS NULL), {sign} "
        f"FROM summary_goal_months m JOIN goal_themes gt ON gt.goal_id = m.goal_id "
        f"WHERE m.goal_id = {goal} AND {theme_filter}" + _ADD,
        _TIDY,
    ]


def trigger_sql() -> list[str]:
    """CREATE TRIGGER statements that keep the summary tables (migration m013)."""

    def trigger(name: str, when: str, body: list[str]) -> str:
        return f"CREATE TRIGGER {name} {when} BEGIN\n  " + "\n  ".join(body) + "\nEND"

    month = "substr({row}.on_date, 1, 7)"
    new_month, old_month = month.format(row="NEW"), month.format(row="OLD")
    return [
        trigger(
            "summary_scores_insert",
            "AFTER INSERT ON goal_scores",
            _refresh_goal("NEW.goal_id", new_month),
        ),
        trigger(
            "summary_scores_delete",
            "AFTER DELETE ON goal_scores",
            _refresh_goal("OLD.goal_id", old_month),
        ),
        trigger(
            "summary_scores_update",
            "AFTER UPDATE ON goal_scores",
            _refresh_goal("OLD.goal_id", old_month) + _refresh_goal("NEW.goal_id", new_month),
        ),
        trigger(
            "summary_months_insert", "AFTER INSERT ON summary_goal_months", _month_change("NEW", 1)
        ),
        trigger(
            "summary_months_delete",
            "AFTER DELETE ON summary_goal_months",
            _month_change("OLD", -1),
        ),
        # Months are only ever deleted and inserted again, never updated in place.
        trigger(
            "summary_months_no_update",
            "BEFORE UPDATE ON summary_goal_months",
            ["SELECT RAISE(ABORT, 'summary_goal_months rows are replaced, not updated');"],
        ),
        trigger(
            "summary_goal_themes_insert",
            "AFTER INSERT ON goal_themes",
            _whole_goal("NEW.goal_id", f"gt.theme = NEW.theme AND {_counted('NEW.goal_id')}", "1"),
        ),
        trigger(
            "summary_goal_themes_delete",
            "AFTER DELETE ON goal_themes",
            # The row is gone, so its theme is named rather than joined.
            [
                "INSERT INTO summary_theme_months (theme, month, delta, added, goals) "
                "SELECT OLD.theme, m.month, -(m.score - coalesce((SELECT p.score FROM "
                "summary_goal_months p WHERE p.goal_id = m.goal_id AND p.month < m.month "
                "ORDER BY p.month DESC LIMIT 1), 0)), -((SELECT p.score FROM "
                "summary_goal_months p WHERE p.goal_id = m.goal_id AND p.month < m.month "
                "ORDER BY p.month DESC LIMIT 1) IS NULL), -1 "
                f"FROM summary_goal_months m WHERE m.goal_id = OLD.goal_id "
                f"AND {_counted('OLD.goal_id')}" + _ADD,
                _TIDY,
            ],
        ),
        trigger(
            "summary_goal_themes_update",
            "AFTER UPDATE ON goal_themes",
            ["SELECT RAISE(ABORT, 'goal_themes rows are replaced, not updated');"],
        ),
        trigger(
            "summary_goal_dropped",
            "AFTER UPDATE OF status ON goals "
            "WHEN (OLD.status = 'dropped') != (NEW.status = 'dropped')",
            _whole_goal("NEW.id", "1", "(CASE WHEN NEW.status = 'dropped' THEN -1 ELSE 1 END)"),
        ),
        # Before the goal goes, while its themes and status are still there: taking
        # its months out takes out their contribution; the cascade then finds no goal.
        trigger(
            "summary_goal_delete",
            "BEFORE DELETE ON goals",
            [
                "DELETE FROM summary_goal_months WHERE goal_id = OLD.id;",
                "DELETE FROM summary_goal_ends WHERE goal_id = OLD.id;",
            ],
        ),
    ]
