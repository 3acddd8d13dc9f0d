"""Use-cases for coaching engagements: start, end, edit, reopen, delete, list and show.

An engagement is a contract of coaching with one client (or, for a coachee's own
journal, with the owner: `me=True`): when it started, how many sessions were
agreed, who sponsors it, and when it ended. A person has at most one open
engagement, and engagements never overlap, so every session belongs to at most
one: the one whose dates it falls between. The follow-up check-in is due six
months after the end.
"""

from __future__ import annotations

import datetime as dt

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.models import Engagement
from coachlog.store import engagements as store
from coachlog.store.db import Journal

SPONSOR_MAX = 200
SESSIONS_MAX = 1000


def who(j: Journal, client: str | int | None, me: bool) -> tuple[int | None, str]:
    """(client id or None for the owner, how to name them) from CLIENT or --me."""
    if client is not None and me:
        raise InvalidInput("Give CLIENT or --me, not both.")
    if client is None and not me:
        raise InvalidInput(
            "Missing CLIENT: give a client's id or name, or --me for your own coaching."
        )
    if me:
        return None, "you"
    from coachlog.core.clients import resolve

    found = resolve(j, client)  # type: ignore[arg-type]
    return found.id, found.name


def _date(value: str | dt.date | None, flag: str) -> dt.date:
    """A start or end: it has happened, so it is not after today (issue 12)."""
    return dates.happened(dates.parse_date(value, flag), flag) if value else dates.today()


def get(j: Journal, engagement_id: int) -> Engagement:
    found = store.by_id(j, engagement_id)
    if found is None:
        raise NotFound(
            f"No engagement {engagement_id}.",
            hint="'coachlog engagement list' shows engagements with their ids.",
        )
    return found


def start(
    j: Journal,
    client: str | int | None = None,
    *,
    me: bool = False,
    sessions: int | None = None,
    sponsor: str | None = None,
    on: str | dt.date | None = None,
) -> Engagement:
    """Open an engagement; refused while one is open or if it would overlap an old one."""
    day = _date(on, "--on")
    if sessions is not None and not 1 <= sessions <= SESSIONS_MAX:
        raise InvalidInput(f"--sessions must be from 1 to {SESSIONS_MAX}, not {sessions}.")
    if sponsor is not None:
        sponsor = _clean_sponsor(sponsor)
    with j.write():
        client_id, name = who(j, client, me)
        ref = "--me" if client_id is None else str(client_id)
        current = store.find(j, client_id=client_id, scope="one", open_only=True)
        if current:
            raise Conflict(
                f"{_cap(name)} already {_has(name)} an open engagement "
                f"(started {current[0].started_on}).",
                hint=f"End it first: coachlog engagement end {ref}",
            )
        last_end = store.latest_end(j, client_id)
        if last_end is not None and day.isoformat() <= last_end:
            raise Conflict(
                f"An engagement must start after the last one ended ({last_end}).",
                hint="Give a later --on date.",
            )
        engagement_id = store.insert(j, client_id, day.isoformat(), sessions, sponsor)
        return get(j, engagement_id)


def end(
    j: Journal,
    client: str | int | None = None,
    *,
    me: bool = False,
    on: str | dt.date | None = None,
) -> Engagement:
    """Close the person's open engagement on `on` (today by default, never later)."""
    day = dates.happened(_date(on, "--on"), "--on")
    with j.write():
        client_id, name = who(j, client, me)
        current = store.find(j, client_id=client_id, scope="one", open_only=True)
        if not current:
            ref = "--me" if client_id is None else str(client_id)
            raise NotFound(
                f"{_cap(name)} {_has(name)} no open engagement.",
                hint=f"Start one with: coachlog engagement start {ref} --sessions 6",
            )
        engagement = current[0]
        if day < engagement.started_on:
            raise InvalidInput(
                f"--on {day} is before the engagement started ({engagement.started_on})."
            )
        store.set_end(j, engagement.id, day.isoformat())
        return get(j, engagement.id)


def _clean_sponsor(sponsor: str) -> str | None:
    from coachlog.text import normalise_name

    cleaned = normalise_name(sponsor) or None
    if cleaned and len(cleaned) > SPONSOR_MAX:
        raise InvalidInput(f"--sponsor is too long (at most {SPONSOR_MAX} characters).")
    return cleaned


def _check_no_overlap(
    j: Journal, engagement: Engagement, started: dt.date, ended: dt.date | None
) -> None:
    """Refuse dates that would make `engagement` overlap another of the same person's."""
    client_id = engagement.client_id
    for other in store.find(j, client_id=client_id, scope="one"):
        if other.id == engagement.id:
            continue
        if other.ended_on is None and ended is None:
            raise Conflict(
                f"{_cap(_name(engagement))} already {_has(_name(engagement))} an open "
                f"engagement ({other.id}, started {other.started_on}).",
                hint=f"End or delete engagement {other.id} first.",
            )
        other_end = other.ended_on or dt.date.max
        this_end = ended or dt.date.max
        if started <= other_end and other.started_on <= this_end:
            raise Conflict(
                f"Those dates would overlap engagement {other.id} "
                f"({other.started_on} to {other.ended_on or 'now'}).",
                hint="Engagements of one person never overlap; choose other dates.",
            )


