"""`coachlog action ...`: add, list (open, overdue, by client), done, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date.today()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def ann(cli_json):
    return cli_json("client", "add", "Ann Smith")


def _refused(result, code):
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_add_for_a_client_and_for_oneself(ann, cli_json, rows):
    theirs = cli_json(
        "action", "add", "Draft the board paper", "-c", "ann smith", "--due", TOMORROW
    )
    assert theirs == {
        "id": 1,
        "text": "Draft the board paper",
        "due": TOMORROW,
        "done_on": None,
        "client_id": ann["id"],
        "client": "Ann Smith",
        "session_id": None,
        "created_on": TODAY.isoformat(),
    }
    mine = cli_json("action", "add", "Book supervision")
    assert (mine["client"], mine["client_id"], mine["due"]) == (None, None, None)
    assert rows("SELECT client_id, text FROM actions ORDER BY id") == [
        {"client_id": 1, "text": "Draft the board paper"},
        {"client_id": None, "text": "Book supervision"},
    ]
    assert [r["kind"] for r in rows("SELECT kind FROM search_index")] == ["action", "action"]


def test_session_actions_belong_to_the_sessions_client(ann, cli_json):
    cli_json("client", "add", "Bob")
    cli_json("session", "log", "-c", "Bob", "-m", "30", "--action", "Talk to the team")
    listed = cli_json("action", "list", "--client", "Bob")
    assert [(a["text"], a["client"], a["session_id"]) for a in listed] == [
        ("Talk to the team", "Bob", 1)
    ]
    assert cli_json("action", "list", "--client", "Ann Smith") == []


def test_list_open_overdue_and_order(ann, cli_json):
    cli_json("action", "add", "Later", "-c", "1", "--due", TOMORROW)
    cli_json("action", "add", "Undated", "-c", "1")
    cli_json("action", "add", "Late", "-c", "1", "--due", YESTERDAY)
    cli_json("action", "add", "Finished", "--due", "2026-01-01")
    cli_json("action", "done", "4")

    def texts(*args):
        return [a["text"] for a in cli_json("action", "list", *args)]

    # Open first, soonest due first, undated after dated, done last.
    assert texts() == ["Late", "Later", "Undated", "Finished"]
    assert texts("--open") == ["Late", "Later", "Undated"]
    assert texts("--overdue") == ["Late"]
    assert texts("--overdue", "--client", "Ann Smith") == ["Late"]


def test_list_is_an_empty_array(cli_json):
    assert cli_json("action", "list") == []
    assert cli_json("action", "list", "--overdue") == []


def test_done_records_the_date_and_twice_is_a_conflict(ann, cli, cli_json, rows):
    cli_json("action", "add", "Read the report", "-c", "1")
    done = cli_json("action", "done", "1", "--on", "today")
    assert done["done_on"] == TODAY.isoformat()
    again = cli("action", "done", "1")
    _refused(again, 1)
    assert "already" in again.stderr
    assert rows("SELECT done_on FROM actions") == [{"done_on": TODAY.isoformat()}]
    assert cli_json("action", "add", "Another")["id"] == 2
    assert cli_json("action", "done", "2")["done_on"] == TODAY.isoformat()


def test_human_list_shows_status_and_text_verbatim(ann, cli, cli_json):
    cli_json("action", "add", "Fix [/bold] rota", "-c", "1", "--due", YESTERDAY)
    cli_json("action", "add", "Mine")
    result = cli("action", "list")
    assert result.exit_code == 0
    assert "Fix [/bold] rota" in result.stdout
    assert "overdue" in result.stdout
    assert "(me)" in result.stdout
    human = cli("action", "add", "Call Bob", "-c", "1", "--due", TOMORROW)
    assert human.stdout == ""
    assert human.stderr.startswith("Added action 3 for Ann Smith")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["add", ""], 2),
        (["add", "two\nlines"], 2),
        (["add", "x" * 501], 2),
        (["add", "Fine", "--due", "2026-02-30"], 2),
        (["add", "Fine", "--client", "Nobody"], 1),
        (["done", "99"], 1),
        (["done", "one"], 2),
        (["list", "--client", "Nobody"], 1),
    ],
)
def test_bad_input_is_one_error_and_nothing_written(ann, cli, rows, args, code):
    _refused(cli("action", *args), code)
    assert rows("SELECT * FROM actions") == []


def test_bad_done_date_leaves_the_action_open(ann, cli, cli_json, rows):
    cli_json("action", "add", "Something", "-c", "1")
    _refused(cli("action", "done", "1", "--on", "2026-02-30"), 2)
    assert rows("SELECT done_on FROM actions") == [{"done_on": None}]


def test_action_list_pages_like_session_list(cli, cli_json):
    # Issue 14: at 100k actions `action list` printed every one (92 s). It now shows
    # the first 20 (open first, soonest due) and says how to see the rest.
    for n in range(25):
        cli_json("action", "add", f"Task {n:02d}", "--due", f"2030-01-{n + 1:02d}")
    cli_json("action", "done", "1")
    shown = cli_json("action", "list")
    assert [a["text"] for a in shown] == [f"Task {n:02d}" for n in range(1, 21)]
    assert len(cli_json("action", "list", "--limit", "0")) == 25
    assert len(cli_json("action", "list", "-n", "3")) == 3
    table = cli("action", "list")
    assert table.exit_code == 0
    assert "Showing the first 20; --limit 0 shows them all." in table.stderr
    assert "Task 21" not in table.stdout
    assert "--limit" not in cli("action", "list", "--limit", "25").stderr


def test_a_due_date_count_that_does_not_match_is_said_in_plain_english(cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    result = cli("session", "log", "-c", "Ann Smith", "-m", "60", "--action", "A",
                 "--action", "B", "--action-due", "friday")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: 1 --action-due was given for 2 --action:")
