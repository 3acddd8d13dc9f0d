"""Use-cases for clients: add, find, edit, archive.

A CLIENT on the command line is an id or an exact, case-insensitive name;
`resolve` is the one place that turns it into a record, so every command gives
the same error for a client that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.models import Client, as_dict, to_json
from coachlog.store import clients as store
from coachlog.store.db import Journal
from coachlog.text import fold, normalise_name
from coachlog.vocab import ClientName

# Validation (pydantic) is imported by the functions that write, so that reading
# the journal (`session list`, ...) starts without it.
if TYPE_CHECKING:
    pass


def resolve(j: Journal, ref: str | int) -> Client:
    """The client named by `ref` (id or exact name), or NotFound.

    A `ClientName` is always looked up by name, digits or not."""
    text = str(ref).strip()
    found = None
    if is_id(text) and not isinstance(ref, ClientName):
        # Always an id, even when a client is called "2": erase 2 must never mean
        # someone else. Only ASCII digits count ("١" is a name, not id 1).
        if len(text) > 18:
            raise InvalidInput(f"No client id {text}: ids are at most 18 digits.")
        found = store.by_id(j, int(text))
        if found is None:
            raise NotFound(
                f"No client '{text}'.",
                hint="A number is always a client id; 'coachlog client list --all' shows "
                "every client with their id.",
            )
        return found
    if text:
        found = store.by_name(j, text)
    if found is None:
        hint = "'coachlog client list --all' shows every client with their id."
        close = close_matches(j, text)
        if len(close) == 1:
            hint = f"Did you mean '{close[0].name}' (id {close[0].id})? Names must match in full."
        raise NotFound(f"No client '{text}'.", hint=hint)
    return found


def is_id(text: str) -> bool:
    """Whether a CLIENT argument is an id: ASCII digits only, nothing else."""
    return text.isascii() and text.isdigit()


def close_matches(j: Journal, text: str) -> list[Client]:
    """Clients whose name starts with, or has a word equal to, what was typed."""
    wanted = fold(text)
    if not wanted:
        return []
    return [
        c
        for c in store.all_clients(j, include_archived=True)
        if fold(c.name).startswith(wanted) or wanted in fold(c.name).split()
    ]


def _refuse_duplicate(j: Journal, name: str, except_id: int | None = None) -> None:
    existing = store.same_name(j, name, except_id=except_id)
    if existing is not None:
        same = "" if existing.name == name else f" (as '{existing.name}', id {existing.id})"
        raise Conflict(
            f"There is already a client called '{name}'{same}: names are compared "
            "ignoring case, accents and spacing.",
            hint="Use a fuller name (e.g. with an initial) so the two can be told apart.",
        )
    from coachlog.store import redactions

    wanted = fold(name)
    for owner, aliases in redactions.aliases(j).items():
        if owner != except_id and any(fold(a) == wanted for a in aliases):
            # Two people under one name: the anonymiser and erase could not tell them apart.
            raise Conflict(
                f"'{name}' is an alias of client {owner}, so no other client can be called that.",
                hint=f"Use a fuller name, or drop the alias ('coachlog client edit {owner} "
                f"--drop-alias ...').",
            )


def add(j: Journal, **fields: Any) -> Client:
    from coachlog.models.validation import ClientIn, validate

    if isinstance(fields.get("name"), str):
        fields["name"] = normalise_name(fields["name"])
    data = validate(ClientIn, **fields)
    with j.write():
        _refuse_duplicate(j, data.name)
        return store.insert(j, data, dates.today().isoformat())


def edit(j: Journal, ref: str, **changes: Any) -> Client:
    """Change the given fields (None means "leave as it is")."""
    from coachlog.models.validation import ClientIn, validate

    with j.write():
        client = resolve(j, ref)
        merged = {k: v for k, v in as_dict(client).items() if k in ClientIn.model_fields}
        merged.update({k: v for k, v in changes.items() if v is not None})
        if isinstance(changes.get("name"), str):
            merged["name"] = normalise_name(changes["name"])
        data = validate(ClientIn, **merged)
        _refuse_duplicate(j, data.name, except_id=client.id)
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
    return {**to_json(client), **store.summary(j, client.id)}
