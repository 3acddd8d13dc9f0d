"""The interactive flows, driven by a scripted prompter: which questions each one asks, in
what order, given which flags, and what it hands back to the command.

`Scripted` answers each question with the next step of a script and fails the test if the
question is not the one the script expected (so "asks only what is missing" is checked
question by question), if a typed answer would be refused by the prompt's validator, or
if a select is answered with something that is not one of its options. The real prompts
are driven through prompt_toolkit in test_prompts.py; these tests cover the branches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from coachlog.cli import flows
from coachlog.cli.prompts import Option, PrompterBase, Validator
from coachlog.errors import Cancelled, NotFound
from coachlog.store.db import Journal, open_journal
from coachlog.vocab import CoachingModel, Mode, Perspective, SessionFormat

ENTER = object()  # press Enter on the default
CANCEL = object()  # press Ctrl-C


class Scripted(PrompterBase):
    """A prompter that plays a script of (words the question must contain, answer)."""

    def __init__(self, *steps: tuple[str, Any]) -> None:
        self.steps = list(steps)
        self.asked: list[str] = []
        self.options: dict[str, list[Option[Any]]] = {}
        self.defaults: dict[str, Any] = {}

    def _next(self, message: str) -> Any:
        assert self.steps, f"unexpected question: {message!r}"
        expected, answer = self.steps.pop(0)
        assert expected.lower() in message.lower(), (
            f"asked {message!r}, the script expected {expected!r}"
        )
        self.asked.append(message)
        if answer is CANCEL:
            raise Cancelled()
        return answer

    def done(self) -> None:
        assert not self.steps, f"questions never asked: {[s[0] for s in self.steps]}"

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validator | None = None,
        instruction: str | None = None,
    ) -> str:
        self.defaults[message] = default
        answer = self._next(message)
        typed = default if answer is ENTER else str(answer)
        if validate is not None:
            problem = validate(typed)
            assert problem is None, f"the prompt would refuse {typed!r}: {problem}"
        return typed.strip()

    def long_text(self, message: str, *, default: str = "") -> str:
        return self.text(message, default=default)

    def editor_text(self, initial: str = "") -> str:
        return self.text("editor", default=initial)

    def autocomplete(
        self,
        message: str,
        choices: Sequence[str],
        *,
        default: str = "",
        validate: Validator | None = None,
        meta: dict[str, str] | None = None,
    ) -> str:
        self.options[message] = [Option(c, c) for c in choices]
        return self.text(message, default=default, validate=validate)

    def _pick(self, message: str, options: Sequence[Option[Any]], answer: Any) -> Any:
        for option in options:
            if option.value == answer and type(option.value) is type(answer):
                return option.value
        for option in options:
            if isinstance(answer, str) and option.label.strip().startswith(answer):
                return option.value
        labels = [o.label for o in options]
        raise AssertionError(f"{answer!r} is not an option of {message!r}: {labels}")

    def select(self, message: str, options: Sequence[Option[Any]], *, default: Any = None) -> Any:
        self.options[message] = list(options)
        self.defaults[message] = default
        answer = self._next(message)
        if answer is ENTER:
            assert any(o.value == default for o in options), "the default is not an option"
            return default
        return self._pick(message, options, answer)

    def checkbox(
        self, message: str, options: Sequence[Option[Any]], *, checked: Sequence[Any] = ()
    ) -> list[Any]:
        self.options[message] = list(options)
        answer = self._next(message)
        if answer is ENTER:
            return list(checked)
        return [self._pick(message, options, a) for a in answer]

    def confirm(self, message: str, *, default: bool = True) -> bool:
        answer = self._next(message)
        return default if answer is ENTER else bool(answer)


@pytest.fixture
def j(journal_path: Path) -> Iterator[Journal]:
    journal = open_journal(journal_path)
    yield journal
    journal.close()


def _labels(p: Scripted, words: str) -> list[str]:
    return next(
        [o.label for o in opts] for msg, opts in p.options.items() if words.lower() in msg.lower()
    )


# ---------------------------------------------------------------- reflect


def test_reflect_takes_the_drawn_card_and_records_the_question_shown(j, capsys):
    p = Scripted(
        ("reflect on this question", ENTER),
        ("your answer", "I held my ground in the meeting."),
        ("impact themes", ["confidence", "influence"]),
    )
    answer = flows.reflect_flow(j, prompter=p)
    p.done()
    assert answer is not None
    assert answer.text == "I held my ground in the meeting."
    assert answer.themes == ["confidence", "influence"]
    assert answer.goal_id is None  # no open goals, so the goal question was never asked
    drawn = answer.drawn
    assert drawn is not None
    assert drawn.question == drawn.card.questions[drawn.perspective]
    # The card panel was shown on stderr, with the card's title and question.
    shown = capsys.readouterr().err
    assert drawn.card.title in shown
    assert drawn.question[:30] in " ".join(shown.split())


def test_another_card_is_a_different_card_and_turning_changes_only_the_perspective(j, monkeypatch):
    p = Scripted(
        ("reflect on this question", "Draw another card"),
        ("reflect on this question", "Same card"),
        ("reflect on this question", ENTER),
        ("your answer", "Something true."),
        ("impact themes", []),
    )
    first_shown: list[str] = []
    from coachlog.core import cards

    real_draw = cards.draw

    def spy(*args: Any, **kwargs: Any) -> Any:
        drawn = real_draw(*args, **kwargs)
        first_shown.append(drawn.card.key)
        return drawn

    monkeypatch.setattr(cards, "draw", spy)
    answer = flows.reflect_flow(j, perspective="self", prompter=p)
    p.done()
    assert answer is not None and answer.drawn is not None
    assert answer.drawn.card.key != first_shown[0]
    # --perspective self was given, so draws keep it; "Same card" turned it once.
    assert answer.drawn.perspective == Perspective.organisation
    assert answer.drawn.question == answer.drawn.card.questions[Perspective.organisation]


def test_pick_a_card_lists_the_whole_deck(j):
    p = Scripted(
        ("reflect on this question", "Pick a card"),
        ("which card", "Compassion"),
        ("reflect on this question", ENTER),
        ("your answer", "Kinder to myself this week."),
        ("impact themes", ENTER),
    )
    answer = flows.reflect_flow(j, perspective="system", prompter=p)
    p.done()
    assert answer is not None and answer.drawn is not None
    assert answer.drawn.card.key == "compassion"
    assert answer.drawn.perspective == Perspective.system
    assert len(_labels(p, "which card")) == 13


def test_write_freely_saves_no_card(j):
    p = Scripted(
        ("reflect on this question", "Write freely"),
        ("on your mind", "Just a note."),
        ("impact themes", []),
    )
    answer = flows.reflect_flow(j, prompter=p)
    p.done()
    assert answer is not None and answer.drawn is None and answer.text == "Just a note."


def test_card_flag_skips_the_draw_and_themes_flag_skips_the_checkbox(j):
    p = Scripted(("your answer", "On resilience."))
    answer = flows.reflect_flow(
        j, card="resilience", perspective="organisation", themes=["team"], prompter=p
    )
    p.done()
    assert answer is not None and answer.drawn is not None
    assert (answer.drawn.card.key, answer.drawn.perspective) == ("resilience", "organisation")
    assert answer.themes == ["team"]


def test_an_empty_answer_saves_nothing_and_says_so(j, capsys):
    p = Scripted(("reflect on this question", ENTER), ("your answer", "   "))
    assert flows.reflect_flow(j, prompter=p) is None
    p.done()  # nothing asked after the empty answer
    assert "Nothing written, so nothing was saved." in capsys.readouterr().err


def test_goal_link_is_offered_when_there_are_open_goals(j, cli):
    assert cli("goal", "add", "Say no to extra work").exit_code == 0
    p = Scripted(
        ("your answer", "Said no twice."),
        ("is this about one of your goals", "1: Say no"),
    )
    answer = flows.reflect_flow(j, card="mindset", themes=["prioritisation"], prompter=p)
    p.done()
    assert answer is not None and answer.goal_id == 1
    assert _labels(p, "goals")[0].startswith("No")
    assert p.defaults[p.asked[-1]] is None  # "not about a goal" is the default


def test_the_card_answered_last_is_never_drawn_first(j, cli, monkeypatch):
    # Every other card has two uses and 'mindset' one, so least-used-first alone
    # would draw 'mindset' every time; it was the last card answered, so it must not be.
    for key in [
        "authenticity", "resilience", "relationships", "collaboration-co-creation",
        "compassion", "inclusion", "shared-purpose", "systems-thinking", "enabling-others",
        "outcome-focus", "learning-improvement", "shared-accountability",
    ] * 2 + ["mindset"]:  # fmt: skip
        assert cli("reflect", "--card", key, "--text", "x").exit_code == 0
    shown: list[str] = []
    monkeypatch.setattr(flows, "_show_card", lambda j_, drawn: shown.append(drawn.card.key))
    for _ in range(5):
        shown.clear()
        p = Scripted(("reflect on this question", CANCEL))
        with pytest.raises(Cancelled):
            flows.reflect_flow(j, prompter=p)
        assert shown and shown[0] != "mindset"


# ---------------------------------------------------------------- session log


def test_bare_session_log_asks_everything_and_adds_a_new_client(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("client", "Priya Patel"),
        ("add them", ENTER),
        ("date of the session", "yesterday"),
        ("start time", "9:05"),
        ("minutes", "45"),
        ("how did you meet", Mode.video),
        ("who was there", ENTER),
        ("coaching model", ENTER),
        ("impact themes", ["confidence"]),
        ("behaviour cards", ["resilience", "Compassion"]),
        ("session notes", "Talked about [/bold] the board paper."),
        ("private notes", ""),
        ("action 1", "Draft the paper"),
        ("due date", "2030-01-31"),
        ("action 2", "Book a follow-up"),
        ("due date", ""),
        ("action 3", ""),
        ("save this session", True),
    )
    plan = flows.session_log_flow(j, prompter=p)
    p.done()
    assert plan.new_client == "Priya Patel"
    assert _labels(p, "client") == ["Ann Smith"]  # type-ahead offers the active clients
    v = plan.values
    assert v["client"] == "Priya Patel"
    assert v["on"] == dt.date.today() - dt.timedelta(days=1)
    assert v["at"] == "09:05"
    assert v["minutes"] == 45
    assert (v["mode"], v["format"], v["model"]) == (Mode.video, SessionFormat.one_to_one, None)
    assert v["themes"] == ["confidence"] and v["cards"] == ["resilience", "compassion"]
    assert v["notes"] == "Talked about [/bold] the board paper."
    assert v["private_notes"] is None
    assert v["actions"] == [("Draft the paper", "2030-01-31"), ("Book a follow-up", None)]
    # The date question offered today as its default.
    assert next(d for m, d in p.defaults.items() if "Date" in m) == dt.date.today().isoformat()


def test_an_existing_client_is_found_by_name_in_any_case(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("client", "ann smith"),
        ("minutes", ENTER),
        ("save", ENTER),
    )
    plan = flows.session_log_flow(
        j, on="2025-01-02", at="10:00", mode="phone", format="group", model="clear",
        themes=["team"], cards=["mindset"], notes="n", private_notes="p",
        actions=[("a", None)], prompter=p,
    )  # fmt: skip
    p.done()
    assert plan.new_client is None and plan.values["client"] == "1"
    assert plan.values["minutes"] == flows.DEFAULT_MINUTES
    assert plan.values["model"] == CoachingModel.clear
    assert plan.values["actions"] == [("a", None)]


def test_a_model_asks_for_notes_stage_by_stage_under_their_names(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("model", "GROW"),
        ("impact themes", []),
        ("cards", []),
        ("Goal:", "Chair the meeting well."),
        ("Reality:", "Nervous about it."),
        ("Options:", ""),
        ("Will", "Rehearse on Monday."),
        ("private notes", ENTER),
        ("action 1", ENTER),
        ("save", ENTER),
    )
    plan = flows.session_log_flow(
        j, client="Ann Smith", on="today", at="", minutes=30, mode="video", format="one-to-one",
        prompter=p,
    )  # fmt: skip
    p.done()
    assert plan.values["model"] == CoachingModel.grow
    assert plan.values["notes"] == (
        "Goal: Chair the meeting well.\n\nReality: Nervous about it.\n\n"
        "Will (way forward): Rehearse on Monday."
    )


def test_declining_at_the_summary_cancels(j, cli, capsys):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(("minutes", "50"), ("save this session", False))
    with pytest.raises(Cancelled):
        flows.session_log_flow(
            j, client="Ann Smith", on="today", at="", mode="video", format="team", model="grow",
            themes=["team"], cards=["mindset"], notes="n", private_notes="p",
            actions=[("a", None)], prompter=p,
        )  # fmt: skip
    p.done()
    summary = capsys.readouterr().err
    assert "Ann Smith" in summary and "50 min" in summary


def test_a_bad_flag_is_reported_before_any_question(j):
    from coachlog.errors import InvalidInput

    with pytest.raises(InvalidInput, match="--on"):
        flows.session_log_flow(j, on="2025-02-30", prompter=Scripted())


def test_a_first_name_without_its_accent_offers_the_client_not_a_new_one(j, cli):
    # A coach types "zoe" and Enter: that is Zoë O'Neill, not a new client called "zoe".
    assert cli("client", "add", "Zoë O'Neill").exit_code == 0
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("client", "zoe"),
        ("did you mean zoë o'neill", ENTER),
        ("minutes", "60"),
        ("save", ENTER),
    )
    plan = flows.session_log_flow(
        j, on="today", at="", mode="video", format="team", model="grow", themes=["team"],
        cards=["mindset"], notes="n", private_notes="p", actions=[("a", None)], prompter=p,
    )  # fmt: skip
    p.done()
    assert plan.new_client is None and plan.values["client"] == "1"


def test_declining_the_close_client_still_offers_to_add_the_new_name(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("client", "Ann"),
        ("did you mean ann smith", False),
        ("ann is not one of your clients yet", True),
        ("minutes", "60"),
        ("save", ENTER),
    )
    plan = flows.session_log_flow(
        j, on="today", at="", mode="video", format="team", model="grow", themes=["team"],
        cards=["mindset"], notes="n", private_notes="p", actions=[("a", None)], prompter=p,
    )  # fmt: skip
    p.done()
    assert plan.new_client == "Ann"


def test_answering_no_to_a_new_client_asks_again(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("client", "Anne Smith"),
        ("add them", False),
        ("client", "Ann Smith"),
        ("minutes", "60"),
        ("save", CANCEL),
    )
    with pytest.raises(Cancelled):
        flows.session_log_flow(
            j, on="today", at="", mode="video", format="team", model="grow", themes=["team"],
            cards=["mindset"], notes="n", private_notes="p", actions=[("a", None)], prompter=p,
        )  # fmt: skip
    p.done()


# ---------------------------------------------------------------- goals


def test_goal_add_asks_title_owner_themes_due_and_baseline(j, cli):
    assert cli("client", "add", "Ann Smith").exit_code == 0
    p = Scripted(
        ("what is the goal", "Lead the team meeting"),
        ("whose goal", "Ann Smith"),
        ("impact themes", ["team"]),
        ("due date", "2030-06-30"),
        ("where do things stand", 4),
    )
    values = flows.goal_add_flow(j, prompter=p)
    p.done()
    assert values == {
        "title": "Lead the team meeting",
        "client": "1",
        "themes": ["team"],
        "due": dt.date(2030, 6, 30),
        "score": 4,
    }


def test_goal_add_with_no_clients_does_not_ask_whose(j):
    p = Scripted(
        ("what is the goal", "Sleep more"),
        ("impact themes", []),
        ("due date", ""),
        ("where do things stand", ENTER),
    )
    values = flows.goal_add_flow(j, prompter=p)
    p.done()
    assert values["client"] is None and values["due"] is None and values["score"] is None


def test_goal_rate_shows_the_last_score_and_starts_there(j, cli):
    assert cli("goal", "add", "Speak up", "--score", "3").exit_code == 0
    assert cli("goal", "rate", "1", "6").exit_code == 0
    p = Scripted(
        ("which goal", "1: Speak up"),
        ("where is it now", ENTER),
        ("behind the score", "Spoke at the board."),
    )
    goal_id, score, note_text = flows.goal_rate_flow(j, prompter=p)
    p.done()
    assert (goal_id, score, note_text) == (1, 6, "Spoke at the board.")
    question = p.asked[1]
    assert "last time 6/10" in question
    assert [label for label in _labels(p, "where is it now") if "last time" in label] == [
        " 6  ← last time"
    ]


def test_goal_rate_with_no_open_goals_says_how_to_set_one(j):
    with pytest.raises(NotFound, match="no open goals"):
        flows.goal_rate_flow(j, prompter=Scripted())
