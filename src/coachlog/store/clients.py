"""SQL for clients: the people a coach works with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coachlog.models import Client, from_row
from coachlog.store.base import new_uid
from coachlog.text import fold

if TYPE_CHECKING:
    from coachlog.models.validation import ClientIn
    from coachlog.store.db import Journal

_COLUMNS = (
    "id, name, relationship, organisation, email, named_consent, archived, created_on, pseudonym"
)


def _client(row: dict[str, Any]) -> Client:
    return from_row(Client, row)


def insert(j: Journal, data: ClientIn, created_on: str) -> Client:
    client_id = j.execute(
        "INSERT INTO clients (uid, name, relationship, organisation, email, named_consent, "
        "created_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            new_uid(),
            data.name,
            data.relationship.value,
            data.organisation,
            data.email,
            int(data.named_consent),
            created_on,
        ),
    ).lastrowid
    # Read back rather than RETURNING: the pseudonym is set by an AFTER INSERT
    # trigger (m002), which RETURNING would not show.
    found = by_id(j, int(client_id or 0))
    assert found is not None
    return found


def update(j: Journal, client_id: int, data: ClientIn) -> Client:
    row = j.row(
        f"UPDATE clients SET name = ?, relationship = ?, organisation = ?, email = ?, "
        f"named_consent = ? WHERE id = ? RETURNING {_COLUMNS}",
        (
            data.name,
            data.relationship.value,
            data.organisation,
            data.email,
            int(data.named_consent),
            client_id,
        ),
    )
    assert row is not None
    return _client(row)


def set_archived(j: Journal, client_id: int, archived: bool) -> None:
    j.execute("UPDATE clients SET archived = ? WHERE id = ?", (int(archived), client_id))


def by_id(j: Journal, client_id: int) -> Client | None:
    row = j.row(f"SELECT {_COLUMNS} FROM clients WHERE id = ?", (client_id,))
    return _client(row) if row else None


def by_name(j: Journal, name: str) -> Client | None:
    """The client called `name`, compared on text.fold ("Zoe" finds "Zoë").

    An exact match wins; otherwise the one folded match. Two clients whose names
    fold alike (stored before duplicates were compared this way) are an
    ambiguity, and both are named.
    """
    wanted = name.strip()
    folded = fold(wanted)
    matches = [
        candidate
        for candidate in j.rows(f"SELECT {_COLUMNS} FROM clients ORDER BY id")
        if fold(candidate["name"]) == folded
    ]
    exact = [m for m in matches if m["name"] == wanted]
    if exact:
        return _client(exact[0])
    if len(matches) > 1:
        from coachlog.errors import Conflict

        named = " and ".join(f"'{m['name']}' (id {m['id']})" for m in matches)
        raise Conflict(
            f"'{wanted}' could mean {named}.", hint="Give the client's id instead of the name."
        )
    return _client(matches[0]) if matches else None


def same_name(j: Journal, name: str, except_id: int | None = None) -> Client | None:
    """A client (other than `except_id`) whose name folds to the same form as `name`."""
    folded = fold(name)
    for candidate in j.rows(f"SELECT {_COLUMNS} FROM clients ORDER BY id"):
        if candidate["id"] != except_id and fold(candidate["name"]) == folded:
            return _client(candidate)
    return None


def all_clients(j: Journal, include_archived: bool = False) -> list[Client]:
    where = "" if include_archived else "WHERE archived = 0"
    return [
        _client(r)
        for r in j.rows(f"SELECT {_COLUMNS} FROM clients {where} ORDER BY name COLLATE NOCASE")
    ]


def name_taken(j: Journal, name: str, except_id: int | None = None) -> bool:
    return same_name(j, name, except_id) is not None


def summary(j: Journal, client_id: int) -> dict[str, Any]:
    """Counts and dates shown by `client show`."""
    row = j.row(
        """SELECT
             (SELECT count(*) FROM sessions WHERE client_id = :id) AS sessions,
             (SELECT coalesce(sum(minutes), 0) FROM sessions WHERE client_id = :id) AS minutes,
             (SELECT min(on_date) FROM sessions WHERE client_id = :id) AS first_session,
             (SELECT max(on_date) FROM sessions WHERE client_id = :id) AS last_session,
             (SELECT count(*) FROM goals WHERE client_id = :id AND status = 'open') AS open_goals,
             (SELECT count(*) FROM actions WHERE client_id = :id AND done_on IS NULL)
               AS open_actions,
             (SELECT count(*) FROM reflections WHERE client_id = :id) AS reflections""",
        {"id": client_id},
    )
    assert row is not None
    return row
