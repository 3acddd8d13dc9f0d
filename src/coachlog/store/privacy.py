"""SQL for forgetting: erasing a person, purging old entries, and scrubbing the files.

Deleting a row is not the same as forgetting it. SQLite keeps old page images in
the write-ahead log, FTS5 keeps the words of deleted entries in old index
segments until they are merged, and freed pages keep their bytes unless
`secure_delete` is on (it is, on every connection: store/db.py). `scrub` does the
rest after a delete: it merges the search index into one fresh segment, copies
the log into the database and truncates it to nothing, and rebuilds the file
with VACUUM, so the bytes of what was removed are gone from `coachlog.db`,
`coachlog.db-wal` and `coachlog.db-shm`, not just hidden from queries.

`totals` counts every kind of record, so callers can report what a delete
really removed (cascades included) as "before minus after" in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from coachlog.store import driver

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# Link tables that hold themes, cards and tags: reported together as "labels".
_LABEL_TABLES = (
    "session_themes",
    "session_cards",
    "session_tags",
    "goal_themes",
    "goal_tags",
    "reflection_themes",
    "reflection_tags",
)

# Record kind (as reported) -> table it lives in.
_KIND_TABLES = {
    "clients": "clients",
    "sessions": "sessions",
    "actions": "actions",
    "goals": "goals",
    "goal_scores": "goal_scores",
    "reflections": "reflections",
    "engagements": "engagements",
    "outcomes": "outcomes",
    "assessments": "assessments",
    "shared_sessions": "shared_sessions",  # a coachee's sessions from their coach (m009)
    "share_links": "share_links",  # a client's sharing key goes with them (m009)
}

# Free-text columns that can mention a person without being about them.
_TEXT_COLUMNS = {
    "sessions": ("sessions", ("notes", "private_notes")),
    "reflections": ("reflections", ("title", "text")),
    "goals": ("goals", ("title",)),
    "goal_scores": ("goal_scores", ("note",)),
    "actions": ("actions", ("text",)),
    "supervision": ("supervision", ("supervisor", "notes")),
    "clients": ("clients", ("organisation",)),
    "engagements": ("engagements", ("sponsor",)),
}


# Every free text a person can be mentioned in, for rewriting after an erase.
# The redact list is the coach's own text about people too ("Zoë's mum Ruth").
_REWRITE_COLUMNS = {
    **_TEXT_COLUMNS,
    "reflections": ("reflections", ("title", "text", "question")),
    "redactions": ("redactions", ("name",)),
}
# Tables whose text is UNIQUE: a rewrite that meets an equal entry replaces it.
_UNIQUE_TEXT = frozenset({"redactions"})
_TAG_TABLES = (
    ("session_tags", "session_id", "sessions"),
    ("goal_tags", "goal_id", "goals"),
    ("reflection_tags", "reflection_id", "reflections"),
)


def rewrite_text(j: Journal, change: Callable[[str, str | None], str]) -> dict[str, int]:
    """Put `change(text, model)` in place of every free text (and tag) in the journal.

    `model` is the coaching model a session's notes follow (None elsewhere), so
    that its stage labels can be told from names. Runs inside the caller's
    write transaction; the search triggers re-index each changed row. Returns
    how many records of each kind changed.
    """
    changed: dict[str, set[int]] = {}
    for kind, table, columns, row in _texts(j):
        model = row.get("model")
        new = {c: change(row[c], model) if row[c] else row[c] for c in columns}
        if any(new[c] != row[c] for c in columns):
            sets = ", ".join(f"{c} = :{c}" for c in columns)
            verb = "UPDATE OR REPLACE" if table in _UNIQUE_TEXT else "UPDATE"
            j.execute(f"{verb} {table} SET {sets} WHERE id = :id", {**new, "id": row["id"]})
            changed.setdefault(kind, set()).add(int(row["id"]))
    for table, column, kind in _TAG_TABLES:
        for row in j.rows(f"SELECT {column} AS owner, tag FROM {table}"):
            tag = change(row["tag"], None)
            if tag != row["tag"]:
                j.execute(
                    f"DELETE FROM {table} WHERE {column} = ? AND tag = ?",
                    (row["owner"], row["tag"]),
                )
                j.execute(
                    f"INSERT OR IGNORE INTO {table} ({column}, tag) VALUES (?, ?)",
                    (row["owner"], tag),
                )
                changed.setdefault(kind, set()).add(int(row["owner"]))
    return {kind: len(ids) for kind, ids in changed.items()}


def _texts(j: Journal) -> Iterator[tuple[str, str, tuple[str, ...], dict[str, Any]]]:
    """(kind, table, text columns, row) for every row holding free text."""
    for kind, (table, columns) in _REWRITE_COLUMNS.items():
        extra = ", model" if table == "sessions" else ""
        for row in j.rows(f"SELECT id, {', '.join(columns)}{extra} FROM {table}"):
            yield kind, table, columns, row


def drop_redactions_of_only(j: Journal, marker: str) -> None:
    """Forget redact-list entries that said nothing but `marker` once rewritten."""
    j.execute("DELETE FROM redactions WHERE trim(replace(name, ?, '')) = ''", (marker,))


def count_text(j: Journal, test: Callable[[str, str | None], bool]) -> dict[str, int]:
    """How many records of each kind have a free text (or tag) for which `test` is true."""
    found: dict[str, set[int]] = {}
    for kind, _table, columns, row in _texts(j):
        if any(row[c] and test(row[c], row.get("model")) for c in columns):
            found.setdefault(kind, set()).add(int(row["id"]))
    for table, column, kind in _TAG_TABLES:
        for row in j.rows(f"SELECT {column} AS owner, tag FROM {table}"):
            if test(row["tag"], None):
                found.setdefault(kind, set()).add(int(row["owner"]))
    return {kind: len(ids) for kind, ids in found.items()}


def foreign_keys_on(j: Journal) -> bool:
    """Erasing relies on ON DELETE CASCADE, which SQLite ignores unless this is on."""
    return bool(j.scalar("PRAGMA foreign_keys"))


def totals(j: Journal) -> dict[str, int]:
    """How many records of each kind the journal holds right now."""
    parts = [f"(SELECT count(*) FROM {table}) AS {kind}" for kind, table in _KIND_TABLES.items()]
    parts.append(
        "(" + " + ".join(f"(SELECT count(*) FROM {t})" for t in _LABEL_TABLES) + ") AS labels"
    )
    parts.append("(SELECT count(*) FROM search_index) AS search_entries")
    row = j.row("SELECT " + ", ".join(parts))
    assert row is not None
    return {key: int(value) for key, value in row.items()}


def delete_client(j: Journal, client_id: int) -> None:
    """Delete a client and every record about them.

    Sessions, goals (with their scores), actions and reflections that carry the
    client's id go with the client row through ON DELETE CASCADE, and their
    themes, cards, tags and search entries go through the link tables' cascades
    and the search triggers. Reflections that are about the client's sessions or
    goals without naming the client themselves would only lose the link (ON
    DELETE SET NULL), so they are deleted here first.
    """
    j.execute(
        """DELETE FROM reflections
           WHERE client_id = :id
              OR session_id IN (SELECT id FROM sessions WHERE client_id = :id)
              OR goal_id IN (SELECT id FROM goals WHERE client_id = :id)""",
        {"id": client_id},
    )
    j.execute("DELETE FROM clients WHERE id = ?", (client_id,))


def leftovers(j: Journal, client_id: int) -> int:
    """Rows that still point at a deleted client: 0 unless a cascade did not run."""
    return int(
        j.scalar(
            """SELECT (SELECT count(*) FROM sessions WHERE client_id = :id)
                    + (SELECT count(*) FROM goals WHERE client_id = :id)
                    + (SELECT count(*) FROM actions WHERE client_id = :id)
                    + (SELECT count(*) FROM reflections WHERE client_id = :id)
                    + (SELECT count(*) FROM search_index WHERE client_id = :id)""",
            {"id": client_id},
        )
    )


def delete_before(j: Journal, before: str) -> None:
    """Delete sessions (shared ones too), reflections, goal scores and assessments
    dated before `before`.

    Actions agreed in a purged session go with it (ON DELETE CASCADE); goals stay,
    with the scores on or after the date.
    """
    j.execute("DELETE FROM sessions WHERE on_date < ?", (before,))
    j.execute("DELETE FROM reflections WHERE on_date < ?", (before,))
    j.execute("DELETE FROM goal_scores WHERE on_date < ?", (before,))
    # A behaviour self-assessment is a dated record about a person, like a score.
    j.execute("DELETE FROM assessments WHERE on_date < ?", (before,))
    # A session a coach shared (with its notes, if they sent them) is a session too.
    j.execute("DELETE FROM shared_sessions WHERE on_date < ?", (before,))


def optimize_search_index(j: Journal) -> None:
    """Merge the full-text index into one segment, dropping deleted entries' words.

    FTS5 records a delete as a marker in a new segment; the deleted entry's
    words stay in the older segments until they are merged. Runs inside the
    caller's write transaction, so the delete and the merge commit together.
    """
    j.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")


def checkpoint(j: Journal) -> bool:
    """Copy the write-ahead log into the database and truncate it to zero bytes.

    True when the whole log was copied and truncated; False when another
    connection's open read kept part of it (after waiting the busy timeout).
    """
    row = j.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    # (busy, frames in log, frames checkpointed); -1s when not in WAL mode.
    return row is None or (row[0] == 0 and row[1] == row[2])


def scrub(j: Journal) -> bool:
    """Leave no bytes of deleted rows in the database files (call after COMMIT).

    VACUUM rebuilds the file from the live rows only, so no free page or
    fragment of an old page survives; it goes through the log in WAL mode, so
    the log is truncated again afterwards. Returns False if another process
    kept the log from being truncated; the next scrub finishes the job.
    """
    if j.conn.in_transaction:
        raise RuntimeError("scrub() must run after the write transaction has committed")
    complete = checkpoint(j)
    try:
        j.execute("VACUUM")
    except driver.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        complete = False
    return checkpoint(j) and complete
