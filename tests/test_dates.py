"""The date grammar: every form people naturally type, through the real CLI and
for every day (hypothesis), and the one error that lists every form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachlog import dates
from coachlog.cli.prompts import date_validator
from coachlog.errors import InvalidInput

TODAY = dt.date.today()


def _weekday_before(day: dt.date, weekday: int) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() != weekday:
        day -= dt.timedelta(days=1)
    return day


def _weekday_after(day: dt.date, weekday: int) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("last friday", _weekday_before(TODAY, 4)),
        ("2 days ago", TODAY - dt.timedelta(days=2)),
        ("next monday", _weekday_after(TODAY, 0)),
        ("tomorrow", TODAY + dt.timedelta(days=1)),
        ("1/12/2026", dt.date(2026, 12, 1)),
        ("2026-12-1", dt.date(2026, 12, 1)),
        ("in 2 weeks", TODAY + dt.timedelta(days=14)),
        ("  Last   FRIDAY ", _weekday_before(TODAY, 4)),
    ],
)
def test_action_due_dates_people_type_are_stored(cli_json, typed, expected):
    made = cli_json("action", "add", "Book a 1:1", "--due", typed)
    assert made["due"] == expected.isoformat()


def test_since_a_month_means_the_whole_month(cli_json):
    cli_json("client", "add", "Ann Smith")
    for day in ("2026-10-31", "2026-11-01", "2026-11-30", "2026-12-01"):
        cli_json("session", "log", "-c", "Ann Smith", "-m", "30", "--on", day)
    found = cli_json("session", "list", "--since", "2026-11", "--until", "2026-11")
    assert sorted(s["on"] for s in found) == ["2026-11-01", "2026-11-30"]
    feb = cli_json("session", "list", "--since", "2024-02", "--until", "2024-02")
    assert feb == []


def test_a_month_is_refused_for_a_single_day(cli):
    result = cli("action", "add", "Book", "--due", "2026-11")
    assert result.exit_code == 2
    assert "a month, not a day" in result.stderr


@pytest.mark.parametrize(
    "typed", ["March", "1/12/26", "1/12", "12/31/2026", "last week", "2026/12/01"]
)
def test_a_bad_date_error_lists_every_form(cli, typed):
    result = cli("session", "list", "--since", typed)
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert err.startswith("Error: --since")
    for form in (
        "2026-12-01",
        "2026-12-1",
        "1/12/2026",
        "today",
        "yesterday",
        "tomorrow",
        "last friday",
        "next friday",
        "3 days ago",
        "2 weeks ago",
        "in 3 days",
        "in 2 weeks",
        "2026-11",
    ):
        assert form in err, form


def test_the_prompt_validator_accepts_the_same_grammar():
    check = date_validator("date")
    assert check("last friday") is None
    assert check("1/12/2026") is None
    assert check("1/12/26") is not None


days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9000, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=days, base=days, weekday=st.sampled_from(dates.WEEKDAYS))
def test_grammar_holds_for_every_day(day, base, weekday):
    parse = dates.parse_date
    # Every written form of a date reads back as that date.
    for text in (
        day.isoformat(),
        f"{day.year}-{day.month}-{day.day}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
    ):
        assert parse(text, on=base) == day
    n = dates.WEEKDAYS.index(weekday)
    nxt, last = parse(f"next {weekday}", on=base), parse(f"last {weekday}", on=base)
    assert nxt.weekday() == last.weekday() == n
    assert 1 <= (nxt - base).days <= 7 and 1 <= (base - last).days <= 7
    back, ahead = parse(weekday, on=base), parse(weekday, "due date", on=base)
    assert back.weekday() == ahead.weekday() == n
    assert 0 <= (base - back).days <= 6 and 0 <= (ahead - base).days <= 6
    assert parse("3 weeks ago", on=base) == base - dt.timedelta(days=21)
    # A month: since is its first day, until its last.
    month = f"{day.year}-{day.month:02d}"
    start, end = parse(month, "--since"), parse(month, "--until")
    assert start == day.replace(day=1) and end.month == day.month and end >= day
    assert (end + dt.timedelta(days=1)).day == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_anything_else_is_an_invalid_input_never_a_crash(text):
    try:
        dates.parse_date(text, "--on")
    except InvalidInput as exc:
        assert exc.exit_code == 2


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("09:30", "09:30"),
        ("9:30", "09:30"),
        ("9.30", "09:30"),  # how times are written in the UK
        ("21:00", "21:00"),
        ("9am", "09:00"),
        ("9.30am", "09:30"),
        ("9:30 PM", "21:30"),
        ("12pm", "12:00"),
        ("12.15am", "00:15"),
    ],
)
def test_session_start_times_people_type_are_stored(cli, cli_json, typed, stored):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    logged = cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--at", typed)
    assert logged["at"] == stored


@pytest.mark.parametrize("typed", ["9", "930", "24:00", "9:5", "13pm", "0am", "9:60", "9,30"])
def test_an_unclear_time_is_refused_with_the_forms_it_takes(cli, typed):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    result = cli("session", "log", "-c", "Ann Smith", "-m", "60", "--at", typed)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:") and "9.30" in result.stderr
    assert "9.30pm" in result.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=10))
def test_any_time_text_is_a_time_or_an_invalid_input(text):
    try:
        hh, mm = dates.parse_time(text, "--at").split(":")
    except InvalidInput as exc:
        assert exc.exit_code == 2
    else:
        assert 0 <= int(hh) <= 23 and 0 <= int(mm) <= 59
