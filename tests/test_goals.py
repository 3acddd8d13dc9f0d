"""`coachlog goal ...`: set, rate, list, show, close, and the bad input around scores."""

from __future__ import annotations

import pytest


def test_add_with_baseline_and_read_back(cli_json, rows):
    goal = cli_json(
        "goal", "add", "Speak up at the board", "--theme", "confidence", "--theme",
        "influence", "--tag", "board", "--due", "2026-12-01", "--score", "3",
        "--on", "2026-01-10",
    )  # fmt: skip
    assert goal["id"] == 1
    assert goal["title"] == "Speak up at the board"
    assert goal["client_id"] is None and goal["client"] is None  # the owner's own
    assert goal["themes"] == ["confidence", "influence"]
    assert goal["tags"] == ["board"]
    assert goal["due"] == "2026-12-01"
    assert goal["status"] == "open"
    assert goal["created_on"] == "2026-01-10"
    assert goal["closed_on"] is None
    assert goal["baseline"] == 3 and goal["latest"] == 3
    assert [(s["score"], s["on"]) for s in goal["scores"]] == [(3, "2026-01-10")]
    assert rows("SELECT goal_id, score, on_date FROM goal_scores") == [
        {"goal_id": 1, "score": 3, "on_date": "2026-01-10"}
    ]
    assert cli_json("goal", "show", "1") == goal


def test_goal_without_score_has_no_baseline(cli_json, rows):
    goal = cli_json("goal", "add", "Plan the rota earlier")
    assert goal["baseline"] is None and goal["latest"] is None and goal["scores"] == []
    assert rows("SELECT * FROM goal_scores") == []


def test_client_goal_by_name_or_id(cli_json):
    cli_json("client", "add", "Ann Smith")
    by_name = cli_json("goal", "add", "Delegate", "--client", "ann smith")
    by_id = cli_json("goal", "add", "Say no", "-c", "1")
    assert by_name["client_id"] == by_id["client_id"] == 1
    assert by_name["client"] == "Ann Smith"


def test_rate_tracks_baseline_and_latest(cli_json, rows):
    cli_json("goal", "add", "Confidence in meetings", "--score", "4", "--on", "2026-01-01")
    cli_json("goal", "rate", "1", "6", "--note", "spoke twice", "--on", "2026-02-01")
    # A late check-in for an earlier day: ordering is by date, not by typing order.
    rated = cli_json("goal", "rate", "1", "5", "--on", "2026-01-15")
    assert rated["baseline"] == 4
    assert rated["latest"] == 6
    assert [(s["on"], s["score"], s["note"]) for s in rated["scores"]] == [
        ("2026-01-01", 4, None),
        ("2026-01-15", 5, None),
        ("2026-02-01", 6, "spoke twice"),
    ]
    # Two scores on one day: the one typed later is the latest.
    again = cli_json("goal", "rate", "1", "2", "--on", "2026-02-01")
    assert again["latest"] == 2
    listed = cli_json("goal", "list")
    assert [(g["id"], g["baseline"], g["latest"]) for g in listed] == [(1, 4, 2)]
    assert len(rows("SELECT * FROM goal_scores")) == 4


def test_rate_without_baseline_makes_first_score_the_baseline(cli_json):
    cli_json("goal", "add", "Better prioritisation")
    cli_json("goal", "rate", "1", "0")
    rated = cli_json("goal", "rate", "1", "10")
    assert (rated["baseline"], rated["latest"]) == (0, 10)


@pytest.mark.parametrize("bad", ["11", "-1", "7.5", "abc", "", " ", "1e1", "٣"])
def test_rate_refuses_scores_outside_0_to_10(cli, cli_json, rows, bad):
    cli_json("goal", "add", "A goal", "--score", "5")
    result = cli("goal", "rate", "1", bad)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert rows("SELECT score FROM goal_scores") == [{"score": 5}]


@pytest.mark.parametrize("bad", ["11", "-1", "7.5", "ten"])
def test_add_refuses_a_bad_baseline_and_writes_nothing(cli, journal_path, rows, bad):
    result = cli("goal", "add", "A goal", "--score", bad)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: --score ")
    if journal_path.exists():
        assert rows("SELECT * FROM goals") == []


