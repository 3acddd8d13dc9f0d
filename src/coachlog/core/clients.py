"""Use-cases for clients: add, find, edit, archive.

A CLIENT on the command line is an id or an exact, case-insensitive name;
`resolve` is the one place that turns it into a record, so every command gives
the same error for a client that does not exist.
"""

from __future__ import annotations

from typing import Any

from coachlog import dates
from coachlog.errors import Conflict, NotFound
from coachlog.models import Client, ClientIn, validate
from coachlog.store import clients as store
from coachlog.store.db import Journal


def resolve(j: Journal, ref: str | int) -> Client:
    """The client named by `ref` (id or exact name), or NotFound."""
    text = str(ref).strip()
    found = None
    if text.isdigit():
        found = store.by_id(j, int(text))
    if found is None and text:
        found = store.by_name(j, text)
    if found is None:
        hint = "'coachlog client list --all' shows every client with their id."
        close = _close_matches(j, text)
        if len(close) == 1:
            hint = f"Did you mean '{close[0].name}' (id {close[0].id})? Names must match in full."
        raise NotFound(f"No client '{text}'.", hint=hint)
    return found


def _close_matches(j: Journal, text: str) -> list[Client]:
    """Clients whose name starts with, or has a word equal to, what was typed."""
    wanted = text.casefold()
    if not wanted:
        return []
    return [
        c
        for c in store.all_clients(j, include_archived=True)
        if c.name.casefold().startswith(wanted) or wanted in c.name.casefold().split()
    ]


def add(j: Journal, **fields: Any) -> Client:
    data = validate(ClientIn, **fields)
    with j.write():
        if store.name_taken(j, data.name):
            raise Conflict(
                f"There is already a client called '{data.name}'.",
                hint="Use a fuller name (e.g. with an initial) so the two can be told apart.",
            )
        return store.insert(j, data, dates.today().isoformat())


def edit(j: Journal, ref: str, **changes: Any) -> Client:
    """Change the given fields (None means "leave as it is")."""
    with j.write():
        client = resolve(j, ref)
        merged = client.model_dump(include=set(ClientIn.model_fields))
        merged.update({k: v for k, v in changes.items() if v is not None})
        data = validate(ClientIn, **merged)
        if store.name_taken(j, data.name, except_id=client.id):
            raise Conflict(f"There is already a client called '{data.name}'.")
        return store.update(j, client.id, data)


def set_archived(j: Journal, ref: str, archived: bool = True) -> Client:
    with j.write():
        client = resolve(j, ref)
        store.set_archived(j, client.id, archived)
        found = store.by_id(j, client.id)
        assert found is not None
        return found


def list_clients(j: Journal, include_archived: bool = False) -> list[Client]:
    return store.all_clients(j, include_archived)


def show(j: Journal, ref: str) -> dict[str, Any]:
    """A client with their counts: sessions, hours, open goals and actions."""
    client = resolve(j, ref)
    return {**client.model_dump(mode="json"), **store.summary(j, client.id)}
