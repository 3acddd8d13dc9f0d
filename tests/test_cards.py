"""`coachlog themes` and `coachlog cards ...`: the shipped deck, a user's own deck,
drawing cards by least use, and the bad input each command must refuse cleanly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHIPPED = "nhs-system-leadership"

MY_DECK = """
name = "my-deck"
title = "My [bold]own[/bold] deck"
source = "Written by me"

[[themes]]
key = "inner"
title = "Inner work"

[[themes]]
key = "outer"
title = "Outer work"

[[cards]]
key = "patience"
title = "Patience"
theme = "inner"
source = "me"
description = "Waiting [/bold] well."
[cards.questions]
self = "When did you wait well?"
organisation = "What does your team rush?"
system = "Where does the system need time?"

[[cards]]
key = "courage"
title = "Courage"
theme = "outer"
source = "me"
description = "Speaking up."
[cards.questions]
self = "What would you say if you were braver?"
organisation = "Who speaks up here?"
system = "What is unsaid between partners?"
"""


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(MY_DECK, encoding="utf-8")
    return path


def _one_card_deck(tmp_path: Path) -> Path:
    """A deck with only 'patience', so draw has one card and only the perspective varies."""
    start = MY_DECK.index('[[cards]]\nkey = "courage"')
    text = MY_DECK[:start].replace('name = "my-deck"', 'name = "solo"')
    path = tmp_path / "solo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- themes and the shipped deck


def test_themes_lists_the_six_impact_themes(cli, cli_json):
    found = cli_json("themes")
    assert [t["key"] for t in found] == [
        "strategic",
        "prioritisation",
        "confidence",
        "influence",
        "team",
        "self-presentation",
    ]
    assert found[2] == {"key": "confidence", "title": "Increased confidence"}
    human = cli("themes")
    assert human.exit_code == 0
    assert "Better work prioritisation" in human.stdout


def test_cards_list_has_thirteen_cards_in_four_groups(cli, cli_json):
    found = cli_json("cards", "list")
    assert len(found) == 13
    assert {c["theme"] for c in found} == {
        "being",
        "relating-communicating",
        "leading-visioning",
        "delivering",
    }
    assert all(c["deck"] == SHIPPED for c in found)
    assert set(found[0]["questions"]) == {"self", "organisation", "system"}
    being = cli_json("cards", "list", "--group", "being")
    assert [c["key"] for c in being] == ["authenticity", "mindset", "resilience"]
    human = cli("cards", "list")
    assert "collaboration-co-creation" in human.stdout
    assert "Relating & Communicating" in human.stdout


def test_cards_show_gives_description_and_three_questions(cli, cli_json):
    card = cli_json("cards", "show", "authenticity")
    assert card["title"] == "Authenticity"
    assert card["theme"] == "being"
    assert card["source"] == "nwla"
    assert all(card["questions"][p].endswith("?") for p in ("self", "organisation", "system"))
    # A title names its card as well as the key does.
    assert cli_json("cards", "show", "Collaboration & co-creation")["key"] == (
        "collaboration-co-creation"
    )
    human = cli("cards", "show", "authenticity")
    assert human.exit_code == 0
    for label in ("Authenticity", "Being", "self:", "organisation:", "system:"):
        assert label in human.stdout
    assert card["questions"]["self"].split()[0] in human.stdout


def test_draw_returns_a_card_and_its_question(cli, cli_json):
    drawn = cli_json("cards", "draw")
    assert set(drawn) == {"card", "perspective", "question"}
    assert drawn["question"] == drawn["card"]["questions"][drawn["perspective"]]
    chosen = cli_json("cards", "draw", "--group", "delivering", "--perspective", "system")
    assert chosen["card"]["theme"] == "delivering"
    assert chosen["perspective"] == "system"
    assert chosen["question"] == chosen["card"]["questions"]["system"]
    human = cli("cards", "draw", "-p", "organisation")
    assert human.exit_code == 0
    assert "organisation:" in human.stdout
    assert "coachlog reflect --card" in human.stderr


def test_draw_favours_the_cards_used_least(cli_json):
    cards = [c["key"] for c in cli_json("cards", "list")]
    unused = "shared-accountability"
    for key in cards:
        if key != unused:
            cli_json("reflect", "--card", key, "--text", f"thinking about {key}")
    # The least used comes first, but never twice in a row: the draw after it is
    # another card, and the one after that the least used again.
    for _ in range(3):
        assert cli_json("cards", "draw")["card"]["key"] == unused
        assert cli_json("cards", "draw")["card"]["key"] != unused
    # Within a group, the least used of that group.
    cli_json("reflect", "--card", unused, "--text", "now this one too")
    cli_json("reflect", "--card", "outcome-focus", "--text", "and again")
    drawn = cli_json("cards", "draw", "--theme", "delivering")["card"]["key"]
    assert drawn in {"learning-improvement", "shared-accountability"}


def test_draw_rotates_perspectives_through_what_was_answered(cli_json, tmp_path):
    cli_json("cards", "import", str(_one_card_deck(tmp_path)))
    seen = []
    for _ in range(3):
        drawn = cli_json("cards", "draw", "--deck", "solo")
        assert drawn["card"]["key"] == "patience"
        seen.append(drawn["perspective"])
        cli_json(
            "reflect",
            "--card",
            "patience",
            "--deck",
            "solo",
            "--perspective",
            drawn["perspective"],
            "--text",
            "an answer",
        )
    assert seen == ["self", "organisation", "system"]


def test_card_usage_counts_sessions_and_reflections(cli_json, journal_path, rows):
    from coachlog.core.cards import card_usage
    from coachlog.store.db import open_journal

    client = cli_json("client", "add", "Ann")
    cli_json("reflect", "--card", "mindset", "--text", "one", "--on", "2026-01-10")
    cli_json("reflect", "--card", "mindset", "--text", "two", "--on", "2026-03-01", "-c", "Ann")
    cli_json("reflect", "--text", "no card", "--on", "2026-03-02")
    cli_json(
        "session", "log", "-c", "Ann", "--minutes", "45", "--on", "2026-02-01",
        "--card", "mindset", "--card", "resilience",
    )  # fmt: skip
    assert rows("SELECT count(*) AS n FROM session_cards") == [{"n": 2}]
    j = open_journal(journal_path)
    try:
        import datetime as dt

        assert card_usage(j) == {
            "mindset": (3, dt.date(2026, 3, 1)),
            "resilience": (1, dt.date(2026, 2, 1)),
        }
        assert card_usage(j, client_id=client["id"]) == {
            "mindset": (2, dt.date(2026, 3, 1)),
            "resilience": (1, dt.date(2026, 2, 1)),
        }
        assert card_usage(j, since="2026-01-15", until="2026-02-28") == {
            "mindset": (1, dt.date(2026, 2, 1)),
            "resilience": (1, dt.date(2026, 2, 1)),
        }
    finally:
        j.close()


# ---------------------------------------------------------------- a deck of one's own


def test_import_a_deck_list_show_and_draw_from_it(cli, cli_json, rows, deck_file):
    imported = cli_json("cards", "import", str(deck_file))
    assert imported["name"] == "my-deck"
    assert imported["cards"] == 2
    assert imported["builtin"] is False
    stored = rows("SELECT name, title, data FROM decks")
    assert [(r["name"], r["title"]) for r in stored] == [("my-deck", "My [bold]own[/bold] deck")]
    assert [c["key"] for c in json.loads(stored[0]["data"])["cards"]] == ["patience", "courage"]

    decks = cli_json("cards", "decks")
    assert [(d["name"], d["builtin"], d["cards"]) for d in decks] == [
        (SHIPPED, True, 13),
        ("my-deck", False, 2),
    ]
    listed = cli_json("cards", "list", "--deck", "my-deck")
    assert [(c["key"], c["deck"]) for c in listed] == [
        ("patience", "my-deck"),
        ("courage", "my-deck"),
    ]
    assert [
        c["key"] for c in cli_json("cards", "list", "--deck", "my-deck", "--group", "outer")
    ] == ["courage"]
    # Without --deck, a key not in the shipped deck is looked up in imported decks.
    assert cli_json("cards", "show", "patience")["deck"] == "my-deck"
    drawn = cli_json("cards", "draw", "--deck", "my-deck")
    assert drawn["card"]["deck"] == "my-deck"
    assert drawn["card"]["key"] in {"patience", "courage"}

    # The user's text is shown as typed, never read as markup.
    shown = cli("cards", "show", "patience")
    assert "Waiting [/bold] well." in shown.stdout
    assert "my-deck" in shown.stdout
    assert "My [bold]own[/bold] deck" in cli("cards", "decks").stdout
    assert "[bold]" in cli("cards", "list", "--deck", "my-deck").stdout


def test_import_refuses_a_name_taken_unless_replace(cli, cli_json, rows, deck_file, tmp_path):
    cli_json("cards", "import", str(deck_file))
    again = cli("cards", "import", str(deck_file))
    _error(again, 1)
    assert "--replace" in again.stderr
    assert len(rows("SELECT * FROM decks")) == 1

    changed = tmp_path / "changed.toml"
    changed.write_text(MY_DECK.replace("My [bold]own[/bold] deck", "Renamed"), encoding="utf-8")
    replaced = cli_json("cards", "import", str(changed), "--replace")
    assert replaced["title"] == "Renamed"
    assert rows("SELECT name, title FROM decks") == [{"name": "my-deck", "title": "Renamed"}]

    shipped = tmp_path / "shipped.toml"
    shipped.write_text(MY_DECK.replace('"my-deck"', f'"{SHIPPED}"'), encoding="utf-8")
    for args in (
        ["cards", "import", str(shipped)],
        ["cards", "import", str(shipped), "--replace"],
    ):
        _error(cli(*args), 1)
    assert len(rows("SELECT * FROM decks")) == 1


@pytest.mark.parametrize(
    "text, words",
    [
        ("name = ", "not valid TOML"),
        (MY_DECK.replace('system = "Where does the system need time?"', ""), "missing: system"),
        (MY_DECK.replace('key = "patience"', 'key = "wrong"'), "'patience'"),
        (MY_DECK.replace('theme = "outer"', 'theme = "nowhere"'), "nowhere"),
        (
            'name = "x"\ntitle = "X"\nsource = "s"\n[[themes]]\nkey = "a"\ntitle = "A"\n',
            "no cards",
        ),
    ],
)
def test_a_bad_deck_file_is_exit_2_and_nothing_is_stored(cli, rows, tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = cli("cards", "import", str(path))
    _error(result, 2)
    assert words in result.stderr
    assert "bad.toml" in result.stderr
    assert rows("SELECT * FROM decks") == []


def test_import_of_a_missing_or_binary_file_is_exit_2(cli, rows, tmp_path):
    _error(cli("cards", "import", str(tmp_path / "none.toml")), 2)
    _error(cli("cards", "import", str(tmp_path)), 2)
    binary = tmp_path / "deck.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    _error(cli("cards", "import", str(binary)), 2)
    assert rows("SELECT * FROM decks") == []


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args, code",
    [
        (["cards", "show", "no-such-card"], 1),
        (["cards", "show", "patience", "--deck", SHIPPED], 1),
        (["cards", "show", "authenticity", "--deck", "nope"], 1),
        (["cards", "list", "--deck", "nope"], 1),
        (["cards", "draw", "--deck", "nope"], 1),
        (["cards", "list", "--group", "confidence"], 2),
        (["cards", "draw", "--group", "nope"], 2),
        (["cards", "draw", "--perspective", "team"], 2),
        (["cards", "show"], 2),
        (["cards", "import"], 2),
    ],
)
def test_bad_card_commands_give_one_error_line(cli, args, code):
    result = cli(*args)
    _error(result, code)


def test_unknown_card_hint_says_how_to_see_keys(cli):
    result = cli("cards", "show", "nope")
    assert "coachlog cards list" in result.stderr


def test_cards_group_is_the_card_group_and_old_theme_still_works_with_a_note(cli, cli_json):
    by_group = cli_json("cards", "list", "--group", "being")
    old = cli("cards", "list", "--theme", "being", "--json")
    assert old.exit_code == 0 and json.loads(old.stdout) == by_group
    assert "--theme is now --group" in " ".join(old.stderr.split())
    drawn = cli("cards", "draw", "--theme", "being", "--json")
    assert drawn.exit_code == 0 and json.loads(drawn.stdout)["card"]["theme"] == "being"
    assert "deprecat" not in cli("cards", "list", "--group", "being").stderr
    assert "now --group" not in cli("cards", "list", "--group", "being").stderr
    assert cli("cards", "list", "--group", "being", "--theme", "delivering").exit_code == 2


def test_card_counts_read_an_index_not_every_reflection(cli, journal_path):
    # The overview's suggested card counted every reflection's card and perspective
    # by reading the whole table: 0.7 s of a 1.8 s overview on an encrypted 100k
    # journal (benchmarks/bench.py). m011 gives both counts a covering index.
    from coachlog.store import cards
    from conftest import connect

    assert cli("reflect", "--card", "mindset", "--text", "A thought").exit_code == 0
    conn = connect(journal_path)

    class Planner:
        def rows(self, sql, params=()):
            return [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    try:
        perspective = cards.perspective_usage(Planner())
        usage = cards.card_usage(Planner())
    finally:
        conn.close()
    assert any("COVERING INDEX reflections_by_card_perspective" in p for p in perspective), (
        perspective
    )
    assert not any(p.startswith("SCAN r") and "INDEX" not in p for p in usage), usage


def test_windowed_card_counts_walk_the_window_not_every_session(cli, journal_path):
    # The card draw (and so the bare overview) counts card use over the last 90 days.
    # The query read every session_cards row and looked up its session: 0.6 s of the
    # overview on an encrypted 100k journal. It should reach the window by date.
    import datetime as dt

    from coachlog.store import cards
    from conftest import connect

    assert cli("reflect", "--card", "mindset", "--text", "A thought").exit_code == 0
    conn = connect(journal_path)

    class Planner:
        def rows(self, sql, params=()):
            return [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    try:
        windowed = cards.card_usage(Planner(), since=dt.date(2026, 1, 1))
        per_client = cards.card_usage(Planner(), client_id=1, until=dt.date(2026, 1, 1))
    finally:
        conn.close()
    assert any(p.startswith("SEARCH s USING") and "on_date>?" in p for p in windowed), windowed
    assert any(p.startswith("SEARCH s USING") and "client_id=?" in p for p in per_client), (
        per_client
    )
    assert not any("SCAN sc" in p for p in windowed + per_client), windowed + per_client
