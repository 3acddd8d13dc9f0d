"""SQL for the summaries: `progress`, `prep` and the bare `coachlog` overview.

Every figure is a grouped query, so a journal of years costs a handful of index
scans, never a Python loop over every row. Three conventions run through it:

- A *scope* says whose records count: the whole journal, one client
  (`client_id = ?`), or the owner's own (`client_id IS NULL`). Sessions always
  have a client, so in the owner's scope there are none.
- A period is `lo`..`hi`, both inclusive ISO dates; an open end is
  '0000-01-01' or '9999-12-31', which keeps `on_date BETWEEN` usable by indexes.
- A goal's score "as of" a date is its last score on or before that date; two
  scores on the same day are ordered by entry (`id`), so the later entry wins.
  Means are rounded in SQL (half away from zero) to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachlog.store.db import Journal

EARLIEST = "0000-01-01"
LATEST = "9999-12-31"


@dataclass(frozen=True)
class Scope:
    """Whose records count: `kind` is 'all', 'client' (with `client_id`) or 'me'."""

    kind: str = "all"
    client_id: int | None = None

    def where(self, alias: str) -> str:
        """The SQL condition selecting this scope's rows of a table with `client_id`."""
        if self.kind == "client":
            return f"{alias}.client_id = :client_id"
        if self.kind == "me":
            return f"{alias}.client_id IS NULL"
        return "1"

    def sessions_where(self, alias: str) -> str:
        # Every session has a client: the owner's own scope has none.
        return "0" if self.kind == "me" else self.where(alias)


def _whole(scope: Scope, lo: str | None, hi: str | None) -> bool:
    """True for the whole journal over all time: the view the summary tables answer.

    There every period and scope condition is true, so the queries below drop the
    joins they need only for dates and owners, and read running aggregates
    (store/summaries.py) instead of every goal score. tests/test_progress.py checks
    the answers equal the general queries' (asked with an explicit, all-covering period).
    """
    return scope.kind == "all" and lo is None and hi is None


def _params(scope: Scope, lo: str | None, hi: str | None, **extra: Any) -> dict[str, Any]:
    return {"client_id": scope.client_id, "lo": lo or EARLIEST, "hi": hi or LATEST, **extra}


# ---------------------------------------------------------------- progress


def theme_counts(
    j: Journal, scope: Scope, lo: str | None, hi: str | None
) -> dict[str, dict[str, int]]:
    """Per impact theme: sessions and reflections in the period, goals open at its
    end and goals completed within it (dropped goals count as neither)."""
    if _whole(scope, lo, hi):
        # Every labelled entry counts: the link tables' own indexes answer.
        sql = """
          SELECT theme, 'sessions' AS what, count(*) AS n FROM session_themes GROUP BY theme
          UNION ALL
          SELECT theme, 'reflections', count(*) FROM reflection_themes GROUP BY theme
          UNION ALL
          SELECT theme, 'goals_open', count(*)
            FROM goal_themes gt JOIN goals g ON g.id = gt.goal_id
           WHERE g.status = 'open' GROUP BY theme
          UNION ALL
          SELECT theme, 'goals_done', count(*)
            FROM goal_themes gt JOIN goals g ON g.id = gt.goal_id
           WHERE g.status = 'done' GROUP BY theme"""
        found: dict[str, dict[str, int]] = {}
        for row in j.rows(sql):
            found.setdefault(row["theme"], {})[row["what"]] = row["n"]
        return found
    sql = f"""
      SELECT theme, 'sessions' AS what, count(*) AS n
        FROM session_themes st JOIN sessions s ON s.id = st.session_id
       WHERE {scope.sessions_where("s")} AND s.on_date BETWEEN :lo AND :hi
       GROUP BY theme
      UNION ALL
      SELECT theme, 'reflections', count(*)
        FROM reflection_themes rt JOIN reflections r ON r.id = rt.reflection_id
       WHERE {scope.where("r")} AND r.on_date BETWEEN :lo AND :hi
       GROUP BY theme
      UNION ALL
      SELECT theme, 'goals_open', count(*)
        FROM goal_themes gt JOIN goals g ON g.id = gt.goal_id
       WHERE {scope.where("g")} AND g.created_on <= :hi
         AND (g.status = 'open' OR g.closed_on > :hi)
       GROUP BY theme
      UNION ALL
      SELECT theme, 'goals_done', count(*)
        FROM goal_themes gt JOIN goals g ON g.id = gt.goal_id
       WHERE {scope.where("g")} AND g.status = 'done'
         AND coalesce(g.closed_on, g.created_on) BETWEEN :lo AND :hi
       GROUP BY theme"""
    found = {}
    for row in j.rows(sql, _params(scope, lo, hi)):
        found.setdefault(row["theme"], {})[row["what"]] = row["n"]
    return found


