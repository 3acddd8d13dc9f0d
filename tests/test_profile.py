"""Behaviour profiles (issue 18): indicators on the cards, `profile rate`, `profile`,
its history and corrections, the charts, and the draw that favours what a person
wants to develop.

Every test drives the real CLI on a temp journal and checks the parsed `--json`,
the stored rows or the files written. The figures of `profile --json` are checked
against numbers worked out by hand in the test, not by the code under test.
"""

from __future__ import annotations

import json
import os
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachlog.cli import common, prompts
from coachlog.errors import Cancelled

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


def _flags(scores: dict[str, int]) -> list[str]:
    out = []
    for key, score in scores.items():
        out += ["--card", f"{key}={score}"]
    return out


def _rate(cli_json, scores: list[int], *extra: str) -> dict[str, Any]:
    return cli_json("profile", "rate", *extra, *_flags(dict(zip(KEYS, scores, strict=True))))


def _error(result, code: int, *words: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


# ---------------------------------------------------------------- indicators on the cards


def test_every_shipped_card_has_positive_and_negative_indicators(cli, cli_json):
    for key in KEYS:
        card = cli_json("cards", "show", key)
        indicators = card["indicators"]
        assert set(indicators) == {"positive", "negative"}
        assert len(indicators["positive"]) >= 2 and len(indicators["negative"]) >= 2, key
        assert all(i.strip() for i in indicators["positive"] + indicators["negative"])
    shown = cli("cards", "show", "resilience").stdout
    assert "When it is there" in shown and "When it is missing" in shown
    assert "Asks for help before reaching breaking point" in shown


MY_DECK = """
name = "mine"
title = "My deck"
source = "me"
[[themes]]
key = "inner"
title = "Inner"
[[cards]]
key = "calm"
title = "Calm"
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
[cards.indicators]
positive = ["Names the problem in the room"]
"""


def test_a_deck_of_ones_own_may_carry_indicators_or_not(cli, cli_json, tmp_path):
    deck = tmp_path / "mine.toml"
    deck.write_text(MY_DECK, encoding="utf-8")
    cli_json("cards", "import", str(deck))
    assert cli_json("cards", "show", "calm", "--deck", "mine")["indicators"] == {
        "positive": [],
        "negative": [],
    }
    assert cli_json("cards", "show", "courage", "--deck", "mine")["indicators"] == {
        "positive": ["Names the problem in the room"],
        "negative": [],
    }
    bad = tmp_path / "bad.toml"
    bad.write_text(
        MY_DECK.replace('positive = ["Names', 'postive = ["Names').replace("mine", "bad"),
        encoding="utf-8",
    )
    _error(cli("cards", "import", str(bad)), 2, "indicators", "courage")


# ---------------------------------------------------------------- rating


def test_rate_needs_every_card_once_and_names_the_missing_ones(cli, rows):
    result = cli("profile", "rate", "--card", "mindset=4", "--card", "resilience=6")
    _error(result, 2, "11 of the 13", "authenticity", "shared-accountability")
    assert "mindset," not in result.stderr
    assert rows("SELECT * FROM assessments") == []


@pytest.mark.parametrize(
    "flag, words",
    [
        ("mindset=11", ["0 to 10", "11"]),
        ("mindset=-1", ["0 to 10"]),
        ("mindset=6.5", ["whole number"]),
        ("mindset=", ["whole number"]),
        ("mindset", ["KEY=N"]),
        ("bravery=5", ["no card 'bravery'"]),
    ],
)
def test_a_bad_score_is_a_usage_error_and_nothing_is_saved(cli, rows, flag, words):
    scores = dict.fromkeys(KEYS, 5)
    del scores["mindset"]
    _error(cli("profile", "rate", *_flags(scores), "--card", flag), 2, *words)
    assert rows("SELECT * FROM assessments") == []
    assert rows("SELECT * FROM assessment_scores") == []


def test_a_card_given_twice_or_a_future_date_is_refused(cli, rows):
    scores = dict.fromkeys(KEYS, 5)
    _error(cli("profile", "rate", *_flags(scores), "--card", "mindset=3"), 2, "twice")
    _error(cli("profile", "rate", *_flags(scores), "--on", "tomorrow"), 2, "after today")
    assert rows("SELECT * FROM assessments") == []


def test_rate_stores_one_score_per_card_for_the_person(cli, cli_json, rows):
    cli_json("client", "add", "Sam Patel")
    given = [i % 11 for i in range(13)]
    saved = _rate(cli_json, given, "--client", "Sam Patel", "--on", "2026-03-02")
    assert saved["client"] == "Sam Patel" and saved["on"] == "2026-03-02"
    assert list(saved["scores"]) == KEYS  # the deck's order
    assert list(saved["scores"].values()) == given
    stored = rows("SELECT card, score FROM assessment_scores ORDER BY rowid")
    assert [(r["card"], r["score"]) for r in stored] == list(zip(KEYS, given, strict=True))
    (row,) = rows("SELECT client_id, deck, on_date FROM assessments")
    assert row == {"client_id": 1, "deck": "nhs-system-leadership", "on_date": "2026-03-02"}


def test_scores_outside_0_to_10_never_reach_the_table(cli, journal_path):
    # The CHECK constraint is the last line of defence behind the flag parser.
    from coachlog.store import driver
    from conftest import connect

    cli("profile", "history")  # creates the journal
    conn = connect(journal_path)
    conn.execute(
        "INSERT INTO assessments (uid, client_id, deck, on_date, created_at) "
        "VALUES ('u', NULL, 'd', '2026-01-01', 'x')"
    )
    with pytest.raises(driver.IntegrityError):
        conn.execute("INSERT INTO assessment_scores VALUES (1, 'calm', 11)")
    conn.close()


# ---------------------------------------------------------------- the profile, by hand

FIRST = [5, 4, 3, 6, 5, 7, 4, 6, 5, 3, 6, 4, 5]  # 2026-01-10
PREVIOUS = [6, 5, 2, 7, 5, 7, 4, 6, 6, 4, 6, 5, 5]  # 2026-06-15
LATEST = [8, 5, 4, 7, 6, 9, 3, 6, 8, 4, 7, 5, 9]  # 2026-11-20


def test_profile_json_figures_match_a_hand_calculation(cli, cli_json):
    # Entered out of order: the profile goes by date, not by entry.
    _rate(cli_json, LATEST, "--on", "2026-11-20")
    _rate(cli_json, FIRST, "--on", "2026-01-10")
    _rate(cli_json, PREVIOUS, "--on", "2026-06-15")
    cli_json("client", "add", "Sam Patel")  # someone else's profile stays apart
    _rate(cli_json, [10] * 13, "--client", "Sam Patel")

    found = cli_json("profile")
    assert found["assessments"] == 3
    assert (found["on"], found["previous_on"], found["first_on"]) == (
        "2026-11-20",
        "2026-06-15",
        "2026-01-10",
    )
    by_key = {c["key"]: c for c in found["cards"]}
    assert [c["key"] for c in found["cards"]] == KEYS
    # Worked out by hand from the three rows above (latest - previous, latest - first).
    expected = {
        "authenticity": (8, 6, 5, 2, 3),
        "mindset": (5, 5, 4, 0, 1),
        "resilience": (4, 2, 3, 2, 1),
        "relationships": (7, 7, 6, 0, 1),
        "collaboration-co-creation": (6, 5, 5, 1, 1),
        "compassion": (9, 7, 7, 2, 2),
        "inclusion": (3, 4, 4, -1, -1),
        "shared-purpose": (6, 6, 6, 0, 0),
        "systems-thinking": (8, 6, 5, 2, 3),
        "enabling-others": (4, 4, 3, 0, 1),
        "outcome-focus": (7, 6, 6, 1, 1),
        "learning-improvement": (5, 5, 4, 0, 1),
        "shared-accountability": (9, 5, 5, 4, 4),
    }
    for key, (score, previous, first, change, since_first) in expected.items():
        card = by_key[key]
        assert (
            card["score"],
            card["previous"],
            card["first"],
            card["change"],
            card["change_since_first"],
        ) == (score, previous, first, change, since_first), key
    assert by_key["compassion"]["theme"] == "relating-communicating"
    assert by_key["compassion"]["title"] == "Compassion"
    # Strengths: the two 9s, shared accountability first (+4 beats +2); then the 8s,
    # authenticity and systems thinking, both +2: the deck's order picks authenticity.
    assert found["strengths"] == ["shared-accountability", "compassion", "authenticity"]
    # To develop: inclusion (3); then the 4s, enabling others (no change) before
    # resilience (+2): the bigger fall, or smaller rise, comes first.
    assert found["develop"] == ["inclusion", "enabling-others", "resilience"]
    assert "deck's order" in found["tie_break"]

    human = cli("profile").stdout
    assert "Strengths: Shared accountability (9), Compassion (9), Authenticity (8)" in human
    assert "deck's order" in human  # a tie decided it, so the rule is shown

    sam = cli_json("profile", "--client", "Sam Patel")
    assert sam["assessments"] == 1 and sam["client"] == "Sam Patel"
    # One assessment: nothing to compare with; all equal: nothing stands out.
    assert all(c["previous"] is None and c["first"] is None for c in sam["cards"])
    assert sam["strengths"] == [] and sam["develop"] == []
    assert "none stands out" in cli("profile", "--client", "Sam Patel").stdout


def test_two_assessments_on_one_day_the_later_entered_is_the_latest(cli_json):
    _rate(cli_json, [5] * 13, "--on", "2026-05-01")
    _rate(cli_json, [6] * 13, "--on", "2026-05-01")
    found = cli_json("profile")
    assert {c["score"] for c in found["cards"]} == {6}
    assert {c["change"] for c in found["cards"]} == {1}


def test_an_empty_profile_is_not_an_error(cli, cli_json):
    found = cli_json("profile")
    assert found["assessments"] == 0 and found["cards"] == [] and found["on"] is None
    result = cli("profile")
    assert result.exit_code == 0 and "profile rate" in result.stderr


def _card(key: str, score: int, change: int | None) -> Any:
    from coachlog.models import ProfileCard

    return ProfileCard(
        key=key,
        title=key,
        theme="t",
        theme_title="T",
        score=score,
        previous=None if change is None else score - change,
        first=None,
        change=change,
        change_since_first=None,
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.one_of(st.none(), st.integers(-10, 10))),
        min_size=1,
        max_size=15,
    )
)
def test_strengths_and_develop_follow_the_rules_for_any_scores(values):
    from coachlog.core.profile import _choose

    cards = [_card(f"c{i}", s, c) for i, (s, c) in enumerate(values)]
    strengths, develop = _choose(cards)
    assert (strengths, develop) == _choose(list(cards))  # deterministic
    assert len(strengths) <= 3 and len(develop) <= 3
    assert not set(strengths) & set(develop)
    score = {c.key: c.score for c in cards}
    low, high = min(score.values()), max(score.values())
    if low == high:
        assert strengths == [] and develop == []
    assert all(score[k] > low for k in strengths)
    assert all(score[k] < high for k in develop)
    rest = [k for k in score if k not in strengths and k not in develop]
    assert all(score[s] >= score[k] for s in strengths for k in rest)
    assert all(score[d] <= score[k] for d in develop for k in rest)
    # Enough distinct levels: always three of each.
    if len(cards) >= 6 and len(set(score.values())) >= 3 and low < high:
        assert len(strengths) == 3 or all(score[k] > low for k in strengths)


