"""The bare `coachlog`: an overview of the journal, or a welcome when it is empty.

It must never fail on an empty journal, must not change anything (drawing the
suggested card is read-only), and must fit 80 columns.
"""

from __future__ import annotations

import datetime as dt

from conftest import dump


def test_an_empty_journal_gets_a_welcome_and_three_first_commands(cli):
    result = cli()
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = result.stdout
    assert "Welcome to coachlog" in text
    assert 'coachlog client add "Sam Rivers"' in text
    assert 'coachlog session log --client "Sam Rivers" --minutes 60' in text
    assert "coachlog reflect --random" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80


def test_overview_shows_actions_goals_last_session_and_a_card(cli, cli_json, journal_path):
    today = dt.date.today()
    soon = (today + dt.timedelta(days=5)).isoformat()
    later = (today + dt.timedelta(days=60)).isoformat()
    cli_json("client", "add", "Asha Patel")
    cli_json(
        "session", "log", "--client", "Asha Patel", "--minutes", "60", "--on", "2024-02-15",
        "--theme", "confidence", "--action", "Draft the [b]proposal[/b]",
        "--action-due", "2024-02-20",
    )  # fmt: skip
    cli_json("session", "log", "--client", "Asha Patel", "--minutes", "50", "--on", "2024-01-10")
    cli_json("action", "add", "Book the course", "--due", later)
    cli_json("goal", "add", "Finish the application", "--due", soon, "--score", "4")
    cli_json("goal", "add", "Not due for ages", "--due", later)
    before = dump(journal_path)

    result = cli(env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Last session  Thu 15 Feb 2024 with Asha Patel, 60 min · Confidence" in text
    assert "Actions       2 open, 1 overdue" in text
    assert "2024-02-20  Draft the [b]proposal[/b] (Asha Patel)  #1" in text
    assert f"{soon}  Finish the application  4/10" in text
    assert "Not due for ages" not in text
    assert "Supervision" not in text  # the coach has not logged any
    assert "Reflect on" in text and "coachlog reflect --card " in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert dump(journal_path) == before  # read-only, card draw included


def test_long_lists_are_cut_to_keep_one_screen(cli, cli_json):
    for n in range(8):
        cli_json("action", "add", f"Action {n}")
    text = cli().stdout
    assert "Action 4" in text and "Action 5" not in text
    assert "… and 3 more: coachlog action list --open" in text


def test_supervision_is_due_by_the_emcc_ratio(cli, cli_json):
    cli_json("client", "add", "Asha Patel")
    for day in ("2024-01-10", "2024-01-11", "2024-01-12"):
        cli_json("session", "log", "--client", "Asha Patel", "--minutes", "1400", "--on", day)
    result = cli("supervision", "log", "--minutes", "60", "--on", "2024-01-05")
    assert result.exit_code == 0, result.stderr
    text = " ".join(cli().stdout.split())
    # 70 h coached needs 2 h of supervision at 1:35; 1 h logged
    assert "Supervision 1 h for 70 h coached (1:70); about 1 h due for EMCC's 1:35" in text
    cli_json("supervision", "log", "--minutes", "60", "--on", "2024-01-20")
    assert "within EMCC's 1:35" in cli().stdout


def test_overview_and_supervision_list_state_the_same_emcc_ratio(cli, cli_json):
    # 105 min coached, 30 supervised: 3.5 h of coaching per hour of supervision.
    # The overview once rounded it to a whole number (1:4) where `supervision
    # list` said 1:3.5; both now come from one function, one rounding.
    cli_json("client", "add", "Asha Patel")
    cli_json("session", "log", "--client", "Asha Patel", "--minutes", "60", "--on", "2024-01-10")
    cli_json("session", "log", "--client", "Asha Patel", "--minutes", "45", "--on", "2024-01-11")
    cli_json("supervision", "log", "--minutes", "30", "--on", "2024-01-12")

    listed = cli("supervision", "list", "--since", "2000-01-01")
    assert listed.exit_code == 0, listed.stderr
    assert "1:3.5" in " ".join(listed.stdout.split() + listed.stderr.split())
    text = " ".join(cli().stdout.split())
    assert "0.5 h for 1.8 h coached (1:3.5); within EMCC's 1:35" in text


def test_goals_past_their_date_read_as_overdue_not_due(cli, cli_json):
    today = dt.date.today()
    soon = (today + dt.timedelta(days=5)).isoformat()
    cli_json("goal", "add", "Long past [/bold] goal", "--due", "2024-03-01", "--score", "2")
    cli_json("goal", "add", "Coming up", "--due", soon)

    result = cli(env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    overdue = next(line for line in lines if "Long past [/bold] goal" in line)
    due = next(line for line in lines if "Coming up" in line)
    assert overdue.startswith("Goals overdue  2024-03-01  Long past [/bold] goal")
    assert due.startswith("Goals due      " + soon)
    assert max(len(line.rstrip()) for line in lines) <= 80


def test_only_overdue_goals_still_say_none_are_coming_up(cli, cli_json):
    cli_json("goal", "add", "Long past", "--due", "2024-03-01")
    text = cli(env={"COLUMNS": "80"}).stdout
    assert "Goals overdue  2024-03-01  Long past" in text
    assert "Goals due      none in the next two weeks" in text


def test_supervision_balance_counts_from_the_last_supervision(cli, cli_json, journal_path):
    from coachlog.store import progress
    from coachlog.store.db import open_journal

    def balance():
        j = open_journal(journal_path)
        try:
            return progress.supervision_balance(j)
        finally:
            j.close()

    cli_json("client", "add", "Zoë Ní Bhriain")
    for day, minutes in (("2024-01-10", 60), ("2024-02-10", 45), ("2024-03-10", 30)):
        cli_json("session", "log", "-c", "Zoë Ní Bhriain", "-m", str(minutes), "--on", day)
    # No supervision yet: everything coached counts as "since".
    assert balance() == {
        "coaching_minutes": 135,
        "supervision_minutes": 0,
        "last_supervision": None,
        "coaching_minutes_since": 135,
    }
    cli_json("supervision", "log", "--minutes", "90", "--on", "2024-02-10")
    # A session on the day of the supervision was before it (strictly after counts).
    assert balance() == {
        "coaching_minutes": 135,
        "supervision_minutes": 90,
        "last_supervision": "2024-02-10",
        "coaching_minutes_since": 30,
    }


def test_supervision_balance_reads_an_index_not_every_session(cli, journal_path):
    # The bare overview sums every session's minutes for the EMCC ratio. Reading the
    # sessions table itself (every note) took 60 ms plain and 190 ms encrypted at
    # 100k sessions, most of the overview's extra cost on an encrypted journal; a
    # covering index of (on_date, minutes) answers both sums from a few pages.
    from coachlog.store import progress
    from conftest import connect

    assert cli("client", "add", "Asha Patel").exit_code == 0
    conn = connect(journal_path)

    class Planner:
        def row(self, sql, params=()):
            self.plan = [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            return {}

    planner = Planner()
    try:
        progress.supervision_balance(planner)
    finally:
        conn.close()
    on_sessions = [p for p in planner.plan if " sessions" in p]
    assert on_sessions and all("COVERING INDEX" in p for p in on_sessions), planner.plan


def test_open_actions_read_a_page_in_index_order_not_every_open_action(
    cli, cli_json, journal_path
):
    # The overview shows five open actions, overdue first, undated last. Sorting by
    # (due IS NULL, due, id) sorted every open action (45k at 100k sessions: 27 ms
    # plain, 40 ms encrypted); dated and undated are now read apart in the order of
    # the (done_on, due) index, and the page is the same.
    from coachlog.store import progress
    from conftest import connect

    cli_json("client", "add", "Asha Patel")
    today = dt.date.today()
    for n, due in enumerate([None, "2024-03-01", None, "2024-01-01", "2099-01-01", "2024-01-01"]):
        args = ["action", "add", f"Step {n}", "--client", "Asha Patel"]
        cli_json(*args, *(["--due", due] if due else []))
    cli_json("action", "done", "2")
    conn = connect(journal_path)

    class Planner:
        def rows(self, sql, params=()):
            self.plan = [r[1:] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            return []

    planner = Planner()
    try:
        progress.open_actions(planner, progress.Scope(), today.isoformat(), limit=5)
    finally:
        conn.close()
    # No sort at the level that reads the actions: only the page (at most twice five
    # rows) is sorted, above the two index-ordered reads.
    sorted_at = {parent for parent, _, detail in planner.plan if "TEMP B-TREE" in detail}
    read_at = {parent for parent, _, detail in planner.plan if detail.startswith("SEARCH a ")}
    assert read_at and not sorted_at & read_at, planner.plan
    text = cli(env={"COLUMNS": "100"}).stdout
    shown = [line.split("Step ")[1][0] for line in text.splitlines() if "Step " in line]
    assert shown == ["3", "5", "4", "0", "2"]  # by due date (ties by id), undated last


def test_supervision_without_coaching_is_not_called_no_supervision(cli, cli_json):
    # Half an hour of supervision and no sessions: the overview said "(no supervision
    # yet)", because a ratio of 0 read as none. It says what `supervision list` says.
    cli_json("supervision", "log", "--minutes", "30", "--on", "2024-01-05")
    text = " ".join(cli().stdout.split())
    assert "no supervision yet" not in text
    assert "0.5 h for 0 h coached (no coaching to set it against)" in text
