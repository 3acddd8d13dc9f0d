"""Bulk writes for seeding a whole journal at once, and the few reads that describe it.

`coachlog demo` and the benchmarks fill an empty journal with thousands of rows.
Going through the one-record-at-a-time store functions would cost a query round
trip and a RETURNING per row; here every table gets one `executemany` over an
iterator of tuples, with ids chosen by the caller so link tables (themes, cards,
tags, actions, scores) can be filled without reading anything back. The caller
holds the write transaction (`with j.write():`), so a failed seed leaves nothing.

The full-text index is still kept by the schema's triggers, row by row: bulk
seeding takes no shortcut that a normal write would not, so a seeded journal is
indistinguishable from one typed in by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from coachlog.store.columns import TABLES

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# Columns each bulk insert takes, in tuple order: all of the table's, ids chosen by
# the caller, except a client's pseudonym, which the schema's trigger hands out as it
# does for a client added by hand. Decks come from deck files and counters are the
# schema's own, so neither is seeded here.
_LEFT_TO_TRIGGERS = {("clients", "pseudonym")}
COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in columns if (table, c) not in _LEFT_TO_TRIGGERS)
    for table, columns in TABLES.items()
    if table not in ("decks", "counters") and not table.startswith("share")
}

# The tables that hold entries; a journal with none of them is empty.
ENTRY_TABLES = ("clients", "sessions", "goals", "actions", "reflections", "supervision")


# Tables whose rows the schema's triggers copy into the full-text index.
INDEXED = frozenset({"sessions", "reflections", "goals", "actions"})


def insert(j: Journal, table: str, rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (tuples in COLUMNS[table] order) into `table`; returns how many.

    `table` must be one of COLUMNS: the names are never taken from user input.
    Rows of indexed tables are staged in a TEMP table and moved with one
    INSERT ... SELECT: on SQLite 3.40 an FTS5 write from a trigger costs about
    ten times more when each row is its own statement (measured: 10,000 sessions
    1.3 s row by row, 0.4 s staged), and the triggers still do the indexing.
    """
    columns = COLUMNS[table]
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    if table not in INDEXED:
        cursor = j.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return max(cursor.rowcount, 0)
    stage = f"temp.bulk_{table}"
    j.execute(f"DROP TABLE IF EXISTS {stage}")
    j.execute(f"CREATE TABLE {stage} AS SELECT {names} FROM main.{table} WHERE 0")
    try:
        j.conn.executemany(f"INSERT INTO {stage} ({names}) VALUES ({marks})", rows)
        cursor = j.execute(
            f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {stage} ORDER BY rowid"
        )
        return max(cursor.rowcount, 0)
    finally:
        j.execute(f"DROP TABLE IF EXISTS {stage}")


def is_empty(j: Journal) -> bool:
    """True when the journal holds no entries and never has (a fresh file).

    Bulk writes number records from 1; a journal whose entries were all erased
    still remembers their ids in `sqlite_sequence`, and those must not return.
    """
    exists = " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in ENTRY_TABLES)
    used = "EXISTS (SELECT 1 FROM sqlite_sequence WHERE seq > 0)"
    return not j.scalar(f"SELECT {exists} OR {used}")


# ---------------------------------------------------------------- describing a seeded journal


def counts(j: Journal) -> dict[str, int]:
    """How many of each kind of entry the journal holds."""
    tables = (*ENTRY_TABLES, "goal_scores")
    parts = ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in tables)
    row = j.row(f"SELECT {parts}")
    assert row is not None
    return {t: int(row[t]) for t in tables}


def client_totals(j: Journal) -> list[dict[str, Any]]:
    """Every client with their number of sessions, minutes and first/last session."""
    return j.rows(
        """SELECT c.id, c.name, c.relationship, c.organisation,
                  count(s.id) AS sessions, coalesce(sum(s.minutes), 0) AS minutes,
                  min(s.on_date) AS first_session, max(s.on_date) AS last_session
           FROM clients c LEFT JOIN sessions s ON s.client_id = c.id
           GROUP BY c.id ORDER BY c.id"""
    )


def recent_sessions(j: Journal, limit: int) -> list[dict[str, Any]]:
    """The latest `limit` sessions, newest first, with client name and themes."""
    return j.rows(
        """SELECT s.id, s.on_date, s.minutes, s.mode, c.name AS client,
                  (SELECT group_concat(theme, ', ') FROM session_themes t
                    WHERE t.session_id = s.id) AS themes,
                  (SELECT group_concat(card, ', ') FROM session_cards k
                    WHERE k.session_id = s.id) AS cards
           FROM sessions s JOIN clients c ON c.id = s.client_id
           ORDER BY s.on_date DESC, s.id DESC LIMIT ?""",
        (limit,),
    )


def goal_scores(j: Journal) -> list[dict[str, Any]]:
    """Each goal with its first (baseline) and latest score and how many check-ins."""
    return j.rows(
        """SELECT g.id, g.title, g.status, c.name AS client,
                  (SELECT score FROM goal_scores x WHERE x.goal_id = g.id
                    ORDER BY on_date, id LIMIT 1) AS baseline,
                  (SELECT score FROM goal_scores x WHERE x.goal_id = g.id
                    ORDER BY on_date DESC, id DESC LIMIT 1) AS latest,
                  (SELECT count(*) FROM goal_scores x WHERE x.goal_id = g.id) AS scores
           FROM goals g LEFT JOIN clients c ON c.id = g.client_id
           ORDER BY g.client_id IS NULL, g.client_id, g.id"""
    )


def span(j: Journal) -> tuple[str | None, str | None]:
    """The first and last session dates."""
    row = j.row("SELECT min(on_date) AS first, max(on_date) AS last FROM sessions")
    assert row is not None
    return row["first"], row["last"]
