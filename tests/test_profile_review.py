"""Behaviour profiles tried as a user and an attacker would (review of issue 18).

A deck of one's own can name a client in its titles, and can carry bidi controls;
a supervision pack covers a period. Each test drives the real CLI on a temp
journal and checks the files or the parsed JSON written.
"""

from __future__ import annotations

import json
from typing import Any

KEYS = [
    "authenticity",
    "mindset",
    "resilience",
    "relationships",
    "collaboration-co-creation",
    "compassion",
    "inclusion",
    "shared-purpose",
    "systems-thinking",
    "enabling-others",
    "outcome-focus",
    "learning-improvement",
    "shared-accountability",
]

# A coach's own deck made for one client: her name is in the deck's title, a
# theme's title and a card's title (and so in that card's key).
NAMED_DECK = """
name = "priya-deck"
title = "Cards for Priya Sharma"
source = "me"
[[themes]]
key = "inner"
title = "Priya's inner work"
[[cards]]
key = "calm-with-priya"
title = "Calm with Priya"
theme = "inner"
source = "me"
description = "Staying steady."
[cards.questions]
self = "a?"
organisation = "b?"
system = "c?"
[[cards]]
key = "courage"
title = "Courage"
theme = "inner"
source = "me"
description = "Speaking up."
[cards.questions]
self = "a?"
organisation = "b?"
system = "c?"
"""


def _rate(cli_json, scores: list[int], *extra: str) -> dict[str, Any]:
    flags: list[str] = []
    for key, score in zip(KEYS, scores, strict=True):
        flags += ["--card", f"{key}={score}"]
    return cli_json("profile", "rate", *extra, *flags)


