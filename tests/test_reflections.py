"""`coachlog reflect` and `coachlog reflection list|show`, and their bad input."""

from __future__ import annotations

import pytest

from coachlog.content import shipped_deck

DECK = shipped_deck()
CARD_THEMES = {c.key: c.theme for c in DECK.cards}


def _question(card: str, perspective: str) -> str:
    return next(c for c in DECK.cards if c.key == card).questions[perspective]  # type: ignore[index]


def test_card_reflection_stores_card_deck_perspective_and_question(cli_json, rows):
    saved = cli_json(
        "reflect", "--card", "resilience", "--text", "I rested this weekend.",
        "--theme", "confidence", "--tag", "energy", "--on", "2026-03-02",
    )  # fmt: skip
    assert saved["id"] == 1
    assert saved["card"] == "resilience"
    assert saved["deck"] == "nhs-system-leadership"
    assert saved["perspective"] == "self"  # the default
    assert saved["question"] == _question("resilience", "self")
    assert saved["text"] == "I rested this weekend."
    assert saved["on"] == "2026-03-02"
    assert saved["themes"] == ["confidence"] and saved["tags"] == ["energy"]
    assert saved["client"] is None and saved["client_id"] is None
    stored = rows("SELECT card, deck, perspective, question, text, on_date FROM reflections")
    assert stored == [
        {
            "card": "resilience",
            "deck": "nhs-system-leadership",
            "perspective": "self",
            "question": _question("resilience", "self"),
            "text": "I rested this weekend.",
            "on_date": "2026-03-02",
        }
    ]
    assert cli_json("reflection", "show", "1") == saved


def test_perspective_picks_the_question(cli_json):
    saved = cli_json("reflect", "--card", "mindset", "-p", "system", "--text", "x")
    assert saved["perspective"] == "system"
    assert saved["question"] == _question("mindset", "system")


def test_free_reflection_has_no_card(cli_json):
    saved = cli_json("reflect", "--text", "Just thinking.")
    assert (saved["card"], saved["deck"], saved["perspective"], saved["question"]) == (
        None,
        None,
        None,
        None,
    )


def test_random_draws_a_real_card_and_records_its_question(cli_json, rows):
    saved = cli_json("reflect", "--random", "--text", "drawn")
    assert saved["card"] in CARD_THEMES
    assert saved["question"] == _question(saved["card"], saved["perspective"])


def test_card_theme_draws_from_that_group_only(cli_json):
    for _ in range(4):
        saved = cli_json("reflect", "--card-theme", "being", "-p", "organisation", "--text", "b")
        assert CARD_THEMES[saved["card"]] == "being"
        assert saved["perspective"] == "organisation"
        assert saved["question"] == _question(saved["card"], "organisation")


def test_text_from_stdin(cli_json, rows):
    saved = cli_json("reflect", "--text", "-", input="Line one.\nLine [/bold] two.\n")
    assert saved["text"] == "Line one.\nLine [/bold] two."
    assert rows("SELECT text FROM reflections") == [{"text": "Line one.\nLine [/bold] two."}]


def test_markup_lookalike_text_is_stored_and_shown_verbatim(cli, cli_json):
    result = cli("reflect", "--card", "authenticity", "--text", "[/bold] honest [red]")
    assert result.exit_code == 0, result.stderr
    # The card and question being answered are shown, then the confirmation.
    assert "Authenticity" in result.stdout
    assert _question("authenticity", "self").split()[0] in result.stdout
    assert result.stderr.strip() == "Saved reflection 1."
    shown = cli("reflection", "show", "1")
    assert "[/bold] honest [red]" in shown.stdout
    listed = cli("reflection", "list", env={"COLUMNS": "80"})
    assert "[/bold] honest [red]" in listed.stdout
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80


def test_links_to_client_goal_and_session(cli_json):
    cli_json("client", "add", "Ann Smith")
    cli_json("goal", "add", "Delegate", "--client", "Ann Smith")
    cli_json("session", "log", "--client", "1", "--minutes", "45")
    # A goal or session of a client files the reflection under that client.
    by_goal = cli_json("reflect", "--goal", "1", "--text", "a")
    assert (by_goal["goal_id"], by_goal["client_id"], by_goal["client"]) == (1, 1, "Ann Smith")
    by_session = cli_json("reflect", "--session", "1", "--client", "ann smith", "--text", "b")
    assert (by_session["session_id"], by_session["client_id"]) == (1, 1)


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--goal", "9"], "Error: No goal 9."),
        (["--session", "9"], "Error: No session 9."),
        (["--client", "Nobody"], "Error: No client 'Nobody'."),
        (["--card", "no-such-card"], "Error: No card 'no-such-card'."),
        (["--random", "--deck", "nope"], "Error: No deck 'nope'."),
        (["--goal", "1", "--client", "Ann"], "Error: Goal 1 is your own, not this client's."),
    ],
)
def test_unknown_references_are_exit_1_and_write_nothing(cli, cli_json, rows, args, first_line):
    cli_json("client", "add", "Ann")
    cli_json("goal", "add", "Mine")
    result = cli("reflect", *args, "--text", "hello")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[0] == first_line
    assert result.stdout == ""
    assert rows("SELECT * FROM reflections") == []


