"""SQL for the other names the anonymiser must know: client aliases and the redact list.

`client_aliases` and `redactions` come from m005. Aliases hang off their client
(ON DELETE CASCADE), so erasing a client takes their aliases with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachlog.store.db import Journal


def aliases(j: Journal, client_id: int | None = None) -> dict[int, list[str]]:
    """Aliases by client id (one client's, or everyone's), in the order they were added."""
    rows = j.rows(
        "SELECT client_id, alias FROM client_aliases "
        "WHERE :id IS NULL OR client_id = :id ORDER BY id",
        {"id": client_id},
    )
    found: dict[int, list[str]] = {}
    for row in rows:
        found.setdefault(int(row["client_id"]), []).append(str(row["alias"]))
    return found


def add_alias(j: Journal, client_id: int, alias: str) -> None:
    j.execute(
        "INSERT OR IGNORE INTO client_aliases (client_id, alias) VALUES (?, ?)", (client_id, alias)
    )


def remove_alias(j: Journal, client_id: int, alias: str) -> int:
    return j.execute(
        "DELETE FROM client_aliases WHERE client_id = ? AND alias = ?", (client_id, alias)
    ).rowcount


def redactions(j: Journal) -> list[dict[str, Any]]:
    return j.rows("SELECT id, name, added_on FROM redactions ORDER BY id")


def add_redaction(j: Journal, name: str, added_on: str) -> dict[str, Any]:
    row = j.row(
        "INSERT INTO redactions (name, added_on) VALUES (?, ?) RETURNING id, name, added_on",
        (name, added_on),
    )
    assert row is not None
    return row


def remove_redaction(j: Journal, redaction_id: int) -> None:
    j.execute("DELETE FROM redactions WHERE id = ?", (redaction_id,))
