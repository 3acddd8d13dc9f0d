"""Use-cases for forgetting: erase a person, purge entries older than a date.

Both run their delete in one write transaction (all or nothing, even if the
process is killed), count what went as "totals before minus totals after" so
cascades are reported truthfully, and then scrub the database files so the
removed text is gone from the bytes on disk, not only from queries
(store/privacy.py explains how).

Erasing a person also removes them from every entry that is not about them:
each mention in any remaining free text (other clients' session notes and
private notes, the owner's reflections, goals, actions, score notes,
supervision notes, tags, the redact list) is replaced with "[erased]", in the same
transaction, by the anonymiser's own rules (core/anonymise.py): full name,
each word of it, any case, with or without accents, aliases, their e-mail
address. A word they share with another client ("Zoë" when "Zoë Brown" is a
client too) cannot be told apart, so it is kept and counted in
`still_mentioned`; another client's full name is always kept whole.

`preview_erase` and `preview_purge` run the very same delete and roll it back,
so the numbers shown before "Are you sure?" are exactly what would go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

from coachlog import content, dates
from coachlog.core.anonymise import AMBIGUOUS_LABEL, Anonymiser, Person
from coachlog.core.clients import resolve
from coachlog.errors import InvalidInput
from coachlog.models import Client
from coachlog.store import privacy as store
from coachlog.store.db import Journal

ERASED_LABEL = "[erased]"
_KEEP = "\x00keep"  # other clients' names: matched so that they are left whole

ERASE_KINDS = (
    "clients",
    "sessions",
    "actions",
    "goals",
    "goal_scores",
    "reflections",
    "engagements",
    "outcomes",
    "assessments",
    "share_links",
    "labels",
    "search_entries",
)
PURGE_KINDS = (
    "sessions",
    "actions",
    "reflections",
    "goal_scores",
    "assessments",
    "shared_sessions",
    "labels",
    "search_entries",
)


class EraseReport(TypedDict):
    """What `client erase` removed (the `--json` shape)."""

    client_id: int
    removed: dict[str, int]
    # Other entries whose mentions of the person were replaced with "[erased]".
    mentions_erased: dict[str, int]
    # Other entries that still hold a word of their name shared with another client.
    still_mentioned: dict[str, int]
    # False if another process kept the write-ahead log from being cleared.
    scrubbed: bool


class PurgeReport(TypedDict):
    """What `db purge` removed (the `--json` shape)."""

    before: str
    removed: dict[str, int]
    # Open actions of purged sessions kept (unhooked from the session); 0 with --purge-open.
    kept_open_actions: int
    # Goals whose starting point moved: goal_id, title, baseline, baseline_on,
    # new_baseline, new_baseline_on (the new ones None when no score is left).
    baselines_moved: list[dict[str, Any]]
    # Engagements that would count fewer sessions held: engagement_id, contracted,
    # held (now) and new_held (after the purge).
    sessions_held_moved: list[dict[str, Any]]
    scrubbed: bool


class PurgePlan(TypedDict):
    """What `db purge` would do, shown before it asks (also its `--json` preview)."""

    before: str
    removed: dict[str, int]
    kept_open_actions: int
    baselines_moved: list[dict[str, Any]]
    sessions_held_moved: list[dict[str, Any]]


class _DryRun(Exception):
    """Raised inside a write transaction to roll it back after measuring it."""


def _delete_and_count(
    j: Journal, delete: Callable[[], None], kinds: tuple[str, ...]
) -> dict[str, int]:
    """Run `delete` (inside the caller's transaction) and count what it removed."""
    if not store.foreign_keys_on(j):
        # Without foreign keys the cascades would silently not run.
        raise RuntimeError("foreign keys are off: refusing to delete")
    before = store.totals(j)
    delete()
    after = store.totals(j)
    return {kind: before[kind] - after[kind] for kind in kinds}


def _measure(j: Journal, delete: Callable[[], None], kinds: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        with j.write():
            counts = _delete_and_count(j, delete, kinds)
            raise _DryRun
    except _DryRun:
        pass
    return counts


# ---------------------------------------------------------------- erase a person


def _eraser(j: Journal, client: Client) -> Anonymiser:
    """Finds the client's every mention, and other clients' names so those stay whole."""
    from coachlog.store import clients as client_store
    from coachlog.store import redactions

    aliases = redactions.aliases(j)
    others = [
        Person(c.name, _KEEP, tuple(aliases.get(c.id, ())))
        for c in client_store.all_clients(j, include_archived=True)
        if c.id != client.id
    ]
    me = Person(
        client.name,
        ERASED_LABEL,
        tuple(aliases.get(client.id, ())),
        literals=(client.email,) if client.email else (),
    )
    # A model's stage labels ("Will (way forward):") are never a name, as in exports.
    stages = {
        key: [stage.title for stage in info.stages]
        for key, info in content.coaching_models().items()
    }
    return Anonymiser([me, *others], identifiers=False, stages=stages)


def _replace(eraser: Anonymiser, text: str, model: str | None = None) -> str:
    out: list[str] = []
    done = 0
    for start, end, label in eraser.spans(text, model):
        if label == ERASED_LABEL:
            out += [text[done:start], ERASED_LABEL]
            done = end
    out.append(text[done:])
    return "".join(out)


def _unsure(eraser: Anonymiser, text: str, model: str | None = None) -> bool:
    return any(label == AMBIGUOUS_LABEL for _, _, label in eraser.spans(text, model))


def _erase(j: Journal, client: Client) -> tuple[dict[str, int], dict[str, int]]:
    """Inside a write: what erasing `client` removed, and what it rewrote elsewhere."""
    eraser = _eraser(j, client)  # before the delete, while their aliases exist
    removed = _delete_and_count(j, lambda: store.delete_client(j, client.id), ERASE_KINDS)
    rewritten = store.rewrite_text(j, lambda text, model: _replace(eraser, text, model))
    # A redact-list entry that named only them has nothing left to hide.
    store.drop_redactions_of_only(j, ERASED_LABEL)
    return removed, rewritten


def preview_erase(j: Journal, ref: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """The client's id, what erasing them would remove, and which other entries would
    have mentions of them replaced; nothing is changed."""
    client = resolve(j, ref)
    found: tuple[dict[str, int], dict[str, int]] = ({}, {})
    try:
        with j.write():
            found = _erase(j, client)
            raise _DryRun
    except _DryRun:
        pass
    return client.id, *found


def erase_client(j: Journal, ref: str) -> EraseReport:
    """Delete a client and every record about them, then scrub the files.

    One transaction removes the client, their sessions, goals and scores,
    actions, reflections (also those about their sessions or goals), aliases,
    labels and search entries; replaces every mention of them in the entries
    that remain with "[erased]"; and merges the search index so their words
    leave it too.
    """
    with j.write():
        client = resolve(j, ref)
        eraser = _eraser(j, client)
        removed, rewritten = _erase(j, client)
        if store.leftovers(j, client.id):
            raise RuntimeError("erase left records behind; rolled back")
        if store.count_text(j, lambda text, model: _replace(eraser, text, model) != text):
            raise RuntimeError("erase left mentions behind; rolled back")
        still = store.count_text(j, lambda text, model: _unsure(eraser, text, model))
        store.optimize_search_index(j)
    scrubbed = store.scrub(j)
    return {
        "client_id": client.id,
        "removed": removed,
        "mentions_erased": rewritten,
        "still_mentioned": still,
        "scrubbed": scrubbed,
    }


# ---------------------------------------------------------------- purge old entries


def _cutoff(before: str | dt.date) -> dt.date:
    day = dates.parse_date(before, "--before")
    if day > dates.today():
        raise InvalidInput(
            f"--before {day.isoformat()} is in the future: that would purge everything.",
            hint="Give the first date to keep, e.g. --before 2024-01-01.",
        )
    return day


def _purge_delete(j: Journal, day: str, keep_open: bool) -> None:
    from coachlog.store import purge as purge_store

    if keep_open:
        purge_store.keep_open_actions_before(j, day)
    store.delete_before(j, day)


def preview_purge(j: Journal, before: str | dt.date, keep_open: bool = True) -> PurgePlan:
    """What purging before the cut-off would remove, keep and move; nothing is changed."""
    from coachlog.store import purge as purge_store

    day = _cutoff(before).isoformat()
    kept = purge_store.open_actions_in_sessions_before(j, day) if keep_open else 0
    moved = purge_store.baselines_moving(j, day)
    held = purge_store.sessions_held_falling(j, day)
    removed = _measure(j, lambda: _purge_delete(j, day, keep_open), PURGE_KINDS)
    return {
        "before": day,
        "removed": removed,
        "kept_open_actions": kept,
        "baselines_moved": moved,
        "sessions_held_moved": held,
    }


def purge(j: Journal, before: str | dt.date, keep_open: bool = True) -> PurgeReport:
    """Delete sessions (with their done actions), reflections and goal scores dated
    before `before`, then scrub the files. Goals, clients and supervision records
    stay; so do open actions of purged sessions unless `keep_open` is False."""
    from coachlog.store import purge as purge_store

    day = _cutoff(before).isoformat()
    with j.write():
        kept = purge_store.open_actions_in_sessions_before(j, day) if keep_open else 0
        moved = purge_store.baselines_moving(j, day)
        held = purge_store.sessions_held_falling(j, day)
        removed = _delete_and_count(j, lambda: _purge_delete(j, day, keep_open), PURGE_KINDS)
        store.optimize_search_index(j)
    # Scrub even when nothing was removed: it also finishes an earlier scrub that
    # another process interrupted.
    scrubbed = store.scrub(j)
    return {
        "before": day,
        "removed": removed,
        "kept_open_actions": kept,
        "baselines_moved": moved,
        "sessions_held_moved": held,
        "scrubbed": scrubbed,
    }
