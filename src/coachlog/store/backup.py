"""SQL for whole-journal backups and bulk imports: read every table out, write records back in.

Records travel keyed by their `uid` (a client's sessions name the client's uid,
not its id), so a backup can go into any journal. Reading returns each table in
id order, which is the order records were added, and writing gives new rows
ascending ids in the order given, so a backup restored into an empty journal
reads out again in the same order: that is what makes the round trip exact.

Writes use batches with explicit ids, claimed from max(id) + 1 inside the
caller's write transaction (which holds the write lock, so no other process can
take them): a 100,000-entry import is a handful of statements, not 100,000
round trips. Search-index rows are added by the schema's triggers as usual
(`store.bulk.insert`, the one bulk writer, says how that stays fast).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from coachlog.store import bulk
from coachlog.store.base import LABELS, labels_for
from coachlog.store.columns import TABLES

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# The tables whose rows a backup carries, and each row's columns besides `id`, which
# belongs to one journal (records travel by uid; core/backup.py turns the foreign
# keys among these columns into uids).
COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in TABLES[table] if c != "id")
    for table in (
        "clients",
        "sessions",
        "goals",
        "goal_scores",
        "actions",
        "reflections",
        "supervision",
        "engagements",
        "outcomes",
        "assessments",
    )
}
# A coachee's sessions from their coach (m009): every column but the link, which
# belongs to this journal's keys (a restore leaves it empty until the coach is linked
# again; see mark_shared_sessions).
COLUMNS["shared_sessions"] = tuple(
    c for c in TABLES["shared_sessions"] if c not in ("id", "link_id")
)
_DECK_COLUMNS = TABLES["decks"]


def read_table(j: Journal, table: str) -> list[dict[str, Any]]:
    """Every row of `table` (id plus the backup columns), in id order."""
    columns = ", ".join(["id", *COLUMNS[table]])
    return j.rows(f"SELECT {columns} FROM {table} ORDER BY id")


def read_labels(j: Journal, owner: str, kind: str, ids: Sequence[int]) -> dict[int, list[str]]:
    return labels_for(j, owner, kind, ids)


def read_decks(j: Journal) -> list[dict[str, Any]]:
    return j.rows(f"SELECT {', '.join(_DECK_COLUMNS)} FROM decks ORDER BY name")


def pseudonym_counter(j: Journal) -> int:
    return int(j.scalar("SELECT value FROM counters WHERE name = 'pseudonym'") or 0)


def raise_pseudonym_counter(j: Journal, at_least: int) -> None:
    """Move the counter past pseudonyms brought in by an import, so none is handed out twice."""
    j.execute(
        "UPDATE counters SET value = max(value, ?) WHERE name = 'pseudonym'", (int(at_least),)
    )


def uids(j: Journal, table: str) -> dict[str, int]:
    """uid -> id for every row of `table`."""
    return {uid: rid for uid, rid in j.execute(f"SELECT uid, id FROM {table}")}


def client_names(j: Journal) -> dict[str, str]:
    """name -> uid for every client (compare them on text.fold)."""
    return {name: uid for name, uid in j.execute("SELECT name, uid FROM clients")}


def taken_pseudonyms(j: Journal) -> set[str]:
    return {p for (p,) in j.execute("SELECT pseudonym FROM clients WHERE pseudonym IS NOT NULL")}


def deck_names(j: Journal) -> set[str]:
    return {name for (name,) in j.execute("SELECT name FROM decks")}


def next_id(j: Journal, table: str) -> int:
    """The first id an imported record may take: past every id ever used (m004).

    Ids are chosen here so that links can be written without reading rows back;
    `sqlite_sequence` remembers ids of erased records, which must never return.
    """
    return int(
        j.scalar(
            f"""SELECT max(coalesce((SELECT max(id) FROM {table}), 0),
                           coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1""",
            (table,),
        )
    )


def insert_rows(j: Journal, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows that carry `id` and every backup column of `table` (store.bulk does it)."""
    bulk.insert(j, table, rows, ["id", *COLUMNS[table]])


def insert_labels(j: Journal, owner: str, kind: str, pairs: Iterable[tuple[int, str]]) -> None:
    """Add (owner id, value) label pairs; a pair already there is left as it is."""
    table, owner_col, value_col = LABELS[(owner, kind)]
    j.conn.executemany(
        f"INSERT OR IGNORE INTO {table} ({owner_col}, {value_col}) VALUES (?, ?)", pairs
    )


def read_assessment_scores(j: Journal) -> dict[int, dict[str, int]]:
    """assessment id -> {card: score}, each in the order the scores were written."""
    out: dict[int, dict[str, int]] = {}
    for assessment_id, card, score in j.execute(
        "SELECT assessment_id, card, score FROM assessment_scores ORDER BY assessment_id, rowid"
    ):
        out.setdefault(assessment_id, {})[card] = score
    return out


def insert_assessment_scores(j: Journal, triples: Iterable[tuple[int, str, int]]) -> None:
    j.conn.executemany(
        "INSERT INTO assessment_scores (assessment_id, card, score) VALUES (?, ?, ?)", triples
    )


def insert_decks(j: Journal, decks: Iterable[dict[str, Any]]) -> None:
    names = ", ".join(_DECK_COLUMNS)
    marks = ", ".join("?" * len(_DECK_COLUMNS))
    j.conn.executemany(
        f"INSERT INTO decks ({names}) VALUES ({marks})",
        [tuple(d[c] for c in _DECK_COLUMNS) for d in decks],
    )


def ids_used(j: Journal) -> dict[str, int]:
    """table -> the highest id it ever handed out (sqlite_sequence, m004)."""
    return {name: int(seq) for name, seq in j.execute("SELECT name, seq FROM sqlite_sequence")}


def raise_id_sequence(j: Journal, table: str, at_least: int) -> None:
    """Never hand out an id at or below `at_least` in `table` (the backup's journal used it)."""
    if j.scalar("SELECT 1 FROM sqlite_sequence WHERE name = ?", (table,)):
        j.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (at_least, table))
    else:
        j.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, at_least))


