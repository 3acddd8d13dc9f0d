"""Small helpers every store module uses: ids, timestamps and label tables.

Themes, cards and tags hang off sessions, goals and reflections through small
link tables (`session_themes`, `goal_tags`, ...). `set_labels` and `labels_for`
are the only code that writes and reads them, so a list-of-labels field behaves
the same on every kind of entry and costs one query per page of results, not one
per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# (link table, owner column, value column) for every label list in the schema.
LABELS = {
    ("session", "themes"): ("session_themes", "session_id", "theme"),
    ("session", "cards"): ("session_cards", "session_id", "card"),
    ("session", "tags"): ("session_tags", "session_id", "tag"),
    ("goal", "themes"): ("goal_themes", "goal_id", "theme"),
    ("goal", "tags"): ("goal_tags", "goal_id", "tag"),
    ("reflection", "themes"): ("reflection_themes", "reflection_id", "theme"),
    ("reflection", "tags"): ("reflection_tags", "reflection_id", "tag"),
}


def new_uid() -> str:
    """A stable id that survives export and import (merging never duplicates)."""
    return uuid.uuid4().hex


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def set_labels(j: Journal, owner: str, kind: str, owner_id: int, values: Iterable[str]) -> None:
    """Replace the `kind` labels (themes, cards, tags) of one entry."""
    table, owner_col, value_col = LABELS[(owner, kind)]
    j.execute(f"DELETE FROM {table} WHERE {owner_col} = ?", (owner_id,))
    j.conn.executemany(
        f"INSERT OR IGNORE INTO {table} ({owner_col}, {value_col}) VALUES (?, ?)",
        [(owner_id, str(v)) for v in values],
    )


def labels_for(
    j: Journal, owner: str, kind: str, owner_ids: Sequence[int]
) -> dict[int, list[str]]:
    """The `kind` labels of many entries at once, keyed by entry id.

    The link tables are WITHOUT ROWID with (owner, value) as key, so values come
    back sorted alphabetically.
    """
    found: dict[int, list[str]] = defaultdict(list)
    if not owner_ids:
        return found
    table, owner_col, value_col = LABELS[(owner, kind)]
    # Chunk to stay under SQLite's host-parameter limit on old builds.
    ids = list(owner_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for owner_id, value in j.execute(
            f"SELECT {owner_col}, {value_col} FROM {table} WHERE {owner_col} IN ({marks})",
            chunk,
        ):
            found[owner_id].append(value)
    return found
