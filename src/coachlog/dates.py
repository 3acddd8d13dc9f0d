"""Parsing the dates and times people type: ISO `YYYY-MM-DD`, `today`, `yesterday`, `HH:MM`.

One place for these rules so flags, prompts and file imports accept exactly the
same input and reject it with the same words.
"""

from __future__ import annotations

import datetime as dt

from coachlog.errors import InvalidInput


def today() -> dt.date:
    return dt.date.today()


def parse_date(value: str | dt.date, what: str = "date") -> dt.date:
    """Turn `today`, `yesterday` or `YYYY-MM-DD` into a date, or raise InvalidInput."""
    if isinstance(value, dt.date):
        return value
    text = value.strip().lower()
    if text == "today":
        return today()
    if text == "yesterday":
        return today() - dt.timedelta(days=1)
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise InvalidInput(
            f"{what.capitalize()} '{value}' is not a date: use YYYY-MM-DD, 'today' or 'yesterday'."
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what.capitalize()} '{value}' is not a real calendar date.") from None


def parse_time(value: str, what: str = "time") -> str:
    """Check `HH:MM` (24-hour) and return it normalised to two-digit fields."""
    text = value.strip()
    hours, sep, minutes = text.partition(":")
    if (
        not sep
        or not text.isascii()  # "²:30" has digits int() cannot read
        or not hours.isdigit()
        or not minutes.isdigit()
        or len(minutes) != 2
        or len(hours) > 2
        or not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59)
    ):
        raise InvalidInput(f"{what.capitalize()} '{value}' is not a time: use HH:MM, e.g. 09:30.")
    return f"{int(hours):02d}:{minutes}"


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