def test_bad_dates_and_titles_are_usage_errors(cli, journal_path, rows):
    for args in (
        ["goal", "add", "A goal", "--due", "2026-02-30"],
        ["goal", "add", "A goal", "--on", "01/31/2026"],
        ["goal", "add", ""],
        ["goal", "add", "   "],
        ["goal", "add", "x" * 501],
        ["goal", "add", "two\nlines"],
        ["goal", "add", "A goal", "--theme", "happiness"],
        ["goal", "list", "--status", "closed"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.startswith("Error: "), result.stderr
        assert "Traceback" not in result.stderr
    if journal_path.exists():
        assert rows("SELECT * FROM goals") == []


def test_rate_with_a_bad_date_writes_nothing(cli, cli_json, rows):
    cli_json("goal", "add", "A goal")
    result = cli("goal", "rate", "1", "5", "--on", "2026-02-30")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --on '2026-02-30' is not a real calendar date.")
    assert rows("SELECT * FROM goal_scores") == []


def test_unknown_goal_and_client_are_exit_1(cli, cli_json, rows):
    for args in (
        ["goal", "show", "9"],
        ["goal", "rate", "9", "5"],
        ["goal", "done", "9"],
        ["goal", "drop", "9"],
        ["goal", "add", "A goal", "--client", "Nobody"],
        ["goal", "list", "--client", "Nobody"],
    ):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert result.stderr.startswith("Error: No "), result.stderr
    assert rows("SELECT * FROM goals") == []
    assert rows("SELECT * FROM goal_scores") == []


def test_done_and_drop_close_goals_and_closed_goals_take_no_scores(cli, cli_json, rows):
    cli_json("goal", "add", "First", "--score", "2")
    cli_json("goal", "add", "Second")
    done = cli_json("goal", "done", "1")
    assert done["status"] == "done" and done["closed_on"] is not None
    assert done["baseline"] == 2  # scores are kept
    dropped = cli_json("goal", "drop", "2")
    assert dropped["status"] == "dropped"
    for args, message in (
        (["goal", "rate", "1", "5"], "Error: Goal 1 is done, so it takes no new scores."),
        (["goal", "rate", "2", "5"], "Error: Goal 2 is dropped, so it takes no new scores."),
        (["goal", "done", "1"], "Error: Goal 1 is already done."),
        (["goal", "drop", "1"], "Error: Goal 1 is already closed (done)."),
    ):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert result.stderr.splitlines()[0] == message
        assert "coachlog goal " in result.stderr.splitlines()[1]  # a hint: what to do next
    assert rows("SELECT goal_id, score FROM goal_scores") == [{"goal_id": 1, "score": 2}]
    assert rows("SELECT id, status FROM goals ORDER BY id") == [
        {"id": 1, "status": "done"},
        {"id": 2, "status": "dropped"},
    ]


def test_list_filters_by_status_and_client(cli_json):
    assert cli_json("goal", "list") == []
    cli_json("client", "add", "Ann")
    cli_json("client", "add", "Bob")
    cli_json("goal", "add", "Mine")
    cli_json("goal", "add", "Ann's", "--client", "Ann", "--score", "1")
    cli_json("goal", "add", "Bob's", "--client", "Bob")
    cli_json("goal", "add", "Ann's done", "--client", "Ann")
    cli_json("goal", "done", "4")

    def titles(*args: str) -> list[str]:
        return [g["title"] for g in cli_json("goal", "list", *args)]

    assert titles() == ["Mine", "Ann's", "Bob's"]
    assert titles("--status", "done") == ["Ann's done"]
    assert titles("--status", "dropped") == []
    assert titles("--status", "all") == ["Mine", "Ann's", "Bob's", "Ann's done"]
    assert titles("--client", "Ann") == ["Ann's"]
    assert titles("--client", "ann", "--status", "all") == ["Ann's", "Ann's done"]
    listed = cli_json("goal", "list", "--client", "Ann")[0]
    assert (listed["client"], listed["baseline"], listed["latest"]) == ("Ann", 1, 1)


def test_human_output_shows_text_verbatim_and_fits_80_columns(cli, cli_json):
    cli_json("goal", "add", "[/bold] up [red]", "--score", "3")
    cli_json("goal", "rate", "1", "7", "--note", "[bold]better[/]")
    cli_json("client", "add", "Bartholomew Featherstonehaugh-Smythe the Third")
    cli_json("goal", "add", "A very long goal title " * 5, "--client", "1", "--due", "2026-12-31")
    cli_json("goal", "drop", "2")
    listed = cli("goal", "list", "--status", "all", env={"COLUMNS": "80"})
    assert listed.exit_code == 0
    assert "[/bold] up [red]" in listed.stdout
    assert "3 → 7" in listed.stdout
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80
    shown = cli("goal", "show", "1")
    assert "[/bold] up [red]" in shown.stdout
    assert "[bold]better[/]" in shown.stdout
    assert "3 → 7 (+4)" in shown.stdout
    added = cli("goal", "add", "[/x] new")
    assert added.stdout == ""
    assert added.stderr.startswith("Added goal 3: [/x] new")


def test_empty_list_says_so_on_stderr(cli):
    result = cli("goal", "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No open goals" in result.stderr


def test_a_wide_terminal_shows_whole_goal_titles(cli, cli_json):
    title = "Set out a clear vision for the service that the team can repeat"
    cli_json("goal", "add", title, "--score", "4")
    wide = cli("goal", "list", env={"COLUMNS": "160"})
    assert wide.exit_code == 0, wide.stderr
    assert title in wide.stdout
    narrow = cli("goal", "list", env={"COLUMNS": "80"}).stdout
    assert title not in narrow and "Set out a clear vision" in narrow
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 80


def test_goal_list_pages_like_session_list(cli, cli_json):
    # Issue 14: 12,500 goals took 11.3 s to list; now the first 20 unless --limit.
    for n in range(23):
        cli_json("goal", "add", f"Goal {n:02d}", "--score", "3")
    shown = cli_json("goal", "list")
    assert [g["title"] for g in shown] == [f"Goal {n:02d}" for n in range(20)]
    assert len(cli_json("goal", "list", "--limit", "0")) == 23
    table = cli("goal", "list", "-n", "5")
    assert table.exit_code == 0
    assert "Showing the first 5; --limit 0 shows them all." in table.stderr
