"""Issue 12: nothing changes that the person did not ask for; every record can be corrected.

One test per "Found" item (numbered as in the issue; #2, restoring backups, and #4,
purge, live in test_backup.py and test_purge.py), then the new edit, undo and delete
commands, driven through the real CLI on a temporary journal.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

TODAY = dt.date.today()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
LAST_MONTH = (TODAY - dt.timedelta(days=30)).isoformat()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
NEXT_YEAR = (TODAY + dt.timedelta(days=365)).isoformat()


@pytest.fixture
def ann(cli_json):
    return cli_json("client", "add", "Ann Smith")


def _session(cli_json, *args: str):
    return cli_json("session", "log", "-c", "Ann Smith", "-m", "60", *args)


# ---------------------------------------------------------------- Found 1


def test_found_1_session_edit_action_keeps_the_other_actions(ann, cli, cli_json, rows):
    _session(cli_json, "--action", "First", "--action", "Second")
    cli_json("action", "done", "1")
    edited = cli_json("session", "edit", "1", "--action", "new text")
    assert [(a["id"], a["text"], a["done_on"] is not None) for a in edited["actions"]] == [
        (1, "First", True),
        (2, "Second", False),
        (3, "new text", False),
    ]
    assert len(rows("SELECT * FROM actions")) == 3


def test_found_1_removing_an_action_is_explicit_shown_and_asked(
    ann, cli, cli_json, rows, say_at_prompt
):
    _session(cli_json, "--action", "First", "--action", "Second")
    refused = cli("session", "edit", "1", "--remove-action", "2")
    assert refused.exit_code == 1
    assert "This removes action 2 (Second)" in refused.stderr
    assert "needs --yes" in refused.stderr
    assert len(rows("SELECT * FROM actions")) == 2
    asked = say_at_prompt(False)
    declined = cli("session", "edit", "1", "--remove-action", "2")
    assert declined.exit_code == 130
    assert asked == ["Remove 1 action for good?"]
    assert len(rows("SELECT * FROM actions")) == 2
    say_at_prompt(True)
    done = cli("session", "edit", "1", "--remove-action", "2")
    assert done.exit_code == 0, done.stderr
    assert "Removed action 2 (Second)" in done.stderr
    assert [r["text"] for r in rows("SELECT text FROM actions")] == ["First"]


def test_found_1_remove_action_of_another_session_is_refused(ann, cli, cli_json, rows):
    _session(cli_json, "--action", "Mine")
    _session(cli_json, "--action", "Theirs")
    result = cli("session", "edit", "1", "--remove-action", "2", "--yes")
    assert result.exit_code == 2
    assert "not an action of session 1" in result.stderr
    assert len(rows("SELECT * FROM actions")) == 2


def test_found_1_action_edit_and_undo(ann, cli, cli_json, rows):
    _session(cli_json, "--action", "Draft", "--action", "Other")
    cli_json("action", "done", "1")
    before_other = rows("SELECT * FROM actions WHERE id = 2")
    edited = cli_json("action", "edit", "1", "--text", "Draft the paper", "--due", TOMORROW)
    assert (edited["text"], edited["due"], edited["done_on"]) == (
        "Draft the paper",
        TOMORROW,
        TODAY.isoformat(),
    )
    undone = cli_json("action", "undo", "1")
    assert undone["done_on"] is None
    again = cli("action", "undo", "1")
    assert again.exit_code == 1 and "open already" in again.stderr
    cleared = cli_json("action", "edit", "1", "--due", "")
    assert cleared["due"] is None
    assert rows("SELECT * FROM actions WHERE id = 2") == before_other
    moved = cli("action", "edit", "1", "--client", "")
    assert moved.exit_code == 2 and "session edit 1 --client" in moved.stderr


def test_action_delete_needs_yes_and_ids_are_not_reused(ann, cli, cli_json, rows):
    cli_json("action", "add", "One")
    cli_json("action", "add", "Two")
    refused = cli("action", "delete", "2")
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    deleted = cli_json("action", "delete", "2", "--yes")
    assert deleted["text"] == "Two"
    assert cli_json("action", "add", "Three")["id"] == 3
    assert [r["id"] for r in rows("SELECT id FROM actions ORDER BY id")] == [1, 3]


# ---------------------------------------------------------------- Found 3


def test_found_3_a_score_before_the_goal_was_set_is_refused(cli, cli_json):
    goal = cli_json("goal", "add", "Speak up", "--score", "3")
    early = cli("goal", "rate", str(goal["id"]), "5", "--on", LAST_MONTH)
    assert early.exit_code == 2
    assert "before the day goal 1 was set" in early.stderr
    assert "coachlog goal edit 1 --on DATE" in early.stderr
    future = cli("goal", "rate", str(goal["id"]), "9", "--on", TOMORROW)
    assert future.exit_code == 2 and "after today" in future.stderr
    rated = cli_json("goal", "rate", "1", "7")
    assert (rated["baseline"], rated["latest"]) == (3, 7)


def test_found_3_goal_edit_on_then_an_earlier_score_becomes_the_baseline(cli, cli_json):
    cli_json("goal", "add", "Speak up", "--score", "3")
    too_late = cli("goal", "edit", "1", "--on", TOMORROW)
    assert too_late.exit_code == 2
    moved = cli_json("goal", "edit", "1", "--on", LAST_MONTH)
    assert moved["created_on"] == LAST_MONTH
    goal = cli_json("goal", "rate", "1", "5", "--on", LAST_MONTH)
    # Baseline = first score by date: the one of last month.
    assert (goal["baseline"], goal["latest"]) == (5, 3)


def test_found_3_scores_can_be_corrected_and_deleted_by_id(cli, cli_json, rows):
    cli_json("goal", "add", "Speak up", "--score", "3")
    cli_json("goal", "rate", "1", "9")
    shown = cli("goal", "show", "1")
    assert shown.exit_code == 0
    ids = [s["id"] for s in cli_json("goal", "show", "1")["scores"]]
    assert ids == [1, 2]
    assert any(
        line.split()[:3] == ["2", TODAY.isoformat(), "9"] for line in shown.stdout.splitlines()
    )
    fixed = cli_json("goal", "score", "edit", "2", "--score", "6", "--note", "typo")
    assert (fixed["latest"], fixed["scores"][1]["note"]) == (6, "typo")
    bad = cli("goal", "score", "edit", "2", "--on", TOMORROW)
    assert bad.exit_code == 2
    refused = cli("goal", "score", "delete", "1")
    assert refused.exit_code == 1
    gone = cli_json("goal", "score", "delete", "1", "--yes")
    assert gone["score"] == 3
    goal = cli_json("goal", "show", "1")
    assert (goal["baseline"], goal["latest"]) == (6, 6)
    missing = cli("goal", "score", "edit", "99", "--score", "1")
    assert missing.exit_code == 1 and "No goal score 99" in missing.stderr


def test_goal_edit_changes_only_what_is_named_and_reopen(cli, cli_json, rows):
    cli_json("goal", "add", "Speak up", "--theme", "confidence", "--due", NEXT_YEAR)
    edited = cli_json("goal", "edit", "1", "--title", "Speak up more")
    assert (edited["title"], edited["themes"], edited["due"]) == (
        "Speak up more",
        ["confidence"],
        NEXT_YEAR,
    )
    themed = cli_json("goal", "edit", "1", "--theme", "influence", "--due", "")
    assert (themed["themes"], themed["due"]) == (["influence"], None)
    cli_json("goal", "done", "1")
    reopened = cli_json("goal", "reopen", "1")
    assert (reopened["status"], reopened["closed_on"]) == ("open", None)


# ---------------------------------------------------------------- Found 5


@pytest.mark.parametrize(
    "command",
    [
        ["session", "log", "-c", "Ann Smith", "-m", "60", "--on", NEXT_YEAR],
        ["reflect", "--text", "x", "--on", TOMORROW],
        ["supervision", "log", "-m", "60", "--on", TOMORROW],
        ["goal", "add", "Later", "--on", TOMORROW],
    ],
)
def test_found_5_things_that_happened_are_not_dated_after_today(ann, cli, rows, command):
    result = cli(*command)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: --on ")
    assert f"after today ({TODAY.isoformat()})" in result.stderr
    assert rows("SELECT * FROM sessions") == [] and rows("SELECT * FROM reflections") == []


def test_found_5_session_edit_to_next_year_is_refused(ann, cli, cli_json):
    _session(cli_json)
    result = cli("session", "edit", "1", "--on", NEXT_YEAR)
    assert result.exit_code == 2 and "after today" in result.stderr


def test_found_5_an_action_is_not_done_before_it_was_agreed(ann, cli, cli_json, rows):
    _session(cli_json, "--on", YESTERDAY, "--action", "Draft", "--action-due", NEXT_YEAR)
    early = cli("action", "done", "1", "--on", LAST_MONTH)
    assert early.exit_code == 2
    assert f"before the day action 1 was agreed ({YESTERDAY})" in early.stderr
    future = cli("action", "done", "1", "--on", TOMORROW)
    assert future.exit_code == 2 and "after today" in future.stderr
    assert rows("SELECT done_on FROM actions") == [{"done_on": None}]
    assert cli_json("action", "done", "1", "--on", YESTERDAY)["done_on"] == YESTERDAY


def test_found_5_moving_a_session_moves_the_day_its_actions_were_agreed(ann, cli, cli_json, rows):
    a_week_ago = (TODAY - dt.timedelta(days=7)).isoformat()
    _session(cli_json, "--on", LAST_MONTH, "--action", "Draft", "--action", "Call")
    cli_json("action", "done", "1", "--on", a_week_ago)
    before = rows("SELECT * FROM actions ORDER BY id")
    # Moving the session after the day action 1 was done would date it done
    # before it was agreed: refused, nothing written.
    late = cli("session", "edit", "1", "--on", YESTERDAY)
    assert late.exit_code == 2, late.stderr
    assert f"action 1 of session 1 was done on {a_week_ago}" in late.stderr
    assert rows("SELECT * FROM actions ORDER BY id") == before
    assert rows("SELECT on_date FROM sessions") == [{"on_date": LAST_MONTH}]
    earlier = (TODAY - dt.timedelta(days=40)).isoformat()
    cli_json("session", "edit", "1", "--on", earlier)
    after = rows("SELECT * FROM actions ORDER BY id")
    assert [a["created_on"] for a in after] == [earlier, earlier]
    assert [{**a, "created_on": None} for a in after] == [
        {**a, "created_on": None} for a in before
    ]
    # The open action now cannot be ticked done before the session's new day.
    early = cli("action", "done", "2", "--on", (TODAY - dt.timedelta(days=45)).isoformat())
    assert early.exit_code == 2 and f"was agreed ({earlier})" in early.stderr


# ---------------------------------------------------------------- Found 6


@pytest.mark.parametrize(
    ("command", "name", "formats"),
    [
        (["export", "supervision"], "pack.pdf", ".md, .html, .json"),
        (["export", "hours"], "hours.xlsx", ".csv, .md, .json"),
        (["export", "backup"], "backup.zip", ".json"),
    ],
)
def test_found_6_an_extension_coachlog_does_not_write_is_refused(
    cli, tmp_path: Path, command, name, formats
):
    target = tmp_path / name
    result = cli(*command, "-o", str(target))
    assert result.exit_code == 2
    assert f"it writes {formats}" in result.stderr
    assert not target.exists()


def test_found_6_format_and_extension_must_agree(cli, tmp_path: Path):
    target = tmp_path / "pack.html"
    result = cli("export", "supervision", "--format", "md", "-o", str(target))
    assert result.exit_code == 2 and "--format is md" in result.stderr
    assert not target.exists()
    ok = cli("export", "supervision", "-o", str(tmp_path / "pack.md"))
    assert ok.exit_code == 0, ok.stderr


@pytest.mark.parametrize(
    ("command", "name", "formats"),
    [
        (["export", "outcomes"], "outcomes.pdf", ".json"),
        (["progress"], "progress.png", ".svg, .html"),
        (["progress", "--format", "svg"], "progress.pdf", ".svg, .html"),
        (["progress", "--format", "html"], "progress.svg", "--format is html"),
        (["programme", "report", "EXPORT", "--format", "html"], "report.svg", "--format is html"),
        (["programme", "report", "EXPORT"], "report.pdf", ".md, .html, .svg"),
        (["programme", "report", "EXPORT", "--format", "md"], "report.docx", ".md, .html, .svg"),
    ],
)
def test_found_6_every_o_refuses_what_it_does_not_write(
    cli, cli_json, tmp_path: Path, command, name, formats
):
    """-o everywhere, not only the three exports: the outcomes export, progress and
    the programme report wrote JSON into .pdf, HTML into .svg, Markdown into .docx."""
    export = tmp_path / "export.json"
    assert cli("export", "outcomes", "-o", str(export)).exit_code == 0
    target = tmp_path / name
    result = cli(*[str(export) if a == "EXPORT" else a for a in command], "-o", str(target))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and formats in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("name", ["journal.json", "journal.csv", "journal.md", "copy.zip"])
def test_found_6_db_backup_does_not_write_sqlite_under_another_formats_name(
    cli, cli_json, tmp_path: Path, name
):
    """`db backup` copies the SQLite file: named .json it looks like the JSON backup
    `import` reads, and `import` then refuses it. Refused, pointing to export backup."""
    cli_json("client", "add", "Ann Smith")
    target = tmp_path / name
    result = cli("db", "backup", str(target))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ") and "export backup" in result.stderr
    assert not target.exists()
    for ok in ("journal-copy.db", "journal-2026-12-02", "coachlog.db.bak"):
        done = cli("db", "backup", str(tmp_path / ok))
        assert done.exit_code == 0, done.stderr


# ---------------------------------------------------------------- Found 7


def test_found_7_uneven_action_due_is_refused_with_honest_words(ann, cli, rows):
    result = cli(
        "session", "log", "-c", "Ann Smith", "-m", "60",
        "--action", "A", "--action", "B", "--action-due", TOMORROW,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the first --action-due goes with the first --action" in result.stderr
    assert '--action-due ""' in result.stderr
    assert rows("SELECT * FROM sessions") == []


def test_found_7_empty_action_due_means_none(ann, cli_json):
    logged = _session(
        cli_json, "--action", "A", "--action-due", "", "--action", "B", "--action-due", TOMORROW
    )
    assert [(a["text"], a["due"]) for a in logged["actions"]] == [("A", None), ("B", TOMORROW)]


# ---------------------------------------------------------------- Found 8


def test_found_8_confirmation_asked_through_the_prompter_json_stays_json(
    ann, cli, cli_json, say_at_prompt
):
    _session(cli_json)
    asked = say_at_prompt(True)
    result = cli("session", "delete", "1", "--json")
    assert result.exit_code == 0
    assert asked == ["Delete session 1 (Ann Smith, " + TODAY.isoformat() + ")?"]
    assert json.loads(result.stdout)["id"] == 1


@pytest.mark.parametrize(
    "command",
    [
        ["session", "delete", "1"],
        ["action", "delete", "1"],
        ["reflection", "delete", "1"],
        ["supervision", "delete", "1"],
        ["goal", "score", "delete", "1"],
        ["client", "erase", "1"],
        ["db", "purge", "--before", "2000-01-01"],
        ["session", "edit", "1", "--remove-action", "1"],
        ["outcome", "delete", "1"],
    ],
)
def test_found_8_no_exits_130_everywhere(ann, cli, cli_json, rows, say_at_prompt, command):
    _session(cli_json, "--action", "Draft")
    cli_json("reflect", "--text", "x")
    cli_json("supervision", "log", "-m", "60")
    cli_json("goal", "add", "G", "--score", "2")
    themes = ("strategic", "prioritisation", "confidence", "influence", "team")
    scores = [f"--{t}=5" for t in (*themes, "self-presentation")]
    cli_json("engagement", "start", "Ann Smith", "--sessions", "6")
    cli_json("outcome", "record", "Ann Smith", "--stage", "before", *scores)
    kinds = ("sessions", "actions", "goal_scores", "outcomes")
    before = {t: rows(f"SELECT * FROM {t}") for t in kinds}
    say_at_prompt(False)
    result = cli(*command)
    assert result.exit_code == 130, result.stderr
    assert result.stdout == ""
    assert "nothing saved" in result.stderr
    assert {t: rows(f"SELECT * FROM {t}") for t in before} == before


def test_found_8_real_prompt_writes_to_stderr(monkeypatch):
    """The questionary confirm renders on stderr, not stdout."""
    import io
    import sys

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input

    from coachlog.cli.prompts import QuestionaryPrompter

    fake_out, fake_err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", fake_out)
    monkeypatch.setattr(sys, "stderr", fake_err)

    with create_pipe_input() as pipe, create_app_session(input=pipe):
        pipe.send_text("n")
        answer = QuestionaryPrompter().confirm("Delete it?", default=False)
    assert answer is False
    assert "Delete it?" in fake_err.getvalue()
    assert fake_out.getvalue() == ""


# ---------------------------------------------------------------- Found 9


def test_found_9_random_with_text_says_which_question_on_stderr(cli, rows):
    result = cli("reflect", "--random", "--text", "Something I noticed", "--json")
    assert result.exit_code == 0, result.stderr
    saved = json.loads(result.stdout)
    assert saved["question"]
    assert result.stderr.startswith("Filed under ")
    assert saved["question"] in result.stderr
    assert f"({saved['perspective']})" in result.stderr


def test_found_9_the_question_is_shown_before_stdin_is_read(cli):
    result = cli("reflect", "--card-theme", "being", "--text", "-", input="From stdin\n")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Filed under ") and lines[-1] == "Saved reflection 1."


# ---------------------------------------------------------------- reflections and supervision


def test_reflection_edit_and_delete(cli, cli_json, rows):
    cli_json("reflect", "--card", "resilience", "--text", "First try")
    cli_json("reflect", "--text", "Other")
    other = rows("SELECT * FROM reflections WHERE id = 2")
    edited = cli_json("reflection", "edit", "1", "--text", "-", input="Better words\n")
    assert (edited["text"], edited["card"]) == ("Better words", "resilience")
    moved = cli_json("reflection", "edit", "1", "--perspective", "system")
    assert moved["perspective"] == "system"
    card = cli_json("cards", "show", "resilience")
    assert moved["question"] == card["questions"]["system"]
    free = cli_json("reflection", "edit", "1", "--card", "", "--on", YESTERDAY)
    assert (free["card"], free["question"], free["on"]) == (None, None, YESTERDAY)
    assert cli("reflection", "edit", "1", "--on", TOMORROW).exit_code == 2
    assert rows("SELECT * FROM reflections WHERE id = 2") == other
    assert cli("reflection", "delete", "1").exit_code == 1
    assert cli_json("reflection", "delete", "1", "--yes")["id"] == 1
    assert [r["id"] for r in rows("SELECT id FROM reflections")] == [2]


def test_reflection_edit_opens_the_editor_in_a_terminal(cli, cli_json, monkeypatch, tmp_path):
    from coachlog.cli import common

    cli_json("reflect", "--text", "Draft")
    script = tmp_path / "ed.sh"
    script.write_text('#!/bin/sh\nprintf "Edited in the editor\\n" > "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))
    monkeypatch.setattr(common, "interactive", lambda: True)
    result = cli("reflection", "edit", "1")
    assert result.exit_code == 0, result.stderr
    assert cli_json("reflection", "show", "1")["text"] == "Edited in the editor"


@pytest.mark.parametrize(
    ("other_shell", "words"),
    [
        (["edit", "1", "--text", "Written in the other shell"], "changed"),
        (["delete", "1", "--yes"], "No reflection 1"),
    ],
)
def test_reflection_edit_in_the_editor_never_overwrites_another_shells_change(
    cli, cli_json, rows, monkeypatch, tmp_path, other_shell, words
):
    """Two shells: while one person's editor is open, the other shell changes or
    deletes the reflection. Saving must not silently undo that, and the text typed
    in the editor is not lost either: it is printed so it can be copied."""
    import shlex
    import sys

    from coachlog.cli import common

    cli_json("reflect", "--text", "Draft")
    other = shlex.join([sys.executable, "-m", "coachlog", "reflection", *other_shell])
    script = tmp_path / "ed.sh"
    script.write_text(
        f"#!/bin/sh\nCOACHLOG_NO_INPUT=1 {other} >/dev/null 2>&1 || exit 9\n"
        'printf "Typed in my editor\\n" > "$1"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))
    monkeypatch.setattr(common, "interactive", lambda: True)
    before = rows("SELECT * FROM reflections")
    result = cli("reflection", "edit", "1")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert "Typed in my editor" in result.stdout
    assert [r["text"] for r in before] == ["Draft"]
    assert [r["text"] for r in rows("SELECT * FROM reflections")] == (
        ["Written in the other shell"] if other_shell[0] == "edit" else []
    )


def test_supervision_edit_and_delete(cli, cli_json, rows):
    cli_json("supervision", "log", "-m", "60", "--supervisor", "Sam", "--on", YESTERDAY)
    cli_json("supervision", "log", "-m", "30")
    other = rows("SELECT * FROM supervision WHERE id = 2")
    edited = cli_json("supervision", "edit", "1", "--minutes", "90", "--supervisor", "")
    assert (edited["minutes"], edited["supervisor"], edited["on"]) == (90, None, YESTERDAY)
    assert cli("supervision", "edit", "1", "--on", TOMORROW).exit_code == 2
    assert rows("SELECT * FROM supervision WHERE id = 2") == other
    assert cli("supervision", "delete", "1").exit_code == 1
    assert cli_json("supervision", "delete", "1", "--yes")["minutes"] == 90
    assert cli("supervision", "edit", "1", "-m", "5").exit_code == 1


@pytest.mark.parametrize(
    "command",
    [
        ["action", "edit"], ["action", "undo"], ["action", "delete"],
        ["reflection", "edit"], ["reflection", "delete"],
        ["supervision", "edit"], ["supervision", "delete"],
        ["goal", "edit"], ["goal", "reopen"],
        ["goal", "score", "edit"], ["goal", "score", "delete"],
        ["session", "edit"], ["db", "purge"],
    ],
)  # fmt: skip
def test_every_new_command_has_an_example_in_its_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Example: coachlog " + " ".join(command) in " ".join(result.stdout.split())