# The goals whose scores a theme's figures rest on: tagged with the theme, in scope,
# not dropped, and scored at least once within the period.
_SCORED_GOALS = """
  scored AS (
    SELECT gt.theme, g.id AS goal_id
      FROM goal_themes gt JOIN goals g ON g.id = gt.goal_id
     WHERE {where} AND g.status != 'dropped'
       AND EXISTS (SELECT 1 FROM goal_scores s
                    WHERE s.goal_id = g.id AND s.on_date BETWEEN :lo AND :hi)
  )"""


def theme_scores(
    j: Journal, scope: Scope, lo: str | None, hi: str | None
) -> dict[str, dict[str, Any]]:
    """Per impact theme: how many goals were scored, their mean baseline and latest
    score, and the change (latest minus baseline, of the rounded means, so the
    figures shown add up).

    A goal's baseline is where it stood when the period began: its last score
    before `lo`, or, failing that, its first score in the period (with no `lo`,
    simply its first score). Its latest is its last score on or before `hi`.
    """
    if _whole(scope, lo, hi):
        sql = """
          SELECT gt.theme, count(*) AS scored_goals,
                 round(avg(e.first_score), 1) AS baseline,
                 round(avg(e.last_score), 1) AS latest,
                 round(round(avg(e.last_score), 1) - round(avg(e.first_score), 1), 1) AS change
            FROM summary_goal_ends e
            JOIN goals g ON g.id = e.goal_id AND g.status != 'dropped'
            JOIN goal_themes gt ON gt.goal_id = e.goal_id
           GROUP BY gt.theme"""
        return {row["theme"]: row for row in j.rows(sql)}
    sql = f"""
      WITH {_SCORED_GOALS.format(where=scope.where("g"))},
      per_goal AS (
        SELECT theme, goal_id,
               coalesce(
                 (SELECT score FROM goal_scores s WHERE s.goal_id = scored.goal_id
                     AND s.on_date < :lo ORDER BY s.on_date DESC, s.id DESC LIMIT 1),
                 (SELECT score FROM goal_scores s WHERE s.goal_id = scored.goal_id
                     AND s.on_date >= :lo ORDER BY s.on_date, s.id LIMIT 1)
               ) AS baseline,
               (SELECT score FROM goal_scores s WHERE s.goal_id = scored.goal_id
                   AND s.on_date <= :hi ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS latest
          FROM scored
      )
      SELECT theme, count(*) AS scored_goals,
             round(avg(baseline), 1) AS baseline,
             round(avg(latest), 1) AS latest,
             round(round(avg(latest), 1) - round(avg(baseline), 1), 1) AS change
        FROM per_goal GROUP BY theme"""
    return {row["theme"]: row for row in j.rows(sql, _params(scope, lo, hi))}


