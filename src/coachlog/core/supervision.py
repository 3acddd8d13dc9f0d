"""Use-cases for the coach's own supervision: log it, list it, and set it against coaching hours.

EMCC asks a coach for at least one hour of supervision per 35 hours of coaching
(the Association for Coaching uses 1:15 to 1:40 by level), so every report of
supervision carries the ratio over the same period and how much more supervision
would meet EMCC's minimum.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TypedDict

from coachlog import dates
from coachlog.errors import InvalidInput
from coachlog.models import Supervision
from coachlog.store import supervision as store
from coachlog.store.db import Journal

# Validation (pydantic) is imported by the functions that write, so that reading
# the journal starts without it.

# EMCC: at least 1 hour of supervision per this many hours of coaching.
EMCC_COACHING_HOURS_PER_SUPERVISION_HOUR = 35


class Ratio(TypedDict):
    """Supervision set against coaching over one period (the JSON shape of `ratio`)."""

    supervision_minutes: int
    coaching_minutes: int
    supervision_hours: float
    coaching_hours: float
    ratio: str | None  # "1:28.3" = 1 h supervision per 28.3 h coaching; None with no supervision
    coaching_hours_per_supervision_hour: float | None
    emcc_minimum: str
    meets_emcc: bool
    supervision_hours_needed: float  # more supervision needed to meet EMCC's 1:35


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def coaching_hours_per_supervision_hour(
    supervision_minutes: int, coaching_minutes: int
) -> float | None:
    """The "35" of "1:35", to one decimal; None with no supervision.

    The one place the ratio is rounded: `supervision list`, the hours log, the
    supervision pack and the bare overview all state it from here, so they agree.
    """
    return round(coaching_minutes / supervision_minutes, 1) if supervision_minutes else None


def ratio_of(supervision_minutes: int, coaching_minutes: int) -> Ratio:
    """The ratio for given totals; an hour of supervision per 35 of coaching meets EMCC."""
    per = EMCC_COACHING_HOURS_PER_SUPERVISION_HOUR
    value = coaching_hours_per_supervision_hour(supervision_minutes, coaching_minutes)
    needed_minutes = max(0.0, coaching_minutes / per - supervision_minutes)
    return Ratio(
        supervision_minutes=supervision_minutes,
        coaching_minutes=coaching_minutes,
        supervision_hours=hours(supervision_minutes),
        coaching_hours=hours(coaching_minutes),
        ratio=f"1:{value:g}" if value is not None else None,
        coaching_hours_per_supervision_hour=value,
        emcc_minimum=f"1:{per}",
        meets_emcc=supervision_minutes * per >= coaching_minutes,
        # Rounded up, so doing what it says always meets the minimum.
        supervision_hours_needed=math.ceil(needed_minutes / 60 * 100) / 100,
    )


def ratio(j: Journal, since: dt.date | None = None, until: dt.date | None = None) -> Ratio:
    supervision_minutes, coaching_minutes = store.minutes(j, since, until)
    return ratio_of(supervision_minutes, coaching_minutes)


def log(
    j: Journal,
    *,
    minutes: int | str | None,
    on: str | dt.date | None = None,
    supervisor: str | None = None,
    format: str | None = None,
    notes: str | None = None,
) -> Supervision:
    """Record one supervision session (one transaction)."""
    from coachlog.models.validation import SupervisionIn, validate

    fields: dict[str, Any] = {
        "on": dates.happened(dates.parse_date(on, "--on"), "--on")
        if on is not None
        else dates.today(),
        "minutes": minutes,
        "supervisor": supervisor,
        "notes": notes if notes and notes.strip() else None,
    }
    if format is not None:
        fields["format"] = format
    data = validate(SupervisionIn, **fields)
    with j.write():
        return store.insert(j, data)


def list_supervision(
    j: Journal, *, since: str | dt.date | None = None, until: str | dt.date | None = None
) -> list[Supervision]:
    """Supervision sessions in the period, oldest first."""
    return store.in_window(j, *window(since, until))


def window(
    since: str | dt.date | None, until: str | dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """Parse a --since/--until pair, refusing a period that ends before it starts."""
    start = dates.parse_date(since, "--since") if since is not None else None
    end = dates.parse_date(until, "--until") if until is not None else None
    if start and end and end < start:
        raise InvalidInput(f"--until {end} is before --since {start}.", hint="Swap the two dates.")
    return start, end


def get(j: Journal, supervision_id: int) -> Supervision:
    from coachlog.errors import NotFound

    found = store.by_id(j, supervision_id)
    if found is None:
        raise NotFound(
            f"No supervision {supervision_id}.",
            hint="'coachlog supervision list' shows supervision sessions with their ids.",
        )
    return found


def edit(
    j: Journal,
    supervision_id: int,
    *,
    on: str | dt.date | None = None,
    minutes: int | None = None,
    supervisor: str | None = None,
    format: str | None = None,
    notes: str | None = None,
) -> Supervision:
    """Change what is given of one supervision session; "" clears supervisor or notes."""
    from coachlog.models.validation import SupervisionIn, validate

    if all(v is None for v in (on, minutes, supervisor, format, notes)):
        raise InvalidInput(
            "Nothing to change.",
            hint="Give --on, --minutes, --supervisor, --format or --notes.",
        )
    day = dates.happened(dates.parse_date(on, "--on"), "--on") if on is not None else None
    with j.write():
        current = get(j, supervision_id)
        data = validate(
            SupervisionIn,
            on=current.on if day is None else day,
            minutes=current.minutes if minutes is None else minutes,
            supervisor=current.supervisor if supervisor is None else (supervisor or None),
            format=current.format if format is None else format,
            notes=current.notes if notes is None else (notes if notes.strip() else None),
        )
        store.update(j, supervision_id, data)
        return get(j, supervision_id)


def delete(j: Journal, supervision_id: int) -> Supervision:
    """Delete one supervision session; returns what was deleted."""
    with j.write():
        found = get(j, supervision_id)
        store.delete(j, supervision_id)
        return found
