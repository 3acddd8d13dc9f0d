"""SQL for share packs: this journal's key, its partners, and what went to or came from them.

The tables are m009's (store/migrations.py says what each is for). Records a pack
brings keep the uid they had in the sender's journal, so a later pack finds them
again and a tick or a score sent back names the very record it is about;
`share_received` says which link each came from. Table and column names here
come from this module's own constants, never from a pack or from user input.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from coachlog.store.base import labels_for, now_iso, set_labels

if TYPE_CHECKING:
    from coachlog.store.db import Journal

# ---------------------------------------------------------------- the key pair


def keys(j: Journal) -> tuple[str, str] | None:
    """(public key, secret key) as hex, or None before the first share command."""
    row = j.row("SELECT public_key, secret_key FROM share_keys WHERE id = 1")
    return (row["public_key"], row["secret_key"]) if row else None


def save_keys(j: Journal, public_hex: str, secret_hex: str) -> None:
    j.execute(
        "INSERT INTO share_keys (id, public_key, secret_key, created_at) VALUES (1, ?, ?, ?)",
        (public_hex, secret_hex, now_iso()),
    )


# ---------------------------------------------------------------- links

_LINKS = """
SELECT l.id, l.role, l.client_id, coalesce(c.name, l.name) AS name, l.public_key,
       l.linked_at, l.packs_sent, l.last_sent_at, l.last_received_at
  FROM share_links l LEFT JOIN clients c ON c.id = l.client_id
"""


def links(j: Journal) -> list[dict[str, Any]]:
    return j.rows(_LINKS + " ORDER BY l.role, name COLLATE NOCASE, l.id")


def link_by_key(j: Journal, public_hex: str) -> dict[str, Any] | None:
    return j.row(_LINKS + " WHERE l.public_key = ?", (public_hex,))


def link_by_client(j: Journal, client_id: int) -> dict[str, Any] | None:
    return j.row(_LINKS + " WHERE l.client_id = ?", (client_id,))


def coach_links(j: Journal) -> list[dict[str, Any]]:
    return j.rows(_LINKS + " WHERE l.role = 'coach' ORDER BY l.id")


def add_link(
    j: Journal, role: str, public_hex: str, *, client_id: int | None, name: str | None
) -> int:
    return int(
        j.scalar(
            "INSERT INTO share_links (role, client_id, name, public_key, linked_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (role, client_id, name, public_hex, now_iso()),
        )
    )


def orphan_coach_names(j: Journal) -> list[str] | None:
    """What a coach's link left behind when it went (unlinked, or keys not restored):
    None if nothing, else the names on the orphaned shared sessions (maybe none)."""
    orphans = j.scalar(
        "SELECT 1 FROM share_received WHERE link_id IS NULL AND client_id IS NULL LIMIT 1"
    )
    names = [n for (n,) in j.execute("SELECT coach FROM shared_sessions WHERE link_id IS NULL")]
    return names if orphans is not None or names else None


def adopt_orphans(j: Journal, link_id: int) -> None:
    """Give a coach's orphaned records (see orphan_coach_names) to the link `link_id`."""
    j.execute(
        "UPDATE share_received SET link_id = ? WHERE link_id IS NULL AND client_id IS NULL",
        (link_id,),
    )
    j.execute("UPDATE shared_sessions SET link_id = ? WHERE link_id IS NULL", (link_id,))


def delete_link(j: Journal, link_id: int) -> None:
    j.execute("DELETE FROM share_links WHERE id = ?", (link_id,))


def sent_digests(j: Journal, link_id: int) -> dict[tuple[str, str], str]:
    return {
        (kind, uid): digest
        for kind, uid, digest in j.execute(
            "SELECT kind, uid, digest FROM share_sent WHERE link_id = ?", (link_id,)
        )
    }


def note_sent(j: Journal, link_id: int, items: Iterable[tuple[str, str, str]]) -> int:
    """Remember what went in a pack; returns the pack's number for this link (1, 2, ...)."""
    j.conn.executemany(
        "INSERT OR REPLACE INTO share_sent (link_id, kind, uid, digest) VALUES (?, ?, ?, ?)",
        [(link_id, kind, uid, digest) for kind, uid, digest in items],
    )
    return int(
        j.scalar(
            "UPDATE share_links SET packs_sent = packs_sent + 1, last_sent_at = ? "
            "WHERE id = ? RETURNING packs_sent",
            (now_iso(), link_id),
        )
    )