def _check_check_ins(
    j: Journal, engagement_id: int, started: dt.date, ended: dt.date | None
) -> None:
    """New dates must keep the end check-in after the start, the follow-up after the end."""
    for stage, limit, event in (("end", started, "start"), ("follow-up", ended, "end")):
        outcome_id = store.outcome_for_stage(j, engagement_id, stage)
        outcome = store.outcome_by_id(j, outcome_id) if outcome_id is not None else None
        if outcome is not None and limit is not None and outcome.on < limit:
            raise InvalidInput(
                f"That {event} ({limit}) is after the '{stage}' check-in of engagement "
                f"{engagement_id} ({outcome.on}).",
                hint=f"Check the date, or correct that check-in first: coachlog outcome "
                f"delete {outcome.id} --yes, then record it again.",
            )


def edit(
    j: Journal,
    engagement_id: int,
    *,
    on: str | None = None,
    ended: str | None = None,
    sessions: int | None = None,
    sponsor: str | None = None,
) -> Engagement:
    """Change only the named fields of an engagement; dates stay possible and unique.

    `sponsor=""` clears the sponsor. The start and end are things that happened
    (not after today), the end is not before the start, and the engagement never
    comes to overlap another of the same person's.
    """
    if on is None and ended is None and sessions is None and sponsor is None:
        raise InvalidInput(
            "Nothing to change.", hint="Give --on, --ended, --sessions or --sponsor."
        )
    start_day = None if on is None else dates.happened(dates.parse_date(on, "--on"), "--on")
    end_day = (
        None if ended is None else dates.happened(dates.parse_date(ended, "--ended"), "--ended")
    )
    if sessions is not None and not 1 <= sessions <= SESSIONS_MAX:
        raise InvalidInput(f"--sessions must be from 1 to {SESSIONS_MAX}, not {sessions}.")
    new_sponsor = _clean_sponsor(sponsor) if sponsor is not None else None
    with j.write():
        found = get(j, engagement_id)
        started = start_day or found.started_on
        finish = end_day if end_day is not None else found.ended_on
        if finish is not None and finish < started:
            raise InvalidInput(
                f"The end {finish} is before the engagement started ({started}).",
                hint="Give both --on and --ended if both are wrong.",
            )
        _check_no_overlap(j, found, started, finish)
        _check_check_ins(j, found.id, started, finish)
        changes: dict[str, object] = {}
        if start_day is not None:
            changes["started_on"] = start_day.isoformat()
        if end_day is not None:
            changes["ended_on"] = end_day.isoformat()
        if sessions is not None:
            changes["sessions_contracted"] = sessions
        if sponsor is not None:
            changes["sponsor"] = new_sponsor
        store.update(j, engagement_id, changes)
        return get(j, engagement_id)


def reopen(j: Journal, engagement_id: int) -> Engagement:
    """Open an ended engagement again (it was ended by mistake); its end is cleared."""
    with j.write():
        found = get(j, engagement_id)
        if found.ended_on is None:
            raise Conflict(
                f"Engagement {engagement_id} is open already.",
                hint=f"'coachlog engagement end {_ref(found)}' ends it.",
            )
        _check_no_overlap(j, found, found.started_on, None)
        store.update(j, engagement_id, {"ended_on": None})
        return get(j, engagement_id)


def check_ins(j: Journal, engagement_id: int) -> int:
    """How many outcome check-ins an engagement holds (they go with it when deleted)."""
    return store.count_outcomes(j, engagement_id)


def delete(j: Journal, engagement_id: int) -> tuple[Engagement, int]:
    """Delete an engagement and its outcome check-ins; sessions are not touched.

    Returns the engagement as it was and how many check-ins went with it.
    """
    with j.write():
        found = get(j, engagement_id)
        removed = store.count_outcomes(j, engagement_id)
        store.delete(j, engagement_id)
        return found, removed


def _name(e: Engagement) -> str:
    return e.client or "you"


def _ref(e: Engagement) -> str:
    return "--me" if e.client_id is None else str(e.client_id)


def list_engagements(
    j: Journal, client: str | None = None, *, me: bool = False, open_only: bool = False
) -> list[Engagement]:
    if client is None and not me:
        return store.find(j, open_only=open_only)
    client_id, _ = who(j, client, me)
    return store.find(j, client_id=client_id, scope="one", open_only=open_only)


def latest(j: Journal, client: str | None = None, *, me: bool = False) -> Engagement:
    """The person's open engagement, else their most recent one."""
    client_id, name = who(j, client, me)
    found = store.find(j, client_id=client_id, scope="one")
    if not found:
        ref = "--me" if client_id is None else str(client_id)
        raise NotFound(
            f"{_cap(name)} {_has(name)} no engagement yet.",
            hint=f"Start one with: coachlog engagement start {ref} --sessions 6",
        )
    open_ = [e for e in found if e.ended_on is None]
    return open_[0] if open_ else found[0]


def _cap(name: str) -> str:
    return "You" if name == "you" else name


def _has(name: str) -> str:
    return "have" if name == "you" else "has"
