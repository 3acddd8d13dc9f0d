"""SQL for looking after the journal file: counting what is in it, checking its
integrity, rebuilding the search index, and copying it safely while it is in use.

The checks are SQLite's own: `PRAGMA integrity_check` for the file's structure,
`PRAGMA foreign_key_check` for records pointing at entries that are gone, and FTS5's
'integrity-check' command for the search index. On top of those, `search_out_of_step`
compares the index with the entries it should hold, which the triggers keep equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachlog.store import driver
from coachlog.store.schema import SEARCH_KINDS

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# What `db status` counts, as shown to the user -> table.
COUNTED = {
    "clients": "clients",
    "sessions": "sessions",
    "goals": "goals",
    "scores": "goal_scores",
    "actions": "actions",
    "reflections": "reflections",
    "supervision": "supervision",
    "decks": "decks",
    "engagements": "engagements",
    "outcomes": "outcomes",
    "assessments": "assessments",
}

# Table -> search kind, for comparing the index with its sources.
_INDEXED = {
    "sessions": "session",
    "reflections": "reflection",
    "goals": "goal",
    "actions": "action",
}


def counts(j: Journal) -> dict[str, int]:
    """How many rows each kind of record has."""
    selects = ", ".join(
        f"(SELECT count(*) FROM {table}) AS {name}" for name, table in COUNTED.items()
    )
    row = j.row(f"SELECT {selects}")
    assert row is not None
    return {name: int(value) for name, value in row.items()}


def integrity_problems(j: Journal) -> list[str]:
    """SQLite's own list of structural problems (empty when the file is sound)."""
    found = [str(r[0]) for r in j.execute("PRAGMA integrity_check").fetchall()]
    return [] if found == ["ok"] else found


def foreign_key_problems(j: Journal) -> list[dict[str, Any]]:
    """Rows that point at a parent row that no longer exists: table, rowid, parent."""
    return [
        {"table": table, "rowid": rowid, "parent": parent}
        for table, rowid, parent, _ in j.execute("PRAGMA foreign_key_check").fetchall()
    ]


def search_index_problem(j: Journal) -> str | None:
    """FTS5's check of the index against its own stored text; None if it is sound."""
    # The check is spelled as an INSERT, so Python's sqlite3 opens a transaction for
    # it; end that one (and only that one) so a later write can take the lock.
    outside = not j.conn.in_transaction
    try:
        j.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    except driver.DatabaseError as exc:
        return str(exc)
    finally:
        if outside and j.conn.in_transaction:
            j.conn.rollback()
    return None


def search_out_of_step(j: Journal) -> int:
    """How many entries are missing from the search index or indexed but gone."""
    missing = " + ".join(
        f"(SELECT count(*) FROM {table} WHERE NOT EXISTS "
        f"(SELECT 1 FROM search_index WHERE rowid = {table}.id * 4 + {SEARCH_KINDS[kind]}))"
        for table, kind in _INDEXED.items()
    )
    orphans = " OR ".join(
        f"(s.kind = '{kind}' AND NOT EXISTS (SELECT 1 FROM {table} WHERE id = s.entry_id))"
        for table, kind in _INDEXED.items()
    )
    # Supervision notes are indexed under rowid -id (m005).
    missing += (
        " + (SELECT count(*) FROM supervision WHERE NOT EXISTS "
        "(SELECT 1 FROM search_index WHERE rowid = -supervision.id))"
    )
    orphans += (
        " OR (s.kind = 'supervision' AND NOT EXISTS "
        "(SELECT 1 FROM supervision WHERE id = s.entry_id))"
    )
    found = j.scalar(f"SELECT ({missing}) + (SELECT count(*) FROM search_index s WHERE {orphans})")
    return int(found or 0)


def rebuild_search_index(j: Journal) -> None:
    """Rebuild the index from the entries themselves (inside the caller's write).

    FTS5's 'rebuild' first makes a damaged index readable again so it can be emptied;
    then touching every entry fires the same update triggers that normal edits do, so
    the index is refilled by exactly the rules that keep it in step.
    """
    j.execute("INSERT INTO search_index(search_index) VALUES ('rebuild')")
    j.execute("DELETE FROM search_index")
    for table in (*_INDEXED, "supervision"):
        j.execute(f"UPDATE {table} SET id = id")


def backup_to(j: Journal, target: Path) -> None:
    """Copy the whole journal, consistently, into the (empty) file `target`.

    SQLite's online backup copies a snapshot even while another process writes.
    The copy is switched to rollback-journal mode so it is one self-contained file.
    An encrypted journal's copy is encrypted with the same data key (SQLCipher's
    backup copies pages between two databases keyed alike).
    """
    dest = driver.connect(target, key=j.data_key)
    try:
        j.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def pseudonym_state(j: Journal) -> tuple[int, list[tuple[int, str | None]]]:
    """The pseudonym counter and every client's (id, pseudonym)."""
    counter = int(j.scalar("SELECT value FROM counters WHERE name = 'pseudonym'") or 0)
    return counter, [(i, p) for i, p in j.execute("SELECT id, pseudonym FROM clients ORDER BY id")]


def set_pseudonym_counter(j: Journal, value: int) -> None:
    j.execute("UPDATE counters SET value = ? WHERE name = 'pseudonym'", (value,))


def set_pseudonym(j: Journal, client_id: int, pseudonym: str) -> None:
    j.execute("UPDATE clients SET pseudonym = ? WHERE id = ?", (pseudonym, client_id))


def summaries_out_of_step(j: Journal) -> list[str]:
    """The progress summary tables that do not match the goal scores (store/summaries.py)."""
    from coachlog.store import summaries

    return summaries.differences(j.conn)


def rebuild_summaries(j: Journal) -> None:
    """Compute the progress summaries again from the goal scores, and make their
    triggers again so that they stay right (inside j.write())."""
    from coachlog.store import summaries

    summaries.rebuild(j.conn)
    summaries.restore_triggers(j.conn)
