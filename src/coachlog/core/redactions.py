"""Use-cases for the other names coachlog hides: client aliases and the redact list.

An alias is another name a client goes by ("Zo" for Zoë, a maiden name); a
redaction is someone who is not a client but must not be named in anything that
leaves the journal (a client's manager, "Dr Patel"). The anonymiser
(core/anonymise.py) replaces aliases with the client's pseudonym and redacted
people with "[person]", by the same rules as clients' names; erasing a client
replaces their aliases too. Names are compared on `text.fold`, so "Zoe" and
"Zoë" are one entry.
"""

from __future__ import annotations

import re
from typing import Any

from coachlog import dates
from coachlog.core.clients import resolve
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.store import redactions as store
from coachlog.store.db import Journal
from coachlog.text import fold, normalise_name

MAX_NAME = 200


# What a client's name refuses (models._single_line): aliases and redact-list
# names are names too.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(name: str, what: str) -> str:
    if _CONTROL.search(name):
        raise InvalidInput(f"{what} must be one line of plain text, without control characters.")
    cleaned = normalise_name(name)
    if not any(ch.isalnum() for ch in cleaned):
        raise InvalidInput(f"{what} needs at least one letter.", hint=f'e.g. {what} "Zo".')
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"{what} is longer than {MAX_NAME} characters.")
    return cleaned


def aliases(j: Journal, client_id: int) -> list[str]:
    return store.aliases(j, client_id).get(client_id, [])


def all_aliases(j: Journal) -> dict[int, list[str]]:
    return store.aliases(j)


def change_aliases(
    j: Journal, ref: str, add: list[str] | None = None, remove: list[str] | None = None
) -> tuple[int, list[str]]:
    """Add and remove aliases of a client in one write; their id and aliases after."""
    with j.write():
        client = resolve(j, ref)
        have = aliases(j, client.id)
        for name in remove or []:
            wanted = fold(name)
            match = [a for a in have if fold(a) == wanted]
            if not match:
                raise NotFound(
                    f"Client {client.id} has no alias '{normalise_name(name)}'.",
                    hint=f"'coachlog client show {client.id}' lists their aliases.",
                )
            for alias in match:
                store.remove_alias(j, client.id, alias)
                have.remove(alias)
        others = _others_names(j, client.id) if add else {}
        for name in add or []:
            alias = _clean(name, "--alias")
            if fold(alias) == fold(client.name) or any(fold(a) == fold(alias) for a in have):
                continue  # already known by that name: nothing to add
            owner = others.get(fold(alias))
            if owner is not None:
                # The anonymiser would give one of them the other's pseudonym,
                # and erasing this client would erase the other's name.
                raise Conflict(
                    f"'{alias}' is what client {owner[0]} ({owner[1]}) is called, so it "
                    f"cannot be an alias of client {client.id} too.",
                    hint="Give an alias only they go by.",
                )
            store.add_alias(j, client.id, alias)
            have.append(alias)
        return client.id, have


def _others_names(j: Journal, client_id: int) -> dict[str, tuple[int, str]]:
    """Every other client's name and aliases, folded -> (their id, their name)."""
    from coachlog.store import clients as client_store

    found: dict[str, tuple[int, str]] = {}
    every_alias = store.aliases(j)
    for other in client_store.all_clients(j, include_archived=True):
        if other.id == client_id:
            continue
        for name in (other.name, *every_alias.get(other.id, ())):
            found.setdefault(fold(name), (other.id, other.name))
    return found


def redactions(j: Journal) -> list[dict[str, Any]]:
    return store.redactions(j)


def add_redaction(j: Journal, name: str) -> dict[str, Any]:
    cleaned = _clean(name, "A name to redact")
    with j.write():
        for row in store.redactions(j):
            if fold(row["name"]) == fold(cleaned):
                raise Conflict(
                    f"'{row['name']}' is already on the redact list (id {row['id']}).",
                    hint="'coachlog redact list' shows the list.",
                )
        return store.add_redaction(j, cleaned, dates.today().isoformat())


def remove_redaction(j: Journal, ref: str) -> dict[str, Any]:
    """Take someone off the redact list, by id or by name (any accents or case)."""
    text = ref.strip()
    with j.write():
        rows = store.redactions(j)
        found = [r for r in rows if str(r["id"]) == text] or [
            r for r in rows if fold(r["name"]) == fold(text)
        ]
        if not found:
            raise NotFound(
                f"No one called '{normalise_name(text)}' is on the redact list.",
                hint="'coachlog redact list' shows each name with its id.",
            )
        store.remove_redaction(j, int(found[0]["id"]))
        return found[0]