def update_sent(j: Journal, link_id: int, item: Any) -> None:
    """Record `item` (kind, uid, digest) as already known to the partner, if it was sent."""
    j.execute(
        "UPDATE share_sent SET digest = ? WHERE link_id = ? AND kind = ? AND uid = ?",
        (item.digest, link_id, item.kind, item.uid),
    )


# ---------------------------------------------------------------- what a coach sends


def client_sessions(j: Journal, client_id: int) -> list[dict[str, Any]]:
    rows = j.rows(
        """SELECT id, uid, on_date AS "on", minutes, notes FROM sessions
            WHERE client_id = ? ORDER BY on_date, id""",
        (client_id,),
    )
    ids = [r["id"] for r in rows]
    themes = labels_for(j, "session", "themes", ids)
    cards = labels_for(j, "session", "cards", ids)
    for r in rows:
        r["themes"] = themes.get(r["id"], [])
        r["cards"] = cards.get(r["id"], [])
    return rows


def client_actions(j: Journal, client_id: int) -> list[dict[str, Any]]:
    return j.rows(
        """SELECT a.uid, a.text, a.due, a.done_on, a.created_on, s.uid AS session,
                  s.on_date AS session_on
             FROM actions a LEFT JOIN sessions s ON s.id = a.session_id
            WHERE a.client_id = ? ORDER BY a.created_on, a.id""",
        (client_id,),
    )


def client_goals(j: Journal, client_id: int) -> list[dict[str, Any]]:
    """The client's goals, each with its scores (uid, score, on), oldest first."""
    rows = j.rows(
        """SELECT id, uid, title, due, status, created_on FROM goals
            WHERE client_id = ? ORDER BY created_on, id""",
        (client_id,),
    )
    ids = [r["id"] for r in rows]
    themes = labels_for(j, "goal", "themes", ids)
    scores: dict[int, list[dict[str, Any]]] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for row in j.rows(
            f"""SELECT goal_id, uid, score, on_date AS "on" FROM goal_scores
                 WHERE goal_id IN ({marks}) ORDER BY on_date, id""",
            ids,
        ):
            scores.setdefault(row.pop("goal_id"), []).append(row)
    for r in rows:
        r["themes"] = themes.get(r["id"], [])
        r["scores"] = scores.get(r["id"], [])
    return rows


# ---------------------------------------------------------------- what a coachee sends


def own_reflections(j: Journal, since: str) -> list[dict[str, Any]]:
    """The owner's own reflections from `since` that may be shared: not private, not received."""
    rows = j.rows(
        """SELECT r.id, r.uid, r.on_date AS "on", r.at_time AS at, r.title, r.text, r.card,
                  r.deck, r.perspective, r.question, g.uid AS goal
             FROM reflections r LEFT JOIN goals g ON g.id = r.goal_id
            WHERE r.client_id IS NULL AND r.private = 0 AND r.on_date >= ?
              AND NOT EXISTS (SELECT 1 FROM share_received s
                               WHERE s.kind = 'reflection' AND s.uid = r.uid)
            ORDER BY r.on_date, r.id""",
        (since,),
    )
    themes = labels_for(j, "reflection", "themes", [r["id"] for r in rows])
    for r in rows:
        r["themes"] = themes.get(r.pop("id"), [])
    return rows


def received_uids_any(j: Journal, kind: str) -> set[str]:
    """The uids of every received record of `kind`, whoever sent it."""
    return {uid for (uid,) in j.execute("SELECT uid FROM share_received WHERE kind = ?", (kind,))}


def next_pack_seq(j: Journal, now_ms: int) -> int:
    """A number larger than any pack this journal sent before (time-based, so a
    restored journal's counter going back cannot make a new pack look old)."""
    last = int(j.scalar("SELECT value FROM counters WHERE name = 'share_pack'") or 0)
    seq = max(now_ms, last + 1)
    j.execute("INSERT OR REPLACE INTO counters (name, value) VALUES ('share_pack', ?)", (seq,))
    return seq


def received_uids(j: Journal, kind: str, link_id: int) -> set[str]:
    return {
        uid
        for (uid,) in j.execute(
            "SELECT uid FROM share_received WHERE kind = ? AND link_id = ?", (kind, link_id)
        )
    }


