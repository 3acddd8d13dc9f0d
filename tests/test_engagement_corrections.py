"""Issue 12 for engagements and outcome check-ins: correctable, removable, dated sanely.

An engagement started with the wrong date, count or sponsor, or ended by mistake,
can be corrected (`engagement edit`, `engagement reopen`) and removed
(`engagement delete`); things that happened are not dated after today; deleting
asks through the one confirmation path like every other delete.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
D = [(TODAY - dt.timedelta(days=n)).isoformat() for n in range(0, 200)]


@pytest.fixture
def ann(cli_json):
    cli_json("client", "add", "Ann Smith")
    return cli_json(
        "engagement", "start", "Ann Smith", "--sessions", "6", "--sponsor", "HR", "--on", D[100]
    )


def _engagements(rows):
    return rows("SELECT * FROM engagements ORDER BY id")


@pytest.mark.parametrize(
    "command",
    [
        ["engagement", "start", "Ann Smith", "--on", TOMORROW],
        ["engagement", "end", "Ann Smith", "--on", TOMORROW],
        ["outcome", "record", "Ann Smith", "--stage", "before", "--on", TOMORROW, "--team", "4"],
    ],
)
def test_engagement_and_outcome_dates_are_not_after_today(cli, cli_json, rows, command):
    cli_json("client", "add", "Ann Smith")
    if command[1] != "start":
        cli_json("engagement", "start", "Ann Smith", "--on", D[10])
    before = (_engagements(rows), rows("SELECT * FROM outcomes"))
    result = cli(*command)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: --on ") and "after today" in result.stderr
    assert (_engagements(rows), rows("SELECT * FROM outcomes")) == before


def test_outcome_delete_asks_through_the_prompter_and_no_is_130(
    cli, cli_json, rows, ann, say_at_prompt
):
    cli_json("outcome", "record", "Ann Smith", "--stage", "before", "--on", D[100], "--team", "4")
    asked = say_at_prompt(False)
    result = cli("outcome", "delete", "1", "--json")
    assert result.exit_code == 130, result.stderr
    assert result.stdout == "" and "nothing saved" in result.stderr
    assert len(asked) == 1 and "Ann Smith" in asked[0]
    assert len(rows("SELECT * FROM outcomes")) == 1
    say_at_prompt(True)
    result = cli("outcome", "delete", "1", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == 1
    assert rows("SELECT * FROM outcomes") == []


def test_engagement_edit_changes_only_what_is_named(cli, cli_json, rows, ann):
    before = _engagements(rows)[0]
    edited = cli_json("engagement", "edit", "1", "--sessions", "8")
    assert edited["sessions_contracted"] == 8
    after = _engagements(rows)[0]
    assert {k: v for k, v in after.items() if k != "sessions_contracted"} == {
        k: v for k, v in before.items() if k != "sessions_contracted"
    }
    assert cli_json("engagement", "edit", "1", "--on", D[120])["started_on"] == D[120]
    assert cli_json("engagement", "edit", "1", "--sponsor", "")["sponsor"] is None
    ended = cli_json("engagement", "edit", "1", "--ended", D[20])
    assert ended["ended_on"] == D[20] and ended["sessions_contracted"] == 8
    assert ended["started_on"] == D[120]
    nothing = cli("engagement", "edit", "1")
    assert nothing.exit_code == 2 and nothing.stderr.startswith("Error: Nothing to change")


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--on", TOMORROW], "after today"),
        (["--ended", TOMORROW], "after today"),
        (["--ended", D[150]], "before the engagement started"),
        (["--on", D[5], "--ended", D[10]], "before the engagement started"),
        (["--sessions", "0"], "--sessions must be from 1"),
    ],
)
def test_engagement_edit_refuses_impossible_values(cli, cli_json, rows, ann, flags, words):
    before = _engagements(rows)
    result = cli("engagement", "edit", "1", *flags)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert "Traceback" not in result.stderr
    assert _engagements(rows) == before


def test_engagement_edit_and_reopen_never_overlap_another(cli, cli_json, rows, ann):
    cli_json("engagement", "end", "Ann Smith", "--on", D[50])
    cli_json("engagement", "start", "Ann Smith", "--on", D[40])
    before = _engagements(rows)
    overlap = cli("engagement", "edit", "1", "--ended", D[40])
    assert overlap.exit_code == 1 and "overlap" in overlap.stderr
    reopen = cli("engagement", "reopen", "1")
    assert reopen.exit_code == 1 and "open engagement" in reopen.stderr
    assert _engagements(rows) == before
    cli_json("engagement", "delete", "2", "--yes")
    reopened = cli_json("engagement", "reopen", "1")
    assert reopened["ended_on"] is None and reopened["follow_up_due"] is None
    again = cli("engagement", "reopen", "1")
    assert again.exit_code == 1 and "open already" in again.stderr


def test_engagement_delete_takes_its_check_ins_keeps_sessions_and_ids(
    cli, cli_json, rows, ann, say_at_prompt
):
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", D[90])
    cli_json("outcome", "record", "Ann Smith", "--stage", "before", "--on", D[100], "--team", "4")
    script = cli("engagement", "delete", "1")
    assert script.exit_code == 1 and "--yes" in script.stderr
    asked = say_at_prompt(False)
    declined = cli("engagement", "delete", "1")
    assert declined.exit_code == 130 and declined.stdout == ""
    assert "1 outcome check-in" in asked[0]
    assert len(_engagements(rows)) == 1
    deleted = cli_json("engagement", "delete", "1", "--yes")
    assert deleted["id"] == 1
    assert _engagements(rows) == [] and rows("SELECT * FROM outcomes") == []
    assert len(rows("SELECT * FROM sessions")) == 1
    assert cli_json("engagement", "start", "Ann Smith", "--on", D[10])["id"] == 2
    missing = cli("engagement", "delete", "1", "--yes")
    assert missing.exit_code == 1 and "No engagement 1" in missing.stderr


@pytest.mark.parametrize("command", ["edit", "reopen", "delete"])
def test_new_engagement_commands_have_an_example(cli, command):
    result = cli("engagement", command, "--help")
    assert result.exit_code == 0 and "Example: coachlog engagement " + command in result.stdout


def test_an_end_or_follow_up_check_in_is_not_dated_before_it_could_happen(
    cli, cli_json, rows, ann
):
    """The end check-in is not before the engagement started, the follow-up not
    before it ended; the 'before' check-in may predate the start."""
    early_end = cli(
        "outcome", "record", "Ann Smith", "--stage", "end", "--on", D[150], "--team", "5"
    )
    assert early_end.exit_code == 2, early_end.stderr
    assert f"before engagement 1 started ({D[100]})" in early_end.stderr
    cli_json("engagement", "end", "Ann Smith", "--on", D[30])
    early_follow = cli(
        "outcome", "record", "Ann Smith", "--stage", "follow-up", "--on", D[40], "--team", "5"
    )
    assert early_follow.exit_code == 2, early_follow.stderr
    assert f"before engagement 1 ended ({D[30]})" in early_follow.stderr
    assert rows("SELECT * FROM outcomes") == []
    before = "outcome", "record", "Ann Smith", "--stage", "before", "--on", D[110], "--team", "3"
    assert cli_json(*before)["on"] == D[110]
    assert (
        cli_json(
            "outcome", "record", "Ann Smith", "--stage", "follow-up", "--on", D[1], "--team", "7"
        )["on"]
        == D[1]
    )


def test_engagement_edit_keeps_its_check_ins_possible(cli, cli_json, rows, ann):
    cli_json("engagement", "end", "Ann Smith", "--on", D[30])
    cli_json("outcome", "record", "Ann Smith", "--stage", "end", "--on", D[30], "--team", "5")
    cli_json(
        "outcome", "record", "Ann Smith", "--stage", "follow-up", "--on", D[10], "--team", "6"
    )
    before = _engagements(rows)
    late_start = cli("engagement", "edit", "1", "--on", D[20], "--ended", D[15])
    assert late_start.exit_code == 2 and "'end' check-in" in late_start.stderr
    late_end = cli("engagement", "edit", "1", "--ended", D[5])
    assert late_end.exit_code == 2 and "'follow-up' check-in" in late_end.stderr
    assert _engagements(rows) == before
    assert cli_json("engagement", "edit", "1", "--ended", D[25])["ended_on"] == D[25]