def theme_trends(
    j: Journal, scope: Scope, lo: str | None, hi: str | None
) -> dict[str, list[dict[str, Any]]]:
    """Per impact theme, for each month in the period in which one of its goals was
    scored: the mean of each goal's latest score as of that month's end (or `hi`,
    if sooner). Goals not yet scored by then are left out of that month's mean.

    Rather than look up every goal at every month end, it walks the scores once:
    each goal's last score in a month changes the theme's running total by the
    difference from its previous month's score (and adds a goal the first time),
    and a running sum over the months gives each month's total and goal count.
    For the whole journal, those per-month sums are kept as they change
    (`summary_theme_months`), so only the running sum is left to do.
    """
    if _whole(scope, lo, hi):
        sql = """
          SELECT theme, month,
                 round(1.0 * sum(delta) OVER months / sum(added) OVER months, 1) AS score
            FROM summary_theme_months
          WINDOW months AS (PARTITION BY theme ORDER BY month)
           ORDER BY theme, month"""
        rows = j.rows(sql)
    else:
        rows = j.rows(
            _TRENDS_SQL.format(scored=_SCORED_GOALS.format(where=scope.where("g"))),
            _params(scope, lo, hi),
        )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["theme"], []).append({"month": row["month"], "score": row["score"]})
    return found


_TRENDS_SQL = """
      WITH {scored},
      ids AS (SELECT DISTINCT goal_id FROM scored),
      monthly AS (
        -- Each goal's last score in each month. SQLite takes the bare columns
        -- (score, on_date) from the row holding the max(), i.e. the latest entry.
        SELECT s.goal_id, substr(s.on_date, 1, 7) AS month, s.score, s.on_date,
               max(s.on_date || printf('%012d', s.id)) AS last_entry
          FROM ids JOIN goal_scores s ON s.goal_id = ids.goal_id
         WHERE s.on_date <= :hi
         GROUP BY s.goal_id, month
      ),
      changes AS (
        SELECT goal_id, month, on_date,
               score - coalesce(lag(score) OVER goal_months, 0) AS delta,
               lag(score) OVER goal_months IS NULL AS first
          FROM monthly
        WINDOW goal_months AS (PARTITION BY goal_id ORDER BY month)
      ),
      per_month AS (
        -- on_date is each goal's last score in the month, so the month has a score
        -- in the period exactly when the latest of them is on or after :lo.
        -- (Joined through goal_themes, which is indexed by goal; every theme of a
        -- goal in `ids` is one of the scored (theme, goal) pairs.)
        SELECT gt.theme, month, sum(delta) AS delta, sum(first) AS added,
               max(on_date) >= :lo AS in_period
          FROM changes JOIN goal_themes gt ON gt.goal_id = changes.goal_id
         GROUP BY gt.theme, month
      ),
      running AS (
        SELECT theme, month, in_period,
               sum(delta) OVER (PARTITION BY theme ORDER BY month) AS total,
               sum(added) OVER (PARTITION BY theme ORDER BY month) AS goals
          FROM per_month
      )
      SELECT theme, month, round(1.0 * total / goals, 1) AS score
        FROM running WHERE in_period ORDER BY theme, month"""


def card_usage(
    j: Journal, scope: Scope, lo: str | None, hi: str | None, deck: str
) -> dict[str, dict[str, Any]]:
    """Uses of each card in sessions and reflections (of `deck`, or no deck named)
    within the period, with the date it was last used."""
    if _whole(scope, lo, hi):
        return _card_usage_whole(j, deck)
    sql = f"""
      SELECT card, count(*) AS uses, max(on_date) AS last_used FROM (
        SELECT sc.card, s.on_date
          FROM session_cards sc JOIN sessions s ON s.id = sc.session_id
         WHERE {scope.sessions_where("s")} AND s.on_date BETWEEN :lo AND :hi
        UNION ALL
        SELECT r.card, r.on_date FROM reflections r
         WHERE r.card IS NOT NULL AND (r.deck IS NULL OR r.deck = :deck)
           AND {scope.where("r")} AND r.on_date BETWEEN :lo AND :hi
      ) GROUP BY card"""
    return {row["card"]: row for row in j.rows(sql, _params(scope, lo, hi, deck=deck))}