def scores_on_received_goals(j: Journal, link_id: int) -> list[dict[str, Any]]:
    """The owner's own scores on goals that came from this link's coach."""
    return j.rows(
        """SELECT s.uid, g.uid AS goal, s.score, s.on_date AS "on", g.title AS goal_title
             FROM goal_scores s JOIN goals g ON g.id = s.goal_id
            WHERE g.uid IN (SELECT uid FROM share_received WHERE kind = 'goal' AND link_id = ?)
              AND NOT EXISTS (SELECT 1 FROM share_received r
                               WHERE r.kind = 'score' AND r.uid = s.uid)
            ORDER BY s.on_date, s.id""",
        (link_id,),
    )


def received_actions(j: Journal, link_id: int) -> list[dict[str, Any]]:
    return j.rows(
        """SELECT uid, text, done_on FROM actions
            WHERE uid IN (SELECT uid FROM share_received WHERE kind = 'action' AND link_id = ?)
            ORDER BY id""",
        (link_id,),
    )


# ---------------------------------------------------------------- receiving

# kind -> the table its records live in.
TABLES = {
    "reflection": "reflections",
    "action": "actions",
    "goal": "goals",
    "score": "goal_scores",
    "session": "shared_sessions",
}


def pack_seen(j: Journal, pack_uid: str) -> bool:
    return j.scalar("SELECT 1 FROM share_packs WHERE uid = ?", (pack_uid,)) is not None


def note_pack(j: Journal, pack_uid: str, link_id: int, seq: int) -> None:
    j.execute(
        "INSERT INTO share_packs (uid, link_id, seq, received_at) VALUES (?, ?, ?, ?)",
        (pack_uid, link_id, seq, now_iso()),
    )
    j.execute("UPDATE share_links SET last_received_at = ? WHERE id = ?", (now_iso(), link_id))


def origin(j: Journal, kind: str, uid: str) -> dict[str, Any] | None:
    """Where a received record came from: link_id and the pack number that last set it."""
    return j.row("SELECT link_id, seq FROM share_received WHERE kind = ? AND uid = ?", (kind, uid))


def mark_received(
    j: Journal, kind: str, uid: str, link_id: int, client_id: int | None, seq: int
) -> None:
    j.execute(
        "INSERT INTO share_received (kind, uid, link_id, client_id, seq, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, uid) DO UPDATE SET "
        "link_id = excluded.link_id, seq = excluded.seq, received_at = excluded.received_at",
        (kind, uid, link_id, client_id, seq, now_iso()),
    )


def find(j: Journal, kind: str, uid: str) -> dict[str, Any] | None:
    """The row of `kind` with this uid in this journal (id plus the columns compared)."""
    table = TABLES[kind]
    return j.row(f"SELECT * FROM {table} WHERE uid = ?", (uid,))


def goal_of_client(j: Journal, goal_uid: str, client_id: int | None) -> int | None:
    """The id of goal `goal_uid` if it belongs to `client_id` (None: the owner's own)."""
    found = j.scalar(
        "SELECT id FROM goals WHERE uid = ? AND client_id IS ?", (goal_uid, client_id)
    )
    return None if found is None else int(found)


def insert(j: Journal, kind: str, values: dict[str, Any]) -> int:
    """Insert a received record (`values` maps this module's column names to values)."""
    table = TABLES[kind]
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    return int(
        j.scalar(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", list(values.values())
        )
    )


def update(j: Journal, kind: str, row_id: int, values: dict[str, Any]) -> None:
    table = TABLES[kind]
    assignments = ", ".join(f"{name} = ?" for name in values)
    j.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])


def labels(j: Journal, kind: str, row_id: int) -> dict[str, list[str]]:
    owner = {"reflection": "reflection", "goal": "goal"}[kind]
    return {"themes": labels_for(j, owner, "themes", [row_id]).get(row_id, [])}


def set_themes(j: Journal, kind: str, row_id: int, themes: list[str]) -> None:
    set_labels(j, kind, "themes", row_id, themes)


def shared_sessions(j: Journal) -> list[dict[str, Any]]:
    return j.rows(
        """SELECT id, uid, coach, on_date AS "on", minutes, themes, cards, notes
             FROM shared_sessions ORDER BY on_date DESC, id DESC"""
    )