def test_an_anonymised_pack_names_no_client_through_a_decks_titles(cli, cli_json, tmp_path):
    deck = tmp_path / "priya.toml"
    deck.write_text(NAMED_DECK, encoding="utf-8")
    cli_json("cards", "import", str(deck))
    cli_json("client", "add", "Priya Sharma")
    cli_json("session", "log", "-c", "Priya Sharma", "-m", "60", "--notes", "Went well")
    cli_json(
        "profile",
        "rate",
        "--client",
        "Priya Sharma",
        "--deck",
        "priya-deck",
        "--card",
        "calm-with-priya=3",
        "--card",
        "courage=8",
    )
    for fmt in ("json", "md", "html"):
        result = cli("export", "supervision", "--profile", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "priya" not in result.stdout.lower(), fmt
        assert "sharma" not in result.stdout.lower(), fmt
    pack = json.loads(cli("export", "supervision", "--profile", "--format", "json").stdout)
    profile = pack["clients"][0]["profile"]
    cards = {c["key"]: c for c in profile["cards"]}
    assert cards["calm-with-client-a"]["title"] == "Calm with Client A"
    assert cards["calm-with-client-a"]["theme_title"] == "Client A's inner work"
    assert profile["develop"] == ["calm-with-client-a"]
    assert profile["strengths"] == ["courage"]
    # --names puts the deck's own words back.
    named = json.loads(
        cli("export", "supervision", "--profile", "--names", "--format", "json").stdout
    )
    assert named["clients"][0]["profile"]["develop"] == ["calm-with-priya"]
    assert named["clients"][0]["profile"]["deck"] == "priya-deck"


def _pack(cli, *args: str) -> dict[str, Any]:
    result = cli("export", "supervision", "--profile", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_packs_profile_is_the_latest_up_to_the_end_of_its_period(cli, cli_json):
    cli_json("client", "add", "Sam Patel")
    cli_json("session", "log", "-c", "Sam Patel", "-m", "60", "--on", "2026-03-02")
    _rate(cli_json, [5] * 12 + [2], "--client", "Sam Patel", "--on", "2026-01-10")
    _rate(cli_json, [5] * 12 + [4], "--client", "Sam Patel", "--on", "2026-03-01")
    _rate(cli_json, [5] * 12 + [9], "--client", "Sam Patel", "--on", "2026-06-01")
    _rate(cli_json, [3] * 13, "--on", "2026-01-05")  # the coach's own
    _rate(cli_json, [6] * 13, "--on", "2026-05-05")
    pack = _pack(cli, "--until", "2026-03-31")
    profile = pack["clients"][0]["profile"]
    assert (profile["on"], profile["assessments"], profile["first_on"]) == (
        "2026-03-01",
        2,
        "2026-01-10",
    )
    assert profile["cards"][-1]["score"] == 4 and profile["cards"][-1]["change"] == 2
    assert pack["profile"]["on"] == "2026-01-05" and pack["profile"]["assessments"] == 1
    # Before any assessment, none; with no end, the latest of all.
    early = _pack(cli, "--until", "2026-01-01")
    assert early["profile"] is None
    assert early["clients"] == [] or early["clients"][0]["profile"] is None
    whole = _pack(cli)
    assert whole["clients"][0]["profile"]["on"] == "2026-06-01"


def test_bidi_controls_in_a_decks_titles_cannot_reorder_the_chart(cli, cli_json, tmp_path):
    # A right-to-left override at the end of a title would run on into the score
    # written after it ("Calm (9)" read as "Calm )9("), and into the rest of the line.
    deck = tmp_path / "rlo.toml"
    deck.write_text(
        NAMED_DECK.replace('title = "Courage"', 'title = "Courage \\u202e"')
        .replace('key = "courage"', 'key = "courage"')
        .replace('title = "Priya\'s inner work"', 'title = "Inner \\u2067work"'),
        encoding="utf-8",
    )
    cli_json("cards", "import", str(deck))
    cli_json("client", "add", "Sam \u202eletaP")
    cli_json(
        "profile",
        "rate",
        "--client",
        "1",
        "--deck",
        "priya-deck",
        "--card",
        "calm-with-priya=3",
        "--card",
        "courage=9",
    )
    for name in ("p.svg", "p.html"):
        out = tmp_path / name
        assert cli("profile", "--client", "1", "-o", str(out)).exit_code == 0
        text = out.read_text(encoding="utf-8")
        assert "\u202e" not in text and "\u2067" not in text, name
        assert "Courage \\u202e" in text and "Inner \\u2067work" in text, name
        assert "Sam \\u202eletaP" in text, name
    # The data keeps the exact text.
    shown = cli_json("profile", "--client", "1")
    assert shown["cards"][1]["title"] == "Courage \u202e"


def test_the_terminal_shows_since_first_only_when_first_is_not_previous(cli, cli_json):
    _rate(cli_json, [5] * 13, "--on", "2026-01-10")
    _rate(cli_json, [6] * 12 + [9], "--on", "2026-04-10")
    _rate(cli_json, [7] * 12 + [8], "--on", "2026-08-10")
    lines = cli("profile", env={"COLUMNS": "60"}).stdout.splitlines()
    assert "3 assessments · first 10 Jan 2026 · previous 10 Apr 2026" in lines
    assert lines[3].split() == ["Now", "Prev", "First"]
    row = next(line for line in lines if "Shared accountability" in line)
    assert row.split()[-3:] == ["8", "-1", "+3"]
    assert max(len(line) for line in lines) <= 60


def test_small_words_read_right(cli, cli_json, tmp_path):
    # One card rated: "1 behaviour", not "1 behaviours".
    deck = tmp_path / "mine.toml"
    deck.write_text(NAMED_DECK.split('[[cards]]\nkey = "courage"')[0], encoding="utf-8")
    cli_json("cards", "import", str(deck))
    saved = cli("profile", "rate", "--deck", "priya-deck", "--card", "calm-with-priya=4")
    assert "1 behaviour)" in saved.stderr + saved.stdout, saved.stderr
    # db purge says in its help that it removes behaviour assessments too.
    assert "behaviour assessments" in " ".join(cli("db", "purge", "--help").stdout.lower().split())
    # The page's table puts the theme, a word, on the left like the behaviour.
    out = tmp_path / "p.html"
    assert cli("profile", "-o", str(out)).exit_code == 0
    assert "td:nth-child(2)" in out.read_text(encoding="utf-8")


def test_a_huge_score_or_key_is_one_short_usage_error(cli, rows):
    # Python refuses to turn more than 4300 digits into an int: that was an
    # "unexpected" ValueError (exit 1), and 3000 digits were echoed back whole.
    for typed in ("9" * 5000, "9" * 3000, "0" * 4999 + "7"):
        result = cli("profile", "rate", "--card", f"authenticity={typed}")
        assert result.exit_code == 2, result.stderr
        assert result.stderr.startswith("Error: --card authenticity: the score must be")
        assert "unexpected" not in result.stderr
        assert len(result.stderr) < 200, len(result.stderr)
    result = cli("profile", "rate", "--card", "k" * 5000 + "=5")
    assert result.exit_code == 2 and len(result.stderr) < 300, len(result.stderr)
    assert rows("SELECT * FROM assessments") == []


def test_a_huge_number_typed_at_a_score_prompt_is_refused_not_a_crash():
    from coachlog.cli import prompts

    check = prompts.integer_validator(0, 10, "score")
    assert check("9" * 5000) == "The score must be from 0 to 10."
    assert check("0" * 5000) == "The score must be from 0 to 10."
    assert check("007") is None
    assert check("11") == "The score must be from 0 to 10, not 11."
    assert check("7") is None


def test_an_empty_date_is_refused_as_edit_refuses_it(cli, rows):
    flags: list[str] = []
    for key in KEYS:
        flags += ["--card", f"{key}=5"]
    result = cli("profile", "rate", *flags, "--on", "")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --on '' is not a date")
    assert rows("SELECT * FROM assessments") == []


def test_asking_for_a_chart_file_with_no_profile_is_an_error_not_silence(cli, tmp_path):
    # `profile -o sam.svg && open sam.svg` should not succeed with no file.
    out = tmp_path / "p.svg"
    result = cli("profile", "-o", str(out))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: No behaviour profile yet")
    assert "profile rate" in result.stderr
    assert not out.exists()
    result = cli("profile", "--format", "html")
    assert result.exit_code == 1 and result.stdout == ""
    # Only a chart was asked for: plain `profile` still just says how to start.
    assert cli("profile").exit_code == 0


def _with_indicators(table: str) -> str:
    return NAMED_DECK.replace(
        'system = "c?"\n[[cards]]', f'system = "c?"\n[cards.indicators]\n{table}\n[[cards]]', 1
    )


def test_a_bad_indicator_in_a_deck_is_named_in_plain_words(cli, tmp_path, rows):
    cases = {
        "positive = [" + ", ".join(['"x"'] * 21) + "]": (
            "the positive indicators of card 'calm-with-priya' are too many (at most 20)"
        ),
        'negative = ["ok", "' + "y" * 500 + '"]': (
            "negative indicator 2 of card 'calm-with-priya' is too long (at most 400 characters)"
        ),
        'positive = ["ok", "  "]': "positive indicator 2 of card 'calm-with-priya' must not be",
        'positive = ["ok"]\nneutral = ["?"]': "neutral indicators of card 'calm-with-priya' are",
    }
    for table, words in cases.items():
        deck = tmp_path / "d.toml"
        deck.write_text(_with_indicators(table), encoding="utf-8")
        result = cli("cards", "import", str(deck))
        assert result.exit_code == 2, result.stderr
        assert words in result.stderr, result.stderr
    assert rows("SELECT * FROM decks") == []


def test_escapes_in_a_decks_text_keep_the_card_panel_square(cli, cli_json, tmp_path):
    # Escapes are made visible (\x1b is four characters) after Rich has laid the
    # panel out for zero-width controls, so the right border was cut off.
    deck = tmp_path / "esc.toml"
    deck.write_text(
        NAMED_DECK.replace(
            'description = "Staying steady."',
            'description = "Staying \\u001b[2J\\u001b[31msteady \\u202e."',
        )
        .replace('title = "Calm with Priya"', 'title = "Calm with Priya \\u202e"')
        .replace(
            'system = "c?"\n[[cards]]',
            'system = "c?"\n[cards.indicators]\npositive = ["\\u001b]8;;http://x\\u001b\\\\'
            'link\\u001b]8;;\\u001b\\\\ here"]\nnegative = ["\\u0085 and \\u009b31m"]\n[[cards]]',
            1,
        ),
        encoding="utf-8",
    )
    cli_json("cards", "import", str(deck))
    cli_json(
        "profile",
        "rate",
        "--deck",
        "priya-deck",
        "--card",
        "calm-with-priya=3",
        "--card",
        "courage=8",
    )
    for args in (("cards", "show", "calm-with-priya", "--deck", "priya-deck"), ("profile",)):
        out = cli(*args, env={"COLUMNS": "60"}).stdout
        assert "\x1b" not in out and "\u202e" not in out and "\x85" not in out
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 60, args
        if args[0] == "cards":
            assert "\\x1b[2J" in out and "\\u202e" in out and "\\x85" in out
            body = lines[1 : lines.index(next(x for x in lines if x.startswith("╰")))]
            assert all(line.endswith("│") for line in body), body
            assert len({len(line) for line in body}) == 1, body


def test_history_at_60_columns_names_one_deck_once_rather_than_cutting_it(cli, cli_json):
    cli_json("client", "add", "Zoë O'Neill-Straße")
    _rate(cli_json, [5] * 13, "--on", "2026-01-10")
    _rate(cli_json, [6] * 13, "--client", "1", "--on", "2026-02-10")
    out = cli("profile", "history", "--all", env={"COLUMNS": "60"}).stdout
    assert "…" not in out, out
    assert "Zoë O'Neill-Straße" in out
    assert out.count("nhs-system-leadership") == 1
    assert max(len(line) for line in out.splitlines()) <= 60
