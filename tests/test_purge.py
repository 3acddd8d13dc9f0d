"""`db purge --before DATE`: old sessions, reflections and scores go, and their bytes too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import ENCRYPTED

OLD_WORDS = ["oldsessionword", "oldprivateword", "oldreflectionword", "oldscorenote", "oldaction"]
NEW_WORDS = ["newsessionword", "newreflectionword", "newscorenote", "standaloneaction"]


def on_disk(journal: Path, word: str) -> bool:
    data = b"".join(
        Path(str(journal) + s).read_bytes()
        for s in ("", "-wal", "-shm")
        if Path(str(journal) + s).exists()
    )
    return word.encode() in data


def populate(cli_json) -> int:
    cli_json("client", "add", "Ann Smith")
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", "2023-05-01",
             "--theme", "team", "--card", "mindset", "--notes", "oldsessionword",
             "--private-notes", "oldprivateword", "--action", "oldaction to do")  # fmt: skip
    cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", "2024-01-01",
             "--notes", "newsessionword")  # fmt: skip
    cli_json("reflect", "--text", "oldreflectionword", "--on", "2023-12-31", "--tag", "x")
    cli_json("reflect", "--text", "newreflectionword", "--on", "2024-02-01")
    goal = cli_json("goal", "add", "Delegate more", "-c", "Ann Smith", "--score", "2",
                    "--on", "2023-06-01")  # fmt: skip
    cli_json("goal", "rate", str(goal["id"]), "4", "--on", "2023-07-01", "--note", "oldscorenote")
    cli_json("goal", "rate", str(goal["id"]), "7", "--on", "2024-03-01", "--note", "newscorenote")
    # An action with no session stays, however old: purge removes dated notes only.
    cli_json("action", "add", "standaloneaction", "-c", "Ann Smith")
    return int(goal["id"])


def test_purge_removes_entries_before_the_date_and_keeps_the_rest(cli_json, rows, journal_path):
    goal_id = populate(cli_json)
    # (an encrypted journal has no plain words on disk to begin with)
    assert ENCRYPTED or all(on_disk(journal_path, w) for w in OLD_WORDS)

    report = cli_json("db", "purge", "--before", "2024-01-01", "--purge-open", "--yes")

    assert report == {
        "before": "2024-01-01",
        "removed": {
            "sessions": 1,
            "actions": 1,
            "reflections": 1,
            "goal_scores": 2,  # the baseline of 2023-06-01 and the check-in of 2023-07-01
            "assessments": 0,
            "shared_sessions": 0,  # a coachee's sessions from their coach
            "labels": 3,  # session theme and card, reflection tag
            "search_entries": 3,  # session, its action, reflection
        },
        "kept_open_actions": 0,
        "baselines_moved": [
            {
                "goal_id": goal_id,
                "title": "Delegate more",
                "baseline": 2,
                "baseline_on": "2023-06-01",
                "new_baseline": 7,
                "new_baseline_on": "2024-03-01",
            }
        ],
        "sessions_held_moved": [],
        "scrubbed": True,
    }
    assert [s["on"] for s in cli_json("session", "list")] == ["2024-01-01"]
    assert [r["text"] for r in cli_json("reflection", "list")] == ["newreflectionword"]
    goal = cli_json("goal", "show", str(goal_id))
    assert [(s["on"], s["score"]) for s in goal["scores"]] == [("2024-03-01", 7)]
    assert [a["text"] for a in cli_json("action", "list")] == ["standaloneaction"]
    assert [c["name"] for c in cli_json("client", "list")] == ["Ann Smith"]
    assert rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert rows("PRAGMA foreign_key_check") == []
    assert cli_json("search", "oldsessionword") == []
    assert len(cli_json("search", "newsessionword")) == 1

    assert [w for w in OLD_WORDS if on_disk(journal_path, w)] == []
    assert ENCRYPTED or [w for w in NEW_WORDS if not on_disk(journal_path, w)] == []


def test_purge_keeps_the_day_itself_and_can_run_twice(cli_json):
    populate(cli_json)
    first = cli_json("db", "purge", "--before", "2023-05-01", "--yes")
    assert set(first["removed"].values()) == {0}
    cli_json("db", "purge", "--before", "2023-05-02", "--yes")
    again = cli_json("db", "purge", "--before", "2023-05-02", "--yes")
    assert set(again["removed"].values()) == {0}


def test_without_yes_a_script_is_refused(cli, cli_json, rows):
    populate(cli_json)
    result = cli("db", "purge", "--before", "2024-01-01", "--purge-open")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: Purging entries dated before 2024-01-01 removes 1 session, 1 action, "
        "1 reflection, 2 goal scores"
    )
    assert "--yes" in result.stderr
    assert len(rows("SELECT * FROM sessions")) == 2
    assert len(rows("SELECT * FROM goal_scores")) == 3


def test_in_a_terminal_it_asks(cli, cli_json, rows, say_at_prompt):
    populate(cli_json)
    say_at_prompt(False)
    declined = cli("db", "purge", "--before", "2024-01-01")
    assert declined.exit_code == 130
    assert len(rows("SELECT * FROM sessions")) == 2
    say_at_prompt(True)
    accepted = cli("db", "purge", "--before", "2024-01-01")
    assert accepted.exit_code == 0, accepted.stderr
    assert "Purged entries dated before 2024-01-01: removed 1 session" in accepted.stderr
    assert len(rows("SELECT * FROM sessions")) == 1


@pytest.mark.parametrize(
    "value",
    ["2024-13-01", "2024-02-30", "02/13/2024", "", "last year", "'; DROP TABLE sessions; --"],
)
def test_bad_dates_are_usage_errors(cli, cli_json, rows, value):
    populate(cli_json)
    result = cli("db", "purge", "--before", value, "--yes")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert len(rows("SELECT * FROM sessions")) == 2


def test_a_future_date_is_refused(cli, cli_json, rows):
    populate(cli_json)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    result = cli("db", "purge", "--before", tomorrow, "--yes")
    assert result.exit_code == 2
    assert "in the future" in result.stderr
    assert len(rows("SELECT * FROM sessions")) == 2
    # Today is allowed: it purges everything dated before today.
    assert cli_json("db", "purge", "--before", "today", "--yes")["removed"]["sessions"] == 2


def test_missing_before_is_a_usage_error(cli):
    result = cli("db", "purge", "--yes")
    assert result.exit_code == 2
    assert "--before" in result.stderr


def test_found_4_purge_keeps_open_actions_and_names_moving_baselines(cli, cli_json, rows):
    """Issue 12, Found 4: open actions were deleted and baselines moved without a word."""
    goal_id = populate(cli_json)
    preview = cli("db", "purge", "--before", "2024-01-01")
    assert preview.exit_code == 1
    assert "1 open action of those sessions is kept" in preview.stderr
    assert f"Goal {goal_id} would start from 7/10 on 2024-03-01, not 2/10 on 2023-06-01" in (
        preview.stderr
    )
    report = cli_json("db", "purge", "--before", "2024-01-01", "--yes")
    assert report["kept_open_actions"] == 1
    assert report["removed"]["actions"] == 0
    assert [g["goal_id"] for g in report["baselines_moved"]] == [goal_id]
    kept = rows("SELECT text, session_id, client_id FROM actions ORDER BY id")
    assert kept[0] == {"text": "oldaction to do", "session_id": None, "client_id": 1}
    assert {a["text"] for a in cli_json("action", "list", "--open")} == {
        "oldaction to do",
        "standaloneaction",
    }


def test_purge_removes_done_actions_of_purged_sessions(cli_json, rows):
    populate(cli_json)
    cli_json("action", "done", "1", "--on", "2023-05-02")
    report = cli_json("db", "purge", "--before", "2024-01-01", "--yes")
    assert (report["kept_open_actions"], report["removed"]["actions"]) == (0, 1)
    assert [r["text"] for r in rows("SELECT text FROM actions")] == ["standaloneaction"]


def test_purge_names_engagements_whose_sessions_held_would_fall(cli, cli_json, rows):
    # Purging old sessions also changes "4 of 4" to "2 of 4" in engagement list and the
    # outcomes export's sessions_held: the preview says so, as it does for baselines.
    cli_json("client", "add", "Ann Smith")
    cli_json("engagement", "start", "Ann Smith", "--sessions", "4", "--on", "2023-09-01")
    for day in ("2023-09-02", "2023-09-20", "2024-01-10", "2024-02-01"):
        cli_json("session", "log", "-c", "Ann Smith", "-m", "60", "--on", day)
    cli_json("engagement", "end", "Ann Smith", "--on", "2024-02-02")
    cli_json("client", "add", "Bob Jones")  # an engagement the purge does not touch
    cli_json("engagement", "start", "Bob Jones", "--sessions", "3", "--on", "2024-01-05")
    cli_json("session", "log", "-c", "Bob Jones", "-m", "60", "--on", "2024-01-06")

    preview = cli("db", "purge", "--before", "2024-01-01")
    assert preview.exit_code == 1
    assert "Engagement 1 would show 2 of 4 sessions held, not 4 of 4." in preview.stderr
    assert "Engagement 2" not in preview.stderr
    assert len(rows("SELECT id FROM sessions")) == 5  # the preview removed nothing

    report = cli_json("db", "purge", "--before", "2024-01-01", "--yes")
    assert report["sessions_held_moved"] == [
        {"engagement_id": 1, "contracted": 4, "held": 4, "new_held": 2}
    ]
    assert cli_json("engagement", "show", "1")["sessions_held"] == 2
