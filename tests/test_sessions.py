"""`coachlog session ...`: log, list, show, edit, delete, and what bad input does."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date.today().isoformat()


@pytest.fixture
def ann(cli_json):
    return cli_json("client", "add", "Ann Smith")


def _log(cli_json, *args, input=None):
    return cli_json("session", "log", "--client", "Ann Smith", *args, input=input)


# ---------------------------------------------------------------- log and read back


def test_log_every_flag_and_read_back(ann, cli_json, rows):
    logged = _log(
        cli_json,
        "--minutes", "60",
        "--on", "2026-01-05",
        "--at", "9:30",
        "--mode", "video",
        "--format", "group",
        "--model", "grow",
        "--theme", "confidence",
        "--theme", "influence",
        "--theme", "confidence",
        "--card", "resilience",
        "--card", "Collaboration & co-creation",
        "--tag", "board",
        "--notes", "Talked about the board paper.",
        "--private-notes", "Seemed tired.",
        "--action", "Draft the paper",
        "--action-due", "2026-01-20",
        "--action", "Book a follow-up",
        "--action-due", "",
        "--pro-bono",
    )  # fmt: skip
    assert logged["id"] == 1
    assert logged["client"] == "Ann Smith"
    assert logged["client_id"] == ann["id"]
    assert logged["number"] == 1
    assert (logged["on"], logged["at"], logged["minutes"]) == ("2026-01-05", "09:30", 60)
    assert (logged["mode"], logged["format"], logged["model"]) == ("video", "group", "grow")
    assert logged["themes"] == ["confidence", "influence"]  # repeated theme kept once
    assert sorted(logged["cards"]) == ["collaboration-co-creation", "resilience"]
    assert logged["tags"] == ["board"]
    assert logged["notes"] == "Talked about the board paper."
    assert logged["private_notes"] == "Seemed tired."
    assert logged["pro_bono"] is True
    assert [(a["text"], a["due"], a["client"], a["session_id"]) for a in logged["actions"]] == [
        ("Draft the paper", "2026-01-20", "Ann Smith", 1),
        ("Book a follow-up", None, "Ann Smith", 1),
    ]
    assert cli_json("session", "show", "1") == logged
    assert rows("SELECT on_date, at_time, minutes, pro_bono FROM sessions") == [
        {"on_date": "2026-01-05", "at_time": "09:30", "minutes": 60, "pro_bono": 1}
    ]
    assert rows("SELECT client_id, session_id, text FROM actions ORDER BY id") == [
        {"client_id": 1, "session_id": 1, "text": "Draft the paper"},
        {"client_id": 1, "session_id": 1, "text": "Book a follow-up"},
    ]


def test_defaults_are_today_in_person_one_to_one(ann, cli_json):
    logged = _log(cli_json, "-m", "45")
    assert logged["on"] == TODAY
    assert (logged["mode"], logged["format"]) == ("in-person", "one-to-one")
    assert logged["at"] is None and logged["model"] is None and logged["notes"] is None
    assert logged["themes"] == [] and logged["actions"] == [] and logged["pro_bono"] is False


def test_human_confirmation_goes_to_stderr(ann, cli):
    result = cli("session", "log", "-c", "1", "-m", "30", "--action", "Read the report")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("Logged session 1: Ann Smith")
    assert result.stderr == f"Logged session 1: Ann Smith, {TODAY}, 30 min; 1 action agreed.\n"
    two = cli("session", "log", "-c", "1", "-m", "30", "--action", "A", "--action", "B")
    assert two.stderr.endswith("30 min; 2 actions agreed.\n")
    none = cli("session", "log", "-c", "1", "-m", "30")
    assert none.stderr.endswith("30 min.\n")
    deleted = cli("session", "delete", "1", "--yes")
    assert deleted.stderr == f"Deleted session 1 (Ann Smith, {TODAY}) and its 1 action.\n"


def test_number_counts_sessions_with_that_client_by_date_and_time(ann, cli_json):
    cli_json("client", "add", "Bob")
    _log(cli_json, "-m", "30", "--on", "2026-03-01")
    _log(cli_json, "-m", "30", "--on", "2026-01-01", "--at", "14:00")
    cli_json("session", "log", "-c", "Bob", "-m", "30", "--on", "2025-12-01")
    _log(cli_json, "-m", "30", "--on", "2026-01-01", "--at", "09:00")
    numbers = {s["id"]: s["number"] for s in cli_json("session", "list", "--limit", "0")}
    assert numbers == {1: 3, 2: 2, 3: 1, 4: 1}
    # A page (counted per row) numbers them the same as a full list (a window).
    assert {s["id"]: s["number"] for s in cli_json("session", "list")} == numbers
    assert [s["number"] for s in cli_json("session", "list", "-c", "1", "--limit", "0")] == [
        3,
        2,
        1,
    ]
    cli_json("session", "delete", "4", "--yes")
    assert cli_json("session", "show", "2")["number"] == 1


def test_notes_from_stdin_only_with_dash(ann, cli_json):
    text = "First line\n\nSecond paragraph with [brackets]\n"
    logged = _log(cli_json, "-m", "50", "--notes", "-", input=text)
    assert logged["notes"] == "First line\n\nSecond paragraph with [brackets]"
    literal = _log(cli_json, "-m", "50", "--private-notes", "-", input="not read")
    assert literal["private_notes"] == "-"


def test_markup_in_notes_is_stored_and_shown_verbatim(ann, cli, cli_json, rows):
    notes = "Use [bold]this[/bold] and [/bold] and [red]"
    _log(cli_json, "-m", "60", "--notes", notes, "--private-notes", "[/i] private")
    assert rows("SELECT notes FROM sessions") == [{"notes": notes}]
    shown = cli("session", "show", "1")
    assert shown.exit_code == 0
    assert notes in shown.stdout
    assert "[/i] private" in shown.stdout
    assert "Private notes" in shown.stdout and "private:" in shown.stdout
    listed = cli("session", "list", env={"COLUMNS": "200"})
    assert "Use [bold]this[/bold]" in listed.stdout


def test_archived_client_is_allowed_with_a_warning(ann, cli, cli_json):
    cli_json("client", "archive", "Ann Smith")
    result = cli("session", "log", "-c", "Ann Smith", "-m", "30", "--json")
    assert result.exit_code == 0
    assert "archived" in result.stderr
    assert result.stderr.startswith("Warning:")
    assert cli_json("session", "list")[0]["client"] == "Ann Smith"


# ---------------------------------------------------------------- bad input


def _assert_refused(result, code):
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_client_and_minutes_names_both_flags(cli, rows, journal_path):
    result = cli("session", "log", "--notes", "private words")
    _assert_refused(result, 2)
    first = result.stderr.splitlines()[0]
    assert "--client" in first and "--minutes" in first
    assert "private words" not in result.stderr
    if journal_path.exists():
        assert rows("SELECT * FROM sessions") == []


def test_missing_minutes_alone(ann, cli):
    result = cli("session", "log", "-c", "Ann Smith")
    _assert_refused(result, 2)
    assert "--minutes" in result.stderr and "--client" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--on", "2026-02-30"], 2, "--on"),
        (["--on", "05/13/2026"], 2, "--on"),
        (["--minutes", "-5"], 2, "--minutes"),
        (["--minutes", "0"], 2, "--minutes"),
        (["--minutes", "abc"], 2, "--minutes"),
        (["--minutes", "1441"], 2, "--minutes"),
        (["--mode", "zoom"], 2, "--mode"),
        (["--format", "pair"], 2, "--format"),
        (["--model", "smart"], 2, "--model"),
        (["--at", "25:00"], 2, "--at"),
        (["--theme", "resilience"], 2, "--theme"),
        (["--card", "no-such-card"], 1, "no-such-card"),
        (["--client", "Nobody"], 1, "Nobody"),
        (["--action", "One", "--action-due", "2026-01-01", "--action-due", "2026-01-02"], 2,
         "--action-due"),
        (["--action", "One", "--action-due", "2026-13-01"], 2, "--action-due"),
        (["--action", ""], 2, "--action must not be empty"),
        (["--action", "x" * 501], 2, "--action is too long"),
        (["--tag", "two\nlines"], 2, "--tag"),
    ],
)  # fmt: skip
def test_bad_input_is_one_error_and_nothing_written(ann, cli, rows, args, code, words):
    base = {"--client": "Ann Smith", "--minutes": "60"}
    for i in range(0, len(args), 2):
        base.pop(args[i], None)
    flat = [x for pair in base.items() for x in pair]
    result = cli("session", "log", *flat, "--notes", "secret note", *args)
    _assert_refused(result, code)
    assert words in result.stderr
    assert "secret note" not in result.stderr
    assert rows("SELECT * FROM sessions") == []
    assert rows("SELECT * FROM actions") == []
    assert rows("SELECT * FROM search_index") == []


def test_unknown_session_id(cli):
    for command in (["show", "7"], ["edit", "7", "--minutes", "5"], ["delete", "7", "--yes"]):
        result = cli("session", *command)
        _assert_refused(result, 1)
        assert result.stderr.splitlines()[0] == "Error: No session 7."


def test_session_id_must_be_a_number(cli):
    _assert_refused(cli("session", "show", "first"), 2)


# ---------------------------------------------------------------- list


def test_list_filters_and_newest_first(ann, cli_json):
    cli_json("client", "add", "Bob")
    _log(cli_json, "-m", "30", "--on", "2026-01-10", "--theme", "team", "--card", "mindset")
    _log(cli_json, "-m", "40", "--on", "2026-02-10", "--theme", "strategic")
    cli_json("session", "log", "-c", "Bob", "-m", "50", "--on", "2026-03-10", "--theme", "team")

    def ids(*args):
        return [s["id"] for s in cli_json("session", "list", *args)]

    assert ids() == [3, 2, 1]
    assert ids("--client", "ann smith") == [2, 1]
    assert ids("--since", "2026-02-01") == [3, 2]
    assert ids("--until", "2026-02-10") == [2, 1]
    assert ids("--since", "2026-02-01", "--until", "2026-02-28") == [2]
    assert ids("--theme", "team") == [3, 1]
    assert ids("--card", "Mindset") == [1]
    assert ids("--theme", "team", "--client", "Bob") == [3]
    assert ids("--theme", "confidence") == []


def test_list_limit_defaults_to_20_and_0_means_all(ann, cli, cli_json):
    for day in range(1, 24):
        _log(cli_json, "-m", "30", "--on", f"2026-01-{day:02d}")
    listed = cli_json("session", "list")
    assert len(listed) == 20
    assert listed[0]["on"] == "2026-01-23" and listed[-1]["on"] == "2026-01-04"
    assert len(cli_json("session", "list", "--limit", "0")) == 23
    assert [s["on"] for s in cli_json("session", "list", "-n", "2")] == [
        "2026-01-23",
        "2026-01-22",
    ]
    human = cli("session", "list")
    assert "--limit 0" in human.stderr
    _assert_refused(cli("session", "list", "--limit", "-1"), 2)


def test_list_is_an_empty_array_when_nothing_matches(cli_json):
    assert cli_json("session", "list") == []


def test_list_bad_filters(ann, cli):
    _assert_refused(cli("session", "list", "--since", "2026-02-30"), 2)
    _assert_refused(cli("session", "list", "--theme", "being"), 2)
    _assert_refused(cli("session", "list", "--card", "nope"), 1)
    _assert_refused(cli("session", "list", "--client", "Nobody"), 1)


def test_human_list_fits_80_columns(cli, cli_json):
    cli_json("client", "add", "Bartholomew Featherstonehaugh-Smythe of Somewhere")
    cli_json(
        "session", "log", "-c", "1", "-m", "90",
        "--theme", "self-presentation", "--theme", "prioritisation", "--theme", "influence",
        "--notes", "A long first line of notes " * 10 + "\nand a second line",
    )  # fmt: skip
    result = cli("session", "list", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # header, rule, one row: nothing wrapped
    assert all(len(line) <= 80 for line in lines)
    assert lines[2].split()[:2] == ["1", TODAY]
    assert "…" in lines[2]


# ---------------------------------------------------------------- edit


def test_edit_changes_only_given_fields_and_replaces_lists(ann, cli_json, rows):
    _log(
        cli_json, "-m", "60", "--on", "2026-01-05", "--theme", "team", "--theme", "confidence",
        "--tag", "a", "--notes", "old notes", "--private-notes", "keep me",
    )  # fmt: skip
    edited = cli_json(
        "session", "edit", "1", "--minutes", "75", "--theme", "strategic", "--mode", "phone"
    )
    assert edited["minutes"] == 75
    assert edited["mode"] == "phone"
    assert edited["themes"] == ["strategic"]
    assert edited["tags"] == ["a"]
    assert edited["notes"] == "old notes"
    assert edited["private_notes"] == "keep me"
    assert edited["on"] == "2026-01-05"
    assert rows("SELECT theme FROM session_themes") == [{"theme": "strategic"}]
    cleared = cli_json("session", "edit", "1", "--private-notes", "", "--no-pro-bono")
    assert cleared["private_notes"] is None


def test_edit_notes_updates_the_search_index(ann, cli_json, rows):
    _log(cli_json, "-m", "60", "--notes", "talked about rotas")

    def indexed():
        return rows("SELECT kind, entry_id, body FROM search_index WHERE kind = 'session'")

    assert "rotas" in indexed()[0]["body"]
    cli_json("session", "edit", "1", "--notes", "-", input="discussed the budget\n")
    body = indexed()[0]["body"]
    assert "budget" in body and "rotas" not in body
    assert rows("SELECT entry_id FROM search_index WHERE search_index MATCH 'rotas'") == []
    assert rows("SELECT entry_id FROM search_index WHERE search_index MATCH 'budget'") == [
        {"entry_id": 1}
    ]


def test_edit_action_adds_and_keeps_every_other_action(ann, cli_json, rows):
    logged = _log(cli_json, "-m", "60", "--action", "Keep", "--action", "Also keep")
    keep_id = logged["actions"][0]["id"]
    cli_json("action", "done", str(keep_id))
    edited = cli_json("session", "edit", "1", "--action", "New", "--action-due", "2026-02-01")
    assert [(a["id"], a["text"], a["due"], bool(a["done_on"])) for a in edited["actions"]] == [
        (keep_id, "Keep", None, True),
        (2, "Also keep", None, False),
        (3, "New", "2026-02-01", False),
    ]
    texts = [r["text"] for r in rows("SELECT text FROM actions ORDER BY id")]
    assert texts == ["Keep", "Also keep", "New"]


def test_edit_client_moves_the_actions_too(ann, cli_json):
    cli_json("client", "add", "Bob")
    _log(cli_json, "-m", "60", "--action", "Write it up")
    moved = cli_json("session", "edit", "1", "--client", "Bob")
    assert moved["client"] == "Bob"
    assert moved["actions"][0]["client"] == "Bob"
    assert [a["text"] for a in cli_json("action", "list", "--client", "Bob")] == ["Write it up"]
    assert cli_json("action", "list", "--client", "Ann Smith") == []


def test_bad_edit_changes_nothing(ann, cli, cli_json, rows):
    _log(cli_json, "-m", "60", "--notes", "before", "--card", "resilience")
    before = rows("SELECT * FROM sessions")
    for args, code in (
        (["--minutes", "-5"], 2),
        (["--on", "2026-02-30"], 2),
        (["--card", "mindset", "--card", "unknown"], 1),
        (["--notes", "after", "--client", "Nobody"], 1),
        (["--action-due", "2026-01-01"], 2),
        ([], 2),
    ):
        _assert_refused(cli("session", "edit", "1", *args), code)
    assert rows("SELECT * FROM sessions") == before
    assert rows("SELECT card FROM session_cards") == [{"card": "resilience"}]


# ---------------------------------------------------------------- delete


def test_delete_needs_yes_when_not_interactive(ann, cli, cli_json, rows):
    _log(cli_json, "-m", "60")
    result = cli("session", "delete", "1")
    _assert_refused(result, 1)
    assert "--yes" in result.stderr
    assert len(rows("SELECT * FROM sessions")) == 1


def test_delete_removes_actions_labels_and_search_entries(ann, cli, cli_json, rows):
    _log(
        cli_json, "-m", "60", "--notes", "unique words", "--theme", "team", "--card", "mindset",
        "--tag", "x", "--action", "Do the thing",
    )  # fmt: skip
    _log(cli_json, "-m", "30", "--notes", "the other session", "--action", "Another thing")
    assert len(rows("SELECT * FROM search_index")) == 4
    deleted = cli_json("session", "delete", "1", "--yes")
    assert deleted["id"] == 1 and deleted["actions"][0]["text"] == "Do the thing"
    assert [r["id"] for r in rows("SELECT id FROM sessions")] == [2]
    assert rows("SELECT session_id FROM actions") == [{"session_id": 2}]
    for table in ("session_themes", "session_cards", "session_tags"):
        assert rows(f"SELECT * FROM {table}") == []
    assert sorted((r["kind"], r["entry_id"]) for r in rows("SELECT * FROM search_index")) == [
        ("action", 2),
        ("session", 2),
    ]
    assert rows("SELECT * FROM search_index WHERE search_index MATCH 'unique'") == []
    human = cli("session", "delete", "2", "--yes")
    assert human.exit_code == 0
    assert human.stderr.startswith("Deleted session 2")
    assert rows("SELECT * FROM sessions") == []


def test_delete_asks_first_at_a_terminal(ann, cli, cli_json, rows, say_at_prompt):
    _log(cli_json, "-m", "60")
    say_at_prompt(False)
    declined = cli("session", "delete", "1")
    assert declined.exit_code == 130
    assert len(rows("SELECT * FROM sessions")) == 1
    say_at_prompt(True)
    accepted = cli("session", "delete", "1")
    assert accepted.exit_code == 0
    assert rows("SELECT * FROM sessions") == []