def _card_usage_whole(j: Journal, deck: str) -> dict[str, dict[str, Any]]:
    # Counts from the link table's and reflections' card indexes; each card's last
    # use by walking sessions newest first to the first that lists it (the date
    # index, a few rows for any card in use) and the reflections' (card, deck, date).
    counts = j.rows(
        """SELECT card, sum(uses) AS uses FROM (
             SELECT card, count(*) AS uses FROM session_cards GROUP BY card
             UNION ALL
             SELECT card, count(*) FROM reflections INDEXED BY reflections_by_card_deck
              WHERE card IS NOT NULL AND (deck IS NULL OR deck = :deck) GROUP BY card
           ) GROUP BY card""",
        {"deck": deck},
    )
    found = {}
    for row in counts:
        last = j.row(
            """SELECT max(day) AS last_used FROM (
                 SELECT (SELECT s.on_date FROM sessions s INDEXED BY sessions_by_date
                          WHERE EXISTS (SELECT 1 FROM session_cards sc
                                         WHERE sc.session_id = s.id AND sc.card = :card)
                          ORDER BY s.on_date DESC LIMIT 1) AS day
                 UNION ALL
                 SELECT max(r.on_date) FROM reflections r
                  WHERE r.card = :card AND (r.deck IS NULL OR r.deck = :deck)
               )""",
            {"card": row["card"], "deck": deck},
        )
        found[row["card"]] = {
            "card": row["card"],
            "uses": row["uses"],
            "last_used": last["last_used"] if last else None,
        }
    return found


def action_follow_through(
    j: Journal, scope: Scope, lo: str | None, hi: str | None, today: str
) -> dict[str, int]:
    """Actions agreed in the period (on the date of the session they came from, else
    the date they were added), how many are done by its end, how many of those on or
    before their due date (no due date counts as on time), and how many are overdue:
    due before the period's end (or today, if sooner) and not done by then."""
    if _whole(scope, lo, hi):
        # Every action counts, whatever its date: four counts, each a range of the
        # (done_on, due) index (100k sessions: 25 ms as one pass, 10 ms as ranges).
        row = j.row(
            """SELECT (SELECT count(*) FROM actions) AS agreed,
                      (SELECT count(*) FROM actions WHERE done_on IS NOT NULL) AS done,
                      (SELECT count(*) FROM actions WHERE done_on IS NOT NULL
                          AND (due IS NULL OR done_on <= due)) AS done_on_time,
                      (SELECT count(*) FROM actions WHERE done_on IS NULL AND due < :today)
                        AS overdue""",
            {"today": today},
        )
        assert row is not None
        return {key: int(value) for key, value in row.items()}
    sql = f"""
      WITH agreed AS (
        SELECT a.due, a.done_on
          FROM actions a LEFT JOIN sessions s ON s.id = a.session_id
         WHERE {scope.where("a")}
           AND coalesce(s.on_date, a.created_on) BETWEEN :lo AND :hi
      )
      SELECT count(*) AS agreed,
             coalesce(sum(done_on <= :hi), 0) AS done,
             coalesce(sum(done_on <= :hi AND (due IS NULL OR done_on <= due)), 0)
               AS done_on_time,
             coalesce(sum(due < min(:today, :hi) AND (done_on IS NULL OR done_on > :hi)), 0)
               AS overdue
        FROM agreed"""
    row = j.row(sql, _params(scope, lo, hi, today=today))
    assert row is not None
    return {key: int(value) for key, value in row.items()}


# ---------------------------------------------------------------- prep


def last_session(j: Journal, client_id: int) -> dict[str, Any] | None:
    """The client's most recent session with its number (nth by date) and total."""
    return j.row(
        """SELECT s.id, s.on_date AS "on", s.at_time AS at, s.minutes, s.notes,
                  (SELECT count(*) FROM sessions WHERE client_id = :c) AS number
             FROM sessions s WHERE s.client_id = :c
            ORDER BY s.on_date DESC, coalesce(s.at_time, '') DESC, s.id DESC LIMIT 1""",
        {"c": client_id},
    )


def session_labels(j: Journal, session_id: int) -> dict[str, list[str]]:
    return {
        "themes": [
            r["theme"]
            for r in j.rows(
                "SELECT theme FROM session_themes WHERE session_id = ? ORDER BY theme",
                (session_id,),
            )
        ],
        "cards": [
            r["card"]
            for r in j.rows(
                "SELECT card FROM session_cards WHERE session_id = ? ORDER BY card",
                (session_id,),
            )
        ],
    }