# ---------------------------------------------------------------- history and corrections


def test_history_edit_and_delete_correct_an_assessment(cli, cli_json, rows, say_at_prompt):
    first = _rate(cli_json, FIRST, "--on", "2026-01-10")
    second = _rate(cli_json, PREVIOUS, "--on", "2026-06-15")
    listed = cli_json("profile", "history")
    assert [a["id"] for a in listed] == [first["id"], second["id"]]
    # One deck: named once, above the table.
    assert cli("profile", "history").stdout.count("nhs-system-leadership") == 1

    changed = cli_json(
        "profile", "edit", str(first["id"]), "--card", "mindset=9", "--on", "2026-01-11"
    )
    assert changed["on"] == "2026-01-11"
    assert changed["scores"]["mindset"] == 9
    # Only the card given changed; the others, and their order, are as they were.
    assert [v for k, v in changed["scores"].items() if k != "mindset"] == [
        v for k, v in zip(KEYS, FIRST, strict=True) if k != "mindset"
    ]
    assert list(changed["scores"]) == KEYS
    _error(cli("profile", "edit", str(first["id"])), 2, "Nothing to change")
    _error(cli("profile", "edit", str(first["id"]), "--card", "mindset=12"), 2, "0 to 10")
    _error(cli("profile", "edit", "99", "--card", "mindset=2"), 1, "No assessment 99")

    # Deleting: refused in a script without --yes, "no" at the prompt is exit 130.
    _error(cli("profile", "delete", str(first["id"])), 1, "--yes")
    say_at_prompt(False)
    result = cli("profile", "delete", str(first["id"]))
    assert result.exit_code == 130 and "nothing saved" in result.stderr
    assert len(rows("SELECT id FROM assessments")) == 2
    say_at_prompt(True)
    assert cli("profile", "delete", str(first["id"])).exit_code == 0
    assert [r["id"] for r in rows("SELECT id FROM assessments")] == [second["id"]]
    # Its scores went with it.
    assert {r["assessment_id"] for r in rows("SELECT assessment_id FROM assessment_scores")} == {
        second["id"]
    }