@pytest.mark.parametrize(
    ("args", "stdin", "in_message"),
    [
        ([], None, "--text"),
        (["--card", "resilience"], None, "--text"),
        (["--text", ""], None, "nothing to save"),
        (["--text", "  \n\t "], None, "nothing to save"),
        (["--text", "-"], "", "nothing to save"),
        (["--text", "-"], "   \n\n", "nothing to save"),
        (["--text", "x", "--on", "2026-02-30"], None, "--on"),
        (["--text", "x", "--card", "resilience", "--random"], None, "only one of"),
        (["--text", "x", "--card-theme", "nope"], None, "'nope' is not a theme"),
        (["--text", "x", "--perspective", "team"], None, "--perspective"),
        (["--text", "x", "--perspective", "self"], None, "--perspective goes with a card"),
        (["--text", "x", "--theme", "being"], None, "--theme"),
        (["--text", "x", "--goal", "one"], None, "--goal"),
        (["--text", "x\x00y"], None, "NUL"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(cli, journal_path, rows, args, stdin, in_message):
    result = cli("reflect", *args, input=stdin)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: ")
    assert in_message in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    if journal_path.exists():
        assert rows("SELECT * FROM reflections") == []


def _seed(cli_json) -> None:
    cli_json("client", "add", "Ann")
    entries = [
        ("2026-01-05", ["--card", "resilience", "--theme", "confidence"]),
        ("2026-01-20", ["--card", "mindset", "--client", "Ann"]),
        ("2026-02-03", ["--card", "resilience", "--client", "Ann", "--theme", "team"]),
        ("2026-02-03", ["--theme", "confidence"]),
        ("2026-03-01", []),
    ]
    for number, (on, extra) in enumerate(entries, start=1):
        cli_json("reflect", "--on", on, "--text", f"entry {number}", *extra)


def test_list_is_newest_first_and_filters(cli_json):
    assert cli_json("reflection", "list") == []
    _seed(cli_json)

    def ids(*args: str) -> list[int]:
        return [r["id"] for r in cli_json("reflection", "list", *args)]

    assert ids() == [5, 4, 3, 2, 1]  # same day: the later entry first
    assert ids("--since", "2026-01-20", "--until", "2026-02-03") == [4, 3, 2]
    assert ids("--card", "resilience") == [3, 1]
    assert ids("--theme", "confidence") == [4, 1]
    assert ids("--client", "ann") == [3, 2]
    assert ids("--client", "Ann", "--card", "resilience") == [3]
    assert ids("--limit", "2") == [5, 4]
    assert ids("--limit", "0") == [5, 4, 3, 2, 1]
    assert ids("--since", "2027-01-01") == []
    full = cli_json("reflection", "list", "--card", "resilience")[0]
    assert full["themes"] == ["team"] and full["client"] == "Ann"


def test_list_limit_defaults_to_20(cli_json, rows):
    for number in range(21):
        cli_json("reflect", "--text", f"n{number}")
    listed = cli_json("reflection", "list")
    assert len(listed) == 20
    assert listed[0]["text"] == "n20"
    assert len(rows("SELECT id FROM reflections")) == 21


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--since", "2026-02-30"], 2),
        (["--until", "soon"], 2),
        (["--limit", "-1"], 2),
        (["--theme", "being"], 2),
        (["--card", "no-such-card"], 1),
        (["--client", "Nobody"], 1),
    ],
)
def test_list_bad_filters(cli, args, code):
    result = cli("reflection", "list", *args)
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ")
    assert result.stdout == ""


def test_show_unknown_is_exit_1(cli):
    result = cli("reflection", "show", "7")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "Error: No reflection 7."


def test_show_prints_question_and_whole_text(cli, cli_json):
    cli_json("reflect", "--card", "mindset", "-p", "organisation", "--text", "One.\nTwo.")
    shown = cli("reflection", "show", "1")
    assert shown.exit_code == 0
    assert "Mindset (organisation)" in shown.stdout
    assert "One.\nTwo." in shown.stdout
    assert " ".join(_question("mindset", "organisation").split()[:3]) in shown.stdout


def test_a_wide_terminal_shows_whole_card_keys_and_more_text(cli, cli_json):
    text = "A scaling question opened up a whole session and I want to remember how it went"
    cli_json("reflect", "--card", "collaboration-co-creation", "--text", text)
    wide = cli("reflection", "list", env={"COLUMNS": "160"})
    assert wide.exit_code == 0, wide.stderr
    assert "collaboration-co-creation" in wide.stdout and text in wide.stdout
    narrow = cli("reflection", "list", env={"COLUMNS": "80"}).stdout
    assert "collaboration-…" in narrow
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 80


def test_a_cut_list_says_so_in_the_same_words_as_session_list(cli, cli_json):
    for n in range(3):
        cli_json("reflect", "--text", f"Note {n}", "--on", f"2024-01-0{n + 1}")
    result = cli("reflection", "list", "--limit", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Showing the 2 newest; --limit 0 shows them all.\n"


def test_list_says_it_was_cut_only_when_more_exist(cli, cli_json):
    for n in range(3):
        cli_json("reflect", "--text", f"Entry {n}")
    exact = cli("reflection", "list", "--limit", "3")
    assert exact.exit_code == 0
    assert "--limit 0 shows them all" not in exact.stderr
    cut = cli("reflection", "list", "--limit", "2")
    assert "Showing the 2 newest; --limit 0 shows them all." in cut.stderr
    assert len(cli_json("reflection", "list", "--limit", "2")) == 2