def journal_id(j: Journal, *, create: bool = False) -> int | None:
    """This journal's identity: a random number kept in `counters`, made on first need.

    A backup records it, so an import can tell a restore of this journal from a
    backup of someone else's (a coachee's journal imported by their coach).
    """
    found = j.scalar("SELECT value FROM counters WHERE name = 'journal'")
    if found is None and create:
        import secrets

        found = secrets.randbits(62) + 1
        set_journal_id(j, found)
    return None if found is None else int(found)


def set_journal_id(j: Journal, value: int) -> None:
    j.execute("INSERT OR REPLACE INTO counters (name, value) VALUES ('journal', ?)", (value,))


def is_empty(j: Journal) -> bool:
    """Whether the journal has never held a record (a fresh journal to restore into)."""
    return not any(
        store_seq for (store_seq,) in j.execute("SELECT seq FROM sqlite_sequence")
    ) and (j.scalar("SELECT count(*) FROM clients") == 0)


def shared_reflection_uids(j: Journal) -> set[str]:
    """Reflections a client shared in a pack (m009): a backup marks them `shared`."""
    return {
        uid
        for (uid,) in j.execute(
            "SELECT uid FROM share_received WHERE kind = 'reflection' AND client_id IS NOT NULL"
        )
    }


def from_coach_uids(j: Journal) -> dict[str, set[str]]:
    """In a coachee's journal, the actions, goals and scores their coach sent (m009):
    a backup marks them `from_coach`, so after a restore the coach's next pack still
    updates them and the coachee's ticks and scores on them still go back."""
    found: dict[str, set[str]] = {"action": set(), "goal": set(), "score": set()}
    for kind, uid in j.execute(
        "SELECT kind, uid FROM share_received "
        "WHERE kind IN ('action', 'goal', 'score') AND client_id IS NULL"
    ):
        found[kind].add(uid)
    return found


# kind -> the records of the owner's own (no client) it may mark as from a coach.
_OWN = {
    "action": "SELECT uid FROM actions WHERE uid = ? AND client_id IS NULL",
    "goal": "SELECT uid FROM goals WHERE uid = ? AND client_id IS NULL",
    "score": "SELECT s.uid FROM goal_scores s JOIN goals g ON g.id = s.goal_id "
    "WHERE s.uid = ? AND g.client_id IS NULL",
}


def mark_from_coach(j: Journal, kind: str, uids: Sequence[str], stamp: str) -> None:
    """Mark restored records as sent by a coach again, with no link (keys stay behind):
    the first pack from the coach, once linked again, takes them back."""
    j.conn.executemany(
        "INSERT OR IGNORE INTO share_received (kind, uid, link_id, client_id, seq, received_at) "
        f"SELECT ?, uid, NULL, NULL, 0, ? FROM ({_OWN[kind]})",
        [(kind, stamp, uid) for uid in uids],
    )


def mark_shared_reflections(j: Journal, uids: Sequence[str], stamp: str) -> None:
    """Mark restored reflections as a client's shared words again (no link: keys stay behind)."""
    j.conn.executemany(
        "INSERT OR IGNORE INTO share_received (kind, uid, link_id, client_id, seq, received_at) "
        "SELECT 'reflection', uid, NULL, client_id, 0, ? FROM reflections "
        "WHERE uid = ? AND client_id IS NOT NULL",
        [(stamp, uid) for uid in uids],
    )


def mark_shared_sessions(j: Journal, uids: Sequence[str], stamp: str) -> None:
    """Mark restored sessions as sent by a coach again, with no link (keys stay behind),
    as mark_from_coach does: the coach, once linked again, takes them back, and their
    next pack updates the sessions instead of adding copies."""
    j.conn.executemany(
        "INSERT OR IGNORE INTO share_received (kind, uid, link_id, client_id, seq, received_at) "
        "SELECT 'session', uid, NULL, NULL, 0, ? FROM shared_sessions "
        "WHERE uid = ? AND link_id IS NULL",
        [(stamp, uid) for uid in uids],
    )
