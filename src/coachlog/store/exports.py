"""SQL for the supervision pack and the hours log: the rows an export is built from.

Reads only. Each function returns plain rows for one period, with a client's
stable pseudonym (`clients.pseudonym`, from migration m002) beside their name so
core can choose which to show. Sessions carry their number with the client
(counted over all their sessions, as `session list` counts it), so "session 4
of Client A" means the same in an export as on screen. A supervision pack reads
its totals as aggregates and its rows a batch of clients at a time (`client_ids`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from coachlog.store.base import LABELS, labels_for

if TYPE_CHECKING:
    from coachlog.store.db import Journal

_NUMBER = """(SELECT count(*) FROM sessions n
              WHERE n.client_id = s.client_id
                AND (n.on_date, coalesce(n.at_time, ''), n.id)
                    <= (s.on_date, coalesce(s.at_time, ''), s.id))"""


def _window(
    since: dt.date | None, until: dt.date | None, client_id: int | None = None
) -> dict[str, Any]:
    return {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "client": client_id,
    }


def clients(j: Journal) -> list[dict[str, Any]]:
    """Every client (archived too): the anonymiser must know every name in the journal."""
    return j.rows(
        "SELECT id, name, pseudonym, relationship, named_consent FROM clients ORDER BY id"
    )


def _clients_in(column: str, client_ids: Sequence[int] | None, params: dict[str, Any]) -> str:
    """`AND column IN (...)` for a batch of clients (named parameters added to `params`)."""
    if client_ids is None:
        return ""
    params.update({f"c{i}": cid for i, cid in enumerate(client_ids)})
    return f"AND {column} IN ({','.join(f':c{i}' for i in range(len(client_ids)))})"


def sessions(
    j: Journal,
    since: dt.date | None = None,
    until: dt.date | None = None,
    client_id: int | None = None,
    client_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Sessions in the window, oldest first, with their labels and client details.

    `client_ids` limits them to a batch of clients (read through sessions_by_client).
    """
    params = _window(since, until, client_id)
    batch = _clients_in("s.client_id", client_ids, params)
    found = j.rows(
        f"""SELECT s.id, s.client_id, c.name AS client, c.pseudonym, c.relationship,
                   c.named_consent, {_NUMBER} AS number, s.on_date, s.at_time, s.minutes,
                   s.mode, s.format, s.model, s.notes, s.private_notes, s.pro_bono
              FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE (:since IS NULL OR s.on_date >= :since)
               AND (:until IS NULL OR s.on_date <= :until)
               AND (:client IS NULL OR s.client_id = :client)
               {batch}
             ORDER BY s.on_date, coalesce(s.at_time, ''), s.id""",
        params,
    )
    ids = [r["id"] for r in found]
    for kind in ("themes", "cards", "tags"):
        labels = labels_for(j, "session", kind, ids)
        for r in found:
            r[kind] = labels.get(r["id"], [])
    return found


_SESSIONS_IN = """FROM sessions s JOIN clients c ON c.id = s.client_id
             WHERE (:since IS NULL OR s.on_date >= :since)
               AND (:until IS NULL OR s.on_date <= :until)
               AND (:client IS NULL OR s.client_id = :client)"""


