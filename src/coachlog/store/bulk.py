"""The one bulk writer, and the few reads that describe a seeded journal.

Whole journals go in at once in three places: `coachlog demo` and the benchmarks
seed an empty journal with thousands of rows, `import` restores a backup, and
`import --from jrnl` adds every entry of a jrnl export. Going through the
one-record-at-a-time store functions would cost a query round trip and a
RETURNING per row; `insert()` takes rows as mappings of column name to value
(so a row cannot drift out of step with the table's columns: a missing one is a
KeyError, not a value in the wrong column) and writes them with `executemany`,
ids chosen by the caller so link tables can be filled without reading anything
back. The caller holds the write transaction (`with j.write():`), so a failed
seed or import leaves nothing.

The full-text index and the progress summaries are still kept by the schema's
triggers, row by row: bulk writing takes no shortcut that a normal write would
not, so a seeded journal is indistinguishable from one typed in by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from coachlog.store.columns import TABLES

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# Columns a seed gives for each table: all of the table's, ids chosen by the
# caller, except a client's pseudonym, which the schema's trigger hands out as it
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


# Tables whose rows the schema's triggers copy into the full-text index (the
# search-index triggers: see store/migrations.py).
INDEXED = frozenset({"sessions", "reflections", "goals", "actions"})


# Rows staged at a time on their way into an indexed table (2,000 seeded 10k sessions
# as fast as 5,000 or 50,000, with 6 MB less peak memory): enough for FTS5 to take
# them in one go, few enough that the staging table (in memory) stays small.
BATCH = 2000


def insert(
    j: Journal,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
) -> int:
    """Insert `rows` into `table`, each a mapping holding every one of `columns`.

    `columns` defaults to COLUMNS[table] (a seed's: every column, the caller's ids,
    no pseudonym); a backup passes its own. `table` and the column names come from
    coachlog, never from user input. Returns how many rows went in.

    Rows of indexed tables are staged, BATCH at a time, in an untyped TEMP table
    and moved with one INSERT ... SELECT: values reach `table` exactly as given,
    its STRICT types judge them, and the search-index triggers fire inside one
    statement. On SQLite 3.40 an FTS5 write from a trigger costs about ten times
    more when each row is its own statement (10,000 sessions: 1.3 s row by row,
    0.4 s staged): FTS5 flushes its pending terms at every statement's end.
    """
    if table == "goal_scores":
        # Scores drive the progress summaries: computed once after, not row by row.
        from coachlog.store import summaries

        with summaries.set_aside(j.conn):
            return _insert(j, table, rows, columns)
    return _insert(j, table, rows, columns)


def _insert(
    j: Journal, table: str, rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None
) -> int:
    names = tuple(columns or COLUMNS[table])
    listed = ", ".join(names)
    marks = ", ".join("?" * len(names))
    values = (tuple(row[c] for c in names) for row in rows)
    if table not in INDEXED:
        cursor = j.conn.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", values)
        return max(cursor.rowcount, 0)
    stage = f"staging_{table}"
    j.execute("PRAGMA temp_store = MEMORY")  # a temp file would cost disk writes for nothing
    j.execute(f"DROP TABLE IF EXISTS temp.{stage}")
    j.execute(f"CREATE TEMP TABLE {stage} ({listed})")
    fill = f"INSERT INTO temp.{stage} ({listed}) VALUES ({marks})"
    move = f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM temp.{stage} ORDER BY rowid"
    total = 0
    try:
        while batch := list(islice(values, BATCH)):
            j.conn.executemany(fill, batch)
            total += max(j.execute(move).rowcount, 0)
            j.execute(f"DELETE FROM temp.{stage}")
    finally:
        j.execute(f"DROP TABLE IF EXISTS temp.{stage}")
    return total


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
