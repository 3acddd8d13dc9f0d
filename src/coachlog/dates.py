"""Parsing the dates and times people type, by one small closed grammar.

One place for these rules so flags, prompts and file imports accept exactly the
same input and reject it with the same words. The grammar (case and extra spaces
do not matter):

- `2026-12-01` or `2026-12-1`: ISO year-month-day, zero padding optional.
- `1/12/2026` or `1.12.2026`: day/month/year as written in the UK (1 December);
  the year has four digits (`1/12/26` is refused, never guessed).
- `today`, `yesterday`, `tomorrow`.
- `friday` (or `fri`): the nearest Friday, today included, looking back, since
  coachlog mostly records what happened; in a due date it looks ahead instead.
- `last friday`: the last Friday before today; `next friday`: the first Friday
  after today (never today itself).
- `3 days ago`, `2 weeks ago`, `in 3 days`, `in 2 weeks` (`1 day`, `a week` too).
- `2026-11` for `--since`/`--until` only: the whole month (since its first day,
  until its last day).

Nothing else is accepted, and the error for anything else lists every form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from coachlog.errors import InvalidInput

Period = Literal["start", "end"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = {name: i for i, name in enumerate(WEEKDAYS)} | {
    name[:3]: i for i, name in enumerate(WEEKDAYS)
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_UK = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d+)", re.ASCII)
_RELATIVE_AGO = re.compile(r"(\d{1,4}|an?|one) (day|week)s? ago", re.ASCII)
_RELATIVE_IN = re.compile(r"in (\d{1,4}|an?|one) (day|week)s?", re.ASCII)

FORMS = (
    "2026-12-01 or 2026-12-1, 1/12/2026 (day/month/year), today, yesterday, "
    "tomorrow, friday, last friday, next friday, 3 days ago, 2 weeks ago, "
    "in 3 days, in 2 weeks"
)
MONTH_FORM = "2026-11 (a whole month)"


def today() -> dt.date:
    return dt.date.today()


def forms(period: Period | None = None) -> str:
    """Every form the grammar accepts, for hints and prompt instructions."""
    return FORMS + (f", {MONTH_FORM}" if period else "")


def parse_date(
    value: str | dt.date,
    what: str = "date",
    *,
    ahead: bool | None = None,
    period: Period | None = None,
    on: dt.date | None = None,
) -> dt.date:
    """Turn any form of the grammar into a date, or raise InvalidInput.

    `ahead`: a bare weekday looks forward (default: when `what` names a due date).
    `period`: "start"/"end" lets `YYYY-MM` mean a month's first/last day (default:
    for `--since`/`--until`). `on` is the day to count from (default today).
    """
    if isinstance(value, dt.date):
        return value
    if ahead is None:
        ahead = "due" in what.lower()
    if period is None and what in ("--since", "--until"):
        period = "start" if what == "--since" else "end"
    base = on or today()
    text = " ".join(value.strip().lower().split())
    label = what.capitalize()
    try:
        found = _parse(text, base, ahead, period)
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"{label} '{value}' is not a real calendar date.",
            hint=f"Dates: {forms(period)}.",
        ) from None
    if found is None:
        if _MONTH.fullmatch(text) and period is None:
            raise InvalidInput(
                f"{label} '{value}' is a month, not a day.",
                hint="A whole month works only with --since and --until; "
                f"here use a day: {forms()}.",
            )
        raise InvalidInput(
            f"{label} '{value}' is not a date.", hint=f"Use one of: {forms(period)}."
        )
    return found


def _count(word: str) -> int:
    return 1 if word in ("a", "an", "one") else int(word)


def _parse(text: str, base: dt.date, ahead: bool, period: Period | None) -> dt.date | None:
    if text == "today":
        return base
    if text == "yesterday":
        return base - dt.timedelta(days=1)
    if text == "tomorrow":
        return base + dt.timedelta(days=1)
    if text in _WEEKDAY:
        gap = (_WEEKDAY[text] - base.weekday()) % 7
        return base + dt.timedelta(days=gap) if ahead else base - dt.timedelta(days=(-gap) % 7)
    word, _, day = text.partition(" ")
    if word in ("last", "next") and day in _WEEKDAY:
        if word == "next":
            return base + dt.timedelta(days=(_WEEKDAY[day] - base.weekday() - 1) % 7 + 1)
        return base - dt.timedelta(days=(base.weekday() - _WEEKDAY[day] - 1) % 7 + 1)
    for pattern, sign in ((_RELATIVE_AGO, -1), (_RELATIVE_IN, 1)):
        if match := pattern.fullmatch(text):
            days = _count(match[1]) * (7 if match[2] == "week" else 1)
            return base + sign * dt.timedelta(days=days)
    if match := _ISO.fullmatch(text):
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _UK.fullmatch(text):
        if len(match[4]) != 4:
            return None
        return dt.date(int(match[4]), int(match[3]), int(match[1]))
    if period and (match := _MONTH.fullmatch(text)):
        first = dt.date(int(match[1]), int(match[2]), 1)
        if period == "start":
            return first
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return None


# A start time as people write it: 24-hour "09:30" or "9:30", the UK's "9.30", or
# the 12-hour clock with am/pm ("9am", "9.30pm"). A bare "9" or "930" is refused:
# nine in the morning or the evening is a guess coachlog does not make.
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?")
TIME_FORMS = "09:30, 9:30, 9.30, 9am, 9.30pm"


def parse_time(value: str, what: str = "time") -> str:
    """A start time (see `_TIME`) as `HH:MM` on the 24-hour clock."""
    text = value.strip().lower()
    match = _TIME.fullmatch(text) if text.isascii() else None  # "²:30" is no time
    problem = match is None
    if match is not None:
        hours, minutes, half = match.group(1), match.group(2), match.group(3)
        hour, minute = int(hours), int(minutes or 0)
        if half is None:
            problem = minutes is None or hour > 23
        else:
            problem = not 1 <= hour <= 12
            hour = hour % 12 + (12 if half == "pm" else 0)
        problem = problem or minute > 59
    if problem or match is None:
        raise InvalidInput(
            f"{what.capitalize()} '{value}' is not a time: write it as one of "
            f"{TIME_FORMS} (a bare hour needs am or pm)."
        )
    return f"{hour:02d}:{minute:02d}"


def happened(day: dt.date, what: str) -> dt.date:
    """A record of something that happened (a session, a score) is not dated after today."""
    now = today()
    if day > now:
        raise InvalidInput(
            f"{what} {day.isoformat()} is after today ({now.isoformat()}): "
            "this records something that happened, so it cannot be in the future.",
            hint="Check the date; only due dates (--due) may be in the future.",
        )
    return day


def not_before(day: dt.date, limit: dt.date, what: str, limit_name: str, hint: str) -> dt.date:
    """Refuse `day` earlier than `limit`, naming both (e.g. a score before its goal was set)."""
    if day < limit:
        raise InvalidInput(
            f"{what} {day.isoformat()} is before {limit_name} ({limit.isoformat()}).", hint=hint
        )
    return day