def session_totals(
    j: Journal, since: dt.date | None, until: dt.date | None, client_id: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Sessions and minutes per (format, relationship) in the window, and how many clients.

    The same sessions `sessions()` returns, counted in SQL so a pack's totals need
    no session rows in memory.
    """
    params = _window(since, until, client_id)
    groups = j.rows(
        f"""SELECT s.format, c.relationship, count(*) AS sessions, sum(s.minutes) AS minutes
              {_SESSIONS_IN}
             GROUP BY s.format, c.relationship""",
        params,
    )
    clients = j.scalar(f"SELECT count(DISTINCT s.client_id) {_SESSIONS_IN}", params)
    return groups, int(clients or 0)


def session_label_counts(
    j: Journal, kind: str, since: dt.date | None, until: dt.date | None, client_id: int | None
) -> dict[str, int]:
    """How many of the window's sessions carry each theme or card (`kind`)."""
    table, owner_col, value_col = LABELS[("session", kind)]
    return {
        value: count
        for value, count in j.execute(
            f"""SELECT t.{value_col}, count(*) FROM {table} t
                  JOIN sessions s ON s.id = t.{owner_col}
                  JOIN clients c ON c.id = s.client_id
                 WHERE (:since IS NULL OR s.on_date >= :since)
                   AND (:until IS NULL OR s.on_date <= :until)
                   AND (:client IS NULL OR s.client_id = :client)
                 GROUP BY t.{value_col}""",
            _window(since, until, client_id),
        )
    }


def pack_clients(
    j: Journal, since: dt.date | None, until: dt.date | None, client_id: int | None = None
) -> dict[int, int]:
    """The clients a pack has a section for (a session or a reflection in the window),
    each with how many of those they have: what reading their rows will cost."""
    found = j.execute(
        f"""SELECT client_id, sum(n) FROM (
                SELECT s.client_id, count(*) AS n {_SESSIONS_IN} GROUP BY s.client_id
                UNION ALL
                SELECT r.client_id, count(*) FROM reflections r
                 WHERE r.client_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM share_received x
                                    WHERE x.kind = 'reflection' AND x.uid = r.uid)
                   AND (:since IS NULL OR r.on_date >= :since)
                   AND (:until IS NULL OR r.on_date <= :until)
                   AND (:client IS NULL OR r.client_id = :client)
                 GROUP BY r.client_id)
             GROUP BY client_id""",
        _window(since, until, client_id),
    )
    return {cid: int(n) for cid, n in found}


def actions_for_sessions(
    j: Journal, session_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """The actions agreed in each session, in the order they were added."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    ids = list(session_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in j.rows(
            f"SELECT session_id, text, due, done_on FROM actions "
            f"WHERE session_id IN ({marks}) ORDER BY id",
            chunk,
        ):
            found[row.pop("session_id")].append(row)
    return found


def reflections(
    j: Journal,
    since: dt.date | None = None,
    until: dt.date | None = None,
    client_id: int | None = None,
    owner_only: bool = False,
    client_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Reflections in the window, oldest first: the owner's, or those linked to clients
    (`client_ids`: to a batch of clients)."""
    return [
        r
        for batch in reflection_batches(j, since, until, client_id, owner_only, client_ids)
        for r in batch
    ]


def reflection_batches(
    j: Journal,
    since: dt.date | None = None,
    until: dt.date | None = None,
    client_id: int | None = None,
    owner_only: bool = False,
    client_ids: Sequence[int] | None = None,
    size: int = 500,
) -> Iterator[list[dict[str, Any]]]:
    """`reflections()` a few hundred rows at a time, read from one query as they are asked for."""
    where = "r.client_id IS NULL" if owner_only else "r.client_id IS NOT NULL"
    params = _window(since, until, client_id)
    batch = _clients_in("r.client_id", client_ids, params)
    cursor = j.execute(
        f"""SELECT r.id, r.client_id, r.on_date, r.at_time, r.title, r.text, r.card,
                   r.perspective, r.question
              FROM reflections r
             WHERE {where}
               -- A coachee's words shared in a pack are theirs, for the coach only:
               -- never case material for the coach's supervisor.
               AND NOT EXISTS (SELECT 1 FROM share_received s
                                WHERE s.kind = 'reflection' AND s.uid = r.uid)
               AND (:since IS NULL OR r.on_date >= :since)
               AND (:until IS NULL OR r.on_date <= :until)
               AND (:client IS NULL OR r.client_id = :client)
               {batch}
             ORDER BY r.on_date, coalesce(r.at_time, ''), r.id""",
        params,
    )
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(size):
        found = [dict(zip(names, row, strict=True)) for row in rows]
        ids = [r["id"] for r in found]
        for kind in ("themes", "tags"):
            labels = labels_for(j, "reflection", kind, ids)
            for r in found:
                r[kind] = labels.get(r["id"], [])
        yield found


def goals(
    j: Journal, client_ids: Sequence[int], since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    """The clients' goals that were open at some point in the window, with first and last score.

    A goal counts if it was created by the end of the window and not closed before
    its start; baseline is its first score, latest its last score up to the window's end.
    """
    if not client_ids:
        return []
    params: dict[str, Any] = _window(since, until)
    marks = ",".join(f":c{i}" for i in range(len(client_ids)))
    params.update({f"c{i}": cid for i, cid in enumerate(client_ids)})
    found = j.rows(
        f"""SELECT g.id, g.client_id, g.title, g.status, g.due, g.created_on, g.closed_on,
                   (SELECT score FROM goal_scores x WHERE x.goal_id = g.id
                     ORDER BY x.on_date, x.id LIMIT 1) AS baseline,
                   (SELECT score FROM goal_scores x WHERE x.goal_id = g.id
                       AND (:until IS NULL OR x.on_date <= :until)
                     ORDER BY x.on_date DESC, x.id DESC LIMIT 1) AS latest
              FROM goals g
             WHERE g.client_id IN ({marks})
               AND (:until IS NULL OR g.created_on <= :until)
               AND (:since IS NULL OR g.closed_on IS NULL OR g.closed_on >= :since)
             ORDER BY g.created_on, g.id""",
        params,
    )
    themes = labels_for(j, "goal", "themes", [g["id"] for g in found])
    for g in found:
        g["themes"] = themes.get(g["id"], [])
    return found