def open_actions(j: Journal, scope: Scope, today: str, limit: int = -1) -> list[dict[str, Any]]:
    """Open actions in scope, overdue first, then by due date, undated last.

    Dated and undated ones are read apart, each in the order of the (done_on, due)
    index, so a page of five reads five rows, not every open action sorted (45k at
    100k sessions: 27 ms plain, 40 ms encrypted, where each page is decrypted).
    """
    columns = """a.id, a.text, a.due, a.created_on, a.session_id,
                 c.name AS client, (a.due IS NOT NULL AND a.due < :today) AS overdue
            FROM actions a LEFT JOIN clients c ON c.id = a.client_id"""
    where = f"{scope.where('a')} AND a.done_on IS NULL"
    return j.rows(
        f"""SELECT * FROM (
              SELECT * FROM (SELECT {columns} WHERE {where} AND a.due IS NOT NULL
                              ORDER BY a.due, a.id LIMIT :limit)
              UNION ALL
              SELECT * FROM (SELECT {columns} WHERE {where} AND a.due IS NULL
                              ORDER BY a.id LIMIT :limit)
            ) ORDER BY due IS NULL, due, id LIMIT :limit""",
        _params(scope, None, None, today=today, limit=limit),
    )


def open_action_counts(j: Journal, scope: Scope, today: str) -> dict[str, int]:
    row = j.row(
        f"""SELECT count(*) AS open, coalesce(sum(a.due < :today), 0) AS overdue
              FROM actions a WHERE {scope.where("a")} AND a.done_on IS NULL""",
        _params(scope, None, None, today=today),
    )
    assert row is not None
    return {"open": int(row["open"]), "overdue": int(row["overdue"])}


def prep_goals(j: Journal, client_id: int, since: str) -> list[dict[str, Any]]:
    """The client's goals that are open or were scored on or after `since`, each with
    its baseline, its score before `since` and its latest score."""
    return j.rows(
        """SELECT g.id, g.title, g.status, g.due,
                  (SELECT score FROM goal_scores s WHERE s.goal_id = g.id
                    ORDER BY s.on_date, s.id LIMIT 1) AS baseline,
                  (SELECT score FROM goal_scores s WHERE s.goal_id = g.id AND s.on_date < :since
                    ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS before,
                  (SELECT score FROM goal_scores s WHERE s.goal_id = g.id
                    ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS latest
             FROM goals g
            WHERE g.client_id = :c
              AND (g.status = 'open' OR EXISTS (SELECT 1 FROM goal_scores s
                                 WHERE s.goal_id = g.id AND s.on_date >= :since))
            ORDER BY g.status != 'open', g.due IS NULL, g.due, g.id""",
        {"c": client_id, "since": since},
    )


def goal_themes(j: Journal, goal_ids: list[int]) -> dict[int, list[str]]:
    from coachlog.store.base import labels_for

    return dict(labels_for(j, "goal", "themes", goal_ids))


def scores_since(j: Journal, goal_ids: list[int], since: str) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not goal_ids:
        return found
    marks = ",".join("?" * len(goal_ids))
    for row in j.rows(
        f"""SELECT goal_id, score, on_date AS "on", note FROM goal_scores
             WHERE goal_id IN ({marks}) AND on_date >= ? ORDER BY goal_id, on_date, id""",
        [*goal_ids, since],
    ):
        goal_id = row.pop("goal_id")
        found.setdefault(goal_id, []).append(row)
    return found


def reflections_since(j: Journal, client_id: int, since: str) -> list[dict[str, Any]]:
    return j.rows(
        """SELECT id, on_date AS "on", title, card, perspective, text,
                  EXISTS (SELECT 1 FROM share_received s
                           WHERE s.kind = 'reflection' AND s.uid = reflections.uid) AS shared
             FROM reflections WHERE client_id = ? AND on_date >= ?
            ORDER BY on_date DESC, coalesce(at_time, '') DESC, id DESC""",
        (client_id, since),
    )