# ---------------------------------------------------------------- rating in a terminal


class Answers(prompts.PrompterBase):
    """Answers each score question with the next number; CANCEL raises Ctrl-C."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str | None]] = []

    def text(self, message, *, default="", validate=None, instruction=None):  # type: ignore[override]
        self.asked.append((message, instruction))
        answer = self.answers.pop(0)
        if answer == "CANCEL":
            raise Cancelled()
        assert validate is None or validate(str(answer)) is None
        return str(answer)


def _terminal(monkeypatch, answers: list[Any]) -> Answers:
    prompter = Answers(answers)
    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr(prompts, "_override", prompter)
    return prompter


def test_rate_in_a_terminal_asks_one_card_at_a_time(cli, cli_json, monkeypatch):
    _rate(cli_json, FIRST, "--on", "2026-01-10")
    typed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 3]
    prompter = _terminal(monkeypatch, typed)
    result = cli("profile", "rate", "--card", "mindset=7", "--json")
    assert result.exit_code == 0, result.stderr
    saved = json.loads(result.stdout)
    assert saved["scores"]["mindset"] == 7
    others = [k for k in KEYS if k != "mindset"]
    assert [saved["scores"][k] for k in others] == typed
    # Twelve questions, one per card not given, in the deck's order, with last time's score.
    assert len(prompter.asked) == 12
    assert "Authenticity" in prompter.asked[0][0] and "last time 5" in str(prompter.asked[0][1])
    # Each card was shown with its description and indicators (on stderr).
    assert "When it is there" in result.stderr and "(1 of 12)" in result.stderr


def test_ctrl_c_while_rating_saves_nothing(cli, rows, monkeypatch):
    _terminal(monkeypatch, [5, 6, 7, "CANCEL"])
    result = cli("profile", "rate")
    assert result.exit_code == 130
    assert "nothing saved" in result.stderr
    assert rows("SELECT * FROM assessments") == []


# ---------------------------------------------------------------- pictures and the terminal


def test_the_terminal_profile_fits_60_columns(cli, cli_json, monkeypatch):
    _rate(cli_json, FIRST, "--on", "2026-01-10")
    _rate(cli_json, LATEST, "--on", "2026-11-20")
    result = cli("profile", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    line = next(line for line in lines if "Shared accountability" in line)
    # Two assessments: the previous is the first, so one column of changes.
    assert "█" * 9 + "·" in line and line.rstrip().endswith("9    +4")
    assert "2 assessments · previous 20 Nov" not in result.stdout
    assert "2 assessments · previous 10 Jan 2026" in result.stdout
    assert "First" not in result.stdout


def test_svg_and_html_are_written_privately_and_never_over_a_file(cli, cli_json, tmp_path):
    _rate(cli_json, FIRST, "--on", "2026-01-10")
    _rate(cli_json, PREVIOUS, "--on", "2026-06-15")
    _rate(cli_json, LATEST, "--on", "2026-11-20")
    svg = tmp_path / "profile.svg"
    assert cli("profile", "--format", "svg", "-o", str(svg)).exit_code == 0
    if os.name == "posix":
        assert svg.stat().st_mode & 0o777 == 0o600
    root = ET.fromstring(svg.read_text(encoding="utf-8"))  # well-formed
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Collaboration & co-creation" in texts and "strength" in texts
    assert "+4 / +4" in texts  # shared accountability since previous / first
    before = svg.read_bytes()
    _error(cli("profile", "--format", "svg", "-o", str(svg)), 1, "already exists")
    assert svg.read_bytes() == before
    assert cli("profile", "-o", str(svg), "--force").exit_code == 0

    page = tmp_path / "profile.html"
    assert cli("profile", "-o", str(page)).exit_code == 0  # format from the name
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Since first" in html
    _error(cli("profile", "--json", "--format", "svg"), 2, "not both")


def test_the_profile_never_writes_over_the_journal(cli, cli_json, journal_path):
    _rate(cli_json, FIRST)
    before = journal_path.read_bytes()
    # Refused twice over: a .db name is not an SVG (exit 2, checked first) and it
    # is the journal itself; either way nothing is written.
    _error(cli("profile", "--format", "svg", "-o", str(journal_path), "--force"), 2)
    svg_name = journal_path.with_suffix(".svg")
    svg_name.symlink_to(journal_path)
    _error(cli("profile", "--format", "svg", "-o", str(svg_name), "--force"), 1)
    assert journal_path.read_bytes()[:100] == before[:100]


def test_titles_from_a_users_deck_are_escaped_in_the_files(cli, cli_json, tmp_path):
    deck = tmp_path / "x.toml"
    deck.write_text(
        MY_DECK.replace('title = "Calm"', 'title = "Calm <script>"')
        .replace('key = "calm"', 'key = "calm-script"')
        .replace('name = "mine"', 'name = "x"'),
        encoding="utf-8",
    )
    cli_json("cards", "import", str(deck))
    cli_json("profile", "rate", "--deck", "x", "--card", "calm-script=3", "--card", "courage=8")
    assert cli_json("profile")["deck"] == "x"  # the deck rated last
    out = tmp_path / "p.html"
    assert cli("profile", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "Calm &lt;script&gt;" in text


# ---------------------------------------------------------------- the draw leans to develop


def test_cards_draw_favours_the_areas_to_develop_and_never_repeats(cli_json):
    _rate(cli_json, FIRST, "--on", "2026-01-10")
    _rate(cli_json, LATEST, "--on", "2026-11-20")
    develop = set(cli_json("profile")["develop"])
    assert develop == {"inclusion", "enabling-others", "resilience"}
    random.seed(18)
    drawn = [cli_json("cards", "draw")["card"]["key"] for _ in range(200)]
    share = sum(k in develop for k in drawn) / len(drawn)
    # Without a profile 3 of 13 cards is 23%; half the draws from them makes about 60%.
    assert 0.45 <= share <= 0.8, share
    assert all(a != b for a, b in zip(drawn, drawn[1:], strict=False))
    assert len(set(drawn)) == 13  # still rotating through the whole deck


def test_without_a_profile_the_draw_is_even_and_still_never_repeats(cli_json):
    random.seed(7)
    drawn = [cli_json("cards", "draw")["card"]["key"] for _ in range(130)]
    assert all(a != b for a, b in zip(drawn, drawn[1:], strict=False))
    share = sum(k in {"inclusion", "enabling-others", "resilience"} for k in drawn) / 130
    assert share < 0.4, share


def test_a_clients_draw_favours_their_own_areas(cli_json):
    cli_json("client", "add", "Sam Patel")
    scores = [9] * 13
    scores[KEYS.index("mindset")] = 2
    _rate(cli_json, scores, "--client", "Sam Patel")
    random.seed(3)
    drawn = [cli_json("cards", "draw", "--client", "Sam Patel")["card"]["key"] for _ in range(60)]
    assert drawn.count("mindset") >= 15  # about half of the draws it can be in
    assert all(a != b for a, b in zip(drawn, drawn[1:], strict=False))


def test_interactive_reflect_favours_the_areas_to_develop(cli_json, journal_path, monkeypatch):
    from coachlog.cli import flows
    from coachlog.core import cards
    from coachlog.store.db import open_journal

    scores = [8] * 13
    scores[KEYS.index("systems-thinking")] = 1
    _rate(cli_json, scores)

    class Take(prompts.PrompterBase):
        def select(self, message, options, *, default=None):  # type: ignore[override]
            return default  # "Yes, answer it"

        def long_text(self, message, *, default=""):  # type: ignore[override]
            return ""  # nothing written: the flow returns before anything is saved

    original = cards.draw
    offered: list[str] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        drawn = original(*args, **kwargs)
        offered.append(drawn.card.key)
        return drawn

    monkeypatch.setattr(cards, "draw", watched)
    random.seed(11)
    j = open_journal(journal_path)
    try:
        with prompts.use_prompter(Take()):
            for _ in range(60):
                assert flows.reflect_flow(j) is None
    finally:
        j.close()
    assert len(offered) == 60
    # One card of 13 would come up about 5 times in 60; as the one to develop, about 30.
    assert offered.count("systems-thinking") >= 20, offered.count("systems-thinking")


# ---------------------------------------------------------------- prep and supervision


def test_prep_shows_the_clients_areas_to_develop(cli, cli_json):
    cli_json("client", "add", "Sam Patel")
    _rate(cli_json, FIRST, "--client", "Sam Patel", "--on", "2026-01-10")
    _rate(cli_json, LATEST, "--client", "Sam Patel", "--on", "2026-11-20")
    brief = cli_json("prep", "Sam Patel")
    assert brief["profile_on"] == "2026-11-20"
    assert [(d["key"], d["score"], d["change"]) for d in brief["develop"]] == [
        ("inclusion", 3, -1),
        ("resilience", 4, 1),  # both 4 and +1 since the first: the deck's order
        ("enabling-others", 4, 1),
    ]
    human = cli("prep", "Sam Patel", env={"COLUMNS": "60"}).stdout
    assert "To develop" in human and "Inclusion 3/10 (-1)" in human


def test_prep_without_a_profile_has_no_areas(cli_json):
    cli_json("client", "add", "Sam Patel")
    brief = cli_json("prep", "Sam Patel")
    assert brief["develop"] == [] and brief["profile_on"] is None


def test_the_supervision_pack_can_carry_profiles_anonymised(cli, cli_json):
    cli_json("client", "add", "Sam Patel", "--email", "sam@example.org")
    cli_json("session", "log", "-c", "Sam Patel", "-m", "60", "--notes", "Sam spoke up")
    _rate(cli_json, LATEST, "--client", "Sam Patel")
    _rate(cli_json, FIRST)  # the coach's own
    plain = json.loads(cli("export", "supervision", "--format", "json").stdout)
    assert "profile" not in plain["clients"][0] and "profile" not in plain
    result = cli("export", "supervision", "--format", "json", "--profile")
    pack = json.loads(result.stdout)
    assert "Sam" not in result.stdout and "sam@example.org" not in result.stdout
    (client,) = pack["clients"]
    assert client["pseudonym"] == "Client A"
    # One assessment: the 4s tie with no change, so the deck's order decides.
    assert client["profile"]["develop"] == ["inclusion", "resilience", "enabling-others"]
    assert [c["score"] for c in client["profile"]["cards"]] == LATEST
    assert pack["profile"]["assessments"] == 1
    md = cli("export", "supervision", "--profile").stdout
    assert "#### Behaviour profile" in md and "Inclusion (to develop)" in md
    assert "## My behaviour profile" in md and "Sam" not in md


# ---------------------------------------------------------------- backups and erasing


def test_a_backup_carries_assessments_with_their_ids(cli, cli_json, tmp_path, monkeypatch):
    cli_json("client", "add", "Sam Patel")
    _rate(cli_json, FIRST, "--client", "Sam Patel", "--on", "2026-01-10")
    second = _rate(cli_json, PREVIOUS, "--on", "2026-06-15")
    third = _rate(cli_json, LATEST, "--on", "2026-11-20")
    cli_json("profile", "delete", str(second["id"]), "--yes")
    backup = tmp_path / "backup.json"
    assert cli("export", "backup", "-o", str(backup)).exit_code == 0
    doc = json.loads(backup.read_text(encoding="utf-8"))
    assert doc["version"] == 5
    assert doc["ids_used"]["assessments"] == 3
    assert [a["id"] for a in doc["assessments"]] == [1, 3]
    assert doc["assessments"][0]["client"] == doc["clients"][0]["uid"]
    assert list(doc["assessments"][1]["scores"].values()) == LATEST

    monkeypatch.setenv("COACHLOG_DB", str(tmp_path / "other" / "j.db"))
    report = cli_json("import", str(backup))
    assert report["added"]["assessments"] == 2
    assert [a["id"] for a in cli_json("profile", "history", "--all")] == [1, third["id"]]
    assert cli_json("profile")["cards"][0]["score"] == LATEST[0]
    again = tmp_path / "again.json"
    assert cli("export", "backup", "-o", str(again)).exit_code == 0
    assert json.loads(again.read_text())["assessments"] == doc["assessments"]
    # A new assessment never takes the id of the deleted one.
    assert _rate(cli_json, FIRST)["id"] == 4
    # Importing the same backup again adds nothing.
    assert cli_json("import", str(backup))["added"]["assessments"] == 0


def test_a_bad_assessment_in_a_backup_is_refused_whole(cli, cli_json, tmp_path, rows):
    _rate(cli_json, FIRST)
    backup = tmp_path / "b.json"
    cli("export", "backup", "-o", str(backup))
    doc = json.loads(backup.read_text())
    doc["assessments"][0]["scores"]["mindset"] = 11
    doc["assessments"][0]["uid"] = "another"
    backup.write_text(json.dumps(doc))
    _error(cli("import", str(backup)), 2, "assessments")
    assert len(rows("SELECT * FROM assessments")) == 1


def test_client_erase_and_purge_remove_assessments(cli, cli_json, rows):
    cli_json("client", "add", "Sam Patel")
    _rate(cli_json, FIRST, "--client", "Sam Patel", "--on", "2023-01-10")
    _rate(cli_json, LATEST, "--client", "Sam Patel", "--on", "2026-01-10")
    _rate(cli_json, FIRST, "--on", "2023-02-01")
    _rate(cli_json, LATEST, "--on", "2025-02-01")
    purged = cli_json("db", "purge", "--before", "2024-01-01", "--yes")
    assert purged["removed"]["assessments"] == 2
    assert [r["on_date"] for r in rows("SELECT on_date FROM assessments ORDER BY id")] == [
        "2026-01-10",
        "2025-02-01",
    ]
    erased = cli_json("client", "erase", "Sam Patel", "--yes")
    assert erased["removed"]["assessments"] == 1
    assert rows("SELECT client_id FROM assessments") == [{"client_id": None}]
    assert len(rows("SELECT * FROM assessment_scores")) == 13


def test_every_new_command_has_an_example_in_its_help(cli):
    for args in (
        ["profile"],
        ["profile", "rate"],
        ["profile", "history"],
        ["profile", "edit"],
        ["profile", "delete"],
    ):
        result = cli(*args, "--help")
        assert result.exit_code == 0 and "Example: coachlog profile" in result.stdout, args


def test_a_version_6_journal_upgrades_and_takes_a_profile(cli, cli_json, tmp_path, monkeypatch):
    import shutil

    fixture = Path(__file__).resolve().parent / "fixtures" / "schema_v6.db"
    journal = tmp_path / "old" / "coachlog.db"
    journal.parent.mkdir(mode=0o700)
    shutil.copyfile(fixture, journal)
    journal.chmod(0o600)
    monkeypatch.setenv("COACHLOG_DB", str(journal))
    assert cli_json("profile")["assessments"] == 0
    _rate(cli_json, FIRST, "--client", "Priya Natarajan")
    assert cli_json("profile", "--client", "Priya Natarajan")["assessments"] == 1


def test_client_and_me_together_are_refused(cli, cli_json):
    cli_json("client", "add", "Sam Patel")
    _error(cli("profile", "--client", "Sam Patel", "--me"), 2, "not both")
    _error(cli("profile", "--client", "Nobody"), 1, "Nobody")
