"""Engagements: a contract of sessions with a client, counted as "session 3 of 6".

Driven through the CLI on a real journal: start, end, list, show; the engagement
place every session gets in `--json`, lists, `session show`, `prep` and the
overview; the one-open-at-a-time and no-overlap rules; follow-ups due.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachlog.store.engagements import add_months


@pytest.fixture
def ann(cli_json):
    cli_json("client", "add", "Ann Smith")
    return cli_json(
        "engagement",
        "start",
        "Ann Smith",
        "--sessions",
        "6",
        "--sponsor",
        "HR",
        "--on",
        "2026-01-05",
    )


def _log(cli_json, on: str, client: str = "Ann Smith") -> dict:
    return cli_json("session", "log", "-c", client, "-m", "60", "--on", on)


def test_a_session_inside_an_engagement_is_numbered_n_of_contracted(cli_json, ann):
    assert ann["sessions_contracted"] == 6 and ann["sponsor"] == "HR"
    before = _log(cli_json, "2026-01-01")  # before it started: not part of it
    sessions = [_log(cli_json, f"2026-01-{d:02d}") for d in (6, 13, 20)]
    assert before["engagement"] is None
    assert [s["engagement"] for s in sessions] == [
        {"id": ann["id"], "number": n, "of": 6} for n in (1, 2, 3)
    ]
    shown = cli_json("session", "show", str(sessions[2]["id"]))
    assert shown["engagement"] == {"id": ann["id"], "number": 3, "of": 6}
    listed = cli_json("session", "list")
    assert {s["id"]: s["engagement"] for s in listed}[sessions[1]["id"]]["number"] == 2


def test_people_see_session_3_of_6_in_lists_show_prep_and_the_overview(cli, cli_json, ann):
    ids = [_log(cli_json, f"2026-01-{d:02d}")["id"] for d in (6, 13, 20)]
    assert "3 of 6" in cli("session", "list").stdout
    assert "session 3 of 6" in cli("session", "show", str(ids[2])).stdout
    assert "session 3 of 6" in " ".join(cli("prep", "Ann Smith").stdout.split())
    assert "session 3 of 6" in cli().stdout


def test_ending_stops_the_count_and_later_sessions_are_outside(cli_json, ann):
    _log(cli_json, "2026-01-06")
    ended = cli_json("engagement", "end", "Ann Smith", "--on", "2026-02-28")
    assert ended["ended_on"] == "2026-02-28" and ended["sessions_held"] == 1
    assert ended["follow_up_due"] == "2026-08-28"
    assert _log(cli_json, "2026-03-10")["engagement"] is None


def test_editing_a_session_date_renumbers_the_engagement(cli_json, ann):
    first = _log(cli_json, "2026-01-06")
    second = _log(cli_json, "2026-01-13")
    cli_json("session", "edit", str(first["id"]), "--on", "2026-01-20")
    assert cli_json("session", "show", str(second["id"]))["engagement"]["number"] == 1


def test_one_open_engagement_at_a_time_and_no_overlap(cli, cli_json, ann):
    again = cli("engagement", "start", "Ann Smith")
    assert again.exit_code == 1 and "already has an open engagement" in again.stderr
    cli_json("engagement", "end", "Ann Smith", "--on", "2026-03-01")
    overlap = cli("engagement", "start", "Ann Smith", "--on", "2026-02-01")
    assert overlap.exit_code == 1 and "after the last one ended" in overlap.stderr
    second = cli_json("engagement", "start", "Ann Smith", "--on", "2026-04-10", "--sessions", "4")
    assert second["id"] != ann["id"]
    assert [e["id"] for e in cli_json("engagement", "list", "--client", "Ann Smith")] == [
        second["id"],
        ann["id"],
    ]


def test_errors_name_what_to_do(cli, cli_json, ann):
    nobody = cli("engagement", "end", "Nobody")
    assert nobody.exit_code == 1 and nobody.stderr.startswith("Error: No client 'Nobody'.")
    cli_json("client", "add", "Ben")
    none_open = cli("engagement", "end", "Ben")
    assert none_open.exit_code == 1 and "engagement start" in none_open.stderr
    bad = cli("engagement", "start", "Ben", "--sessions", "0")
    assert bad.exit_code == 2
    early = cli("engagement", "end", "Ann Smith", "--on", "2025-12-01")
    assert early.exit_code == 2 and "before the engagement started" in early.stderr
    missing = cli("engagement", "start")
    assert missing.exit_code == 2 and "--me" in missing.stderr


def test_show_and_list_in_json_and_text(cli, cli_json, ann):
    shown = cli_json("engagement", "show", str(ann["id"]))
    assert shown["client"] == "Ann Smith" and shown["outcomes"] == []
    assert cli_json("engagement", "show", "--client", "Ann Smith")["id"] == ann["id"]
    text = cli("engagement", "list")
    assert "Ann Smith" in text.stdout and "open" in text.stdout
    assert all(
        len(line) <= 60
        for line in cli("engagement", "list", env={"COLUMNS": "60"}).stdout.splitlines()
    )
    assert cli_json("engagement", "list", "--open")[0]["id"] == ann["id"]


def test_the_owners_own_engagement_with_me(cli_json):
    mine = cli_json("engagement", "start", "--me", "--sessions", "6", "--on", "2026-01-01")
    assert mine["client"] is None and mine["client_id"] is None
    assert cli_json("engagement", "end", "--me", "--on", "2026-03-01")["ended_on"] == "2026-03-01"


def test_follow_ups_due_in_the_overview_until_recorded(cli, cli_json, ann, monkeypatch):
    cli_json("engagement", "end", "Ann Smith", "--on", "2026-01-31")
    from coachlog.core import overview
    from coachlog.store.db import open_journal

    j = open_journal()
    try:
        early = overview.overview(j, today=dt.date(2026, 6, 1))["follow_ups_due"]
        due = overview.overview(j, today=dt.date(2026, 7, 20))["follow_ups_due"]
    finally:
        j.close()
    assert early == []
    assert [(f["client"], f["due"]) for f in due] == [("Ann Smith", "2026-07-31")]
    shown = cli().stdout  # today (2026+) is well past July 2026
    assert "Follow-ups due" in shown
    # Past due is said in words, not only in red (NO_COLOR is set in tests).
    assert "2026-07-31 overdue" in " ".join(shown.split())
    scores = [f"--{k}" for k in ("strategic", "confidence")]
    cli_json(
        "outcome", "record", "Ann Smith", "--stage", "follow-up", scores[0], "5", scores[1], "6"
    )
    assert "Follow-ups due" not in cli().stdout


def test_six_months_on_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 2, 28), 6) == dt.date(2026, 8, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_erasing_the_client_takes_their_engagements_and_outcomes(cli, cli_json, rows, ann):
    cli_json("outcome", "record", "Ann Smith", "--stage", "before", "--team", "4")
    erased = cli("client", "erase", "Ann Smith", "--yes")
    assert erased.exit_code == 0 and "1 engagement, 1 outcome check-in" in erased.stderr
    assert rows("SELECT * FROM engagements") == [] and rows("SELECT * FROM outcomes") == []


def test_json_of_an_engagement_is_plain(cli, ann):
    out = cli("engagement", "list", "--json")
    assert json.loads(out.stdout)[0]["sessions_held"] == 0


def test_a_backup_carries_engagements_and_outcomes_and_restores_them(
    cli, cli_json, tmp_path, monkeypatch, ann
):
    _log(cli_json, "2026-01-06")
    cli_json(
        "outcome", "record", "Ann Smith", "--stage", "before", "--team", "4", "--on", "2026-01-05"
    )
    cli_json("engagement", "end", "Ann Smith", "--on", "2026-02-01")
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    doc = json.loads(backup.read_text())
    assert doc["version"] == 5 and len(doc["engagements"]) == 1 and len(doc["outcomes"]) == 1
    assert doc["outcomes"][0]["engagement"] == doc["engagements"][0]["uid"]

    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "restored.db"))
    report = cli_json("import", str(backup))
    assert report["added"]["engagements"] == 1 and report["added"]["outcomes"] == 1
    restored = cli_json("engagement", "show", "1")
    assert restored["sessions_held"] == 1 and restored["outcomes"][0]["scores"]["team"] == 4
    assert cli("export", "backup").stdout == backup.read_text()
    again = cli("import", str(backup))
    assert "Skipped" in again.stderr


def test_the_empty_list_hint_is_a_command_that_works(cli, cli_json):
    """The hint is copied as it stands: a flag it names must exist."""
    cli_json("client", "add", "Ann Smith")
    hint = cli("engagement", "list").stderr
    command = hint.split("coachlog ", 1)[1].strip().split()
    command = ["Ann Smith" if word == "CLIENT" else word for word in command]
    started = cli(*command)
    assert started.exit_code == 0, started.stderr


def test_a_session_past_the_sessions_agreed_is_logged_with_a_warning(cli, cli_json):
    # "session 3 of 2" appeared in the lists with no word when it was logged.
    cli_json("client", "add", "Ann Smith")
    cli_json("engagement", "start", "Ann Smith", "--sessions", "2", "--on", "2024-01-01")
    for day in ("2024-01-02", "2024-01-09"):
        logged = cli("session", "log", "-c", "Ann Smith", "-m", "60", "--on", day)
        assert logged.exit_code == 0 and "Warning" not in logged.stderr
    third = cli("session", "log", "-c", "Ann Smith", "-m", "60", "--on", "2024-01-16", "--json")
    assert third.exit_code == 0
    assert json.loads(third.stdout)["engagement"] == {"id": 1, "number": 3, "of": 2}
    assert "Warning: This is session 3 of engagement 1, agreed for 2." in third.stderr
    assert "coachlog engagement edit 1 --sessions 3" in third.stderr