def card_uses_for_suggestion(j: Journal, client_id: int | None, deck: str) -> dict[str, list[int]]:
    """Per card: [uses by this client (or the owner, for None), uses in the whole journal]."""
    found: dict[str, list[int]] = {}
    # Whole-journal counts straight from the by-card indexes; the client's own
    # through their sessions and reflections. `IS` matches client_id NULL for the owner.
    for row in j.rows(
        """SELECT card, sum(n) AS n FROM (
             SELECT card, count(*) AS n FROM session_cards GROUP BY card
             UNION ALL
             SELECT card, count(*) FROM reflections
              WHERE card IS NOT NULL AND (deck IS NULL OR deck = :deck) GROUP BY card
           ) GROUP BY card""",
        {"deck": deck},
    ):
        found[row["card"]] = [0, int(row["n"])]
    for row in j.rows(
        """SELECT card, count(*) AS n FROM (
             SELECT sc.card FROM sessions s JOIN session_cards sc ON sc.session_id = s.id
              WHERE s.client_id IS :c
             UNION ALL
             SELECT card FROM reflections
              WHERE client_id IS :c AND card IS NOT NULL AND (deck IS NULL OR deck = :deck)
           ) GROUP BY card""",
        {"c": client_id, "deck": deck},
    ):
        found.setdefault(row["card"], [0, 0])[0] = int(row["n"])
    return found


# ---------------------------------------------------------------- overview


def journal_counts(j: Journal) -> dict[str, int]:
    row = j.row(
        """SELECT (SELECT count(*) FROM clients) AS clients,
                  (SELECT count(*) FROM sessions) AS sessions,
                  (SELECT count(*) FROM goals) AS goals,
                  (SELECT count(*) FROM reflections) AS reflections,
                  (SELECT count(*) FROM actions) AS actions,
                  (SELECT count(*) FROM supervision) AS supervision"""
    )
    assert row is not None
    return {key: int(value) for key, value in row.items()}


def goals_due_by(j: Journal, until: str, limit: int) -> list[dict[str, Any]]:
    """Open goals due on or before `until` (so overdue ones too), soonest first."""
    return j.rows(
        """SELECT g.id, g.title, g.due, c.name AS client,
                  (SELECT score FROM goal_scores s WHERE s.goal_id = g.id
                    ORDER BY s.on_date DESC, s.id DESC LIMIT 1) AS latest
             FROM goals g LEFT JOIN clients c ON c.id = g.client_id
            WHERE g.status = 'open' AND g.due IS NOT NULL AND g.due <= ?
            ORDER BY g.due, g.id LIMIT ?""",
        (until, limit),
    )


def latest_session(j: Journal) -> dict[str, Any] | None:
    # The max() subquery walks the date index; only that day's sessions are sorted.
    row = j.row(
        """SELECT s.id, s.on_date AS "on", s.minutes, c.name AS client
             FROM sessions s JOIN clients c ON c.id = s.client_id
            WHERE s.on_date = (SELECT max(on_date) FROM sessions)
            ORDER BY coalesce(s.at_time, '') DESC, s.id DESC LIMIT 1"""
    )
    if row is not None:
        row["themes"] = session_labels(j, row["id"])["themes"]
    return row


def supervision_balance(j: Journal) -> dict[str, Any]:
    """Minutes of coaching and of supervision, overall and since the last supervision."""
    row = j.row(
        """WITH last AS (SELECT max(on_date) AS d FROM supervision)
           SELECT (SELECT coalesce(sum(minutes), 0) FROM sessions) AS coaching_minutes,
                  (SELECT coalesce(sum(minutes), 0) FROM supervision) AS supervision_minutes,
                  (SELECT d FROM last) AS last_supervision,
                  (SELECT coalesce(sum(minutes), 0) FROM sessions
                    WHERE on_date > coalesce((SELECT d FROM last), ''))
                    AS coaching_minutes_since"""
        # Both sums come from the index sessions_minutes_by_date (m012), never the
        # table: '' sorts before every ISO date, so with no supervision yet the
        # range is everything and stays a range the index can answer.
    )
    assert row is not None
    return row
