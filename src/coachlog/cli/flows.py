"""The interactive flows: what `reflect`, `session log`, `goal add` and `goal rate` ask.

Each flow takes the values the person already gave as flags, asks (through a
`Prompter`, see cli/prompts.py) only for what is still missing, and returns the
complete set for the command to hand to core. Flows read the journal to offer
choices (clients, cards, open goals) but never write to it: the command saves
everything in one transaction after the flow returns, so stopping at any question
(Ctrl-C, Esc) leaves the journal exactly as it was.

Commands call a flow only when `common.interactive()` is true. What the flows show
besides the questions (the card panel, the summary before saving) goes to stderr,
so stdout keeps the command's own output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coachlog.cli.prompts import Option, Prompter, get_prompter, line_validator
from coachlog.errors import Cancelled, NotFound
from coachlog.vocab import CoachingModel, Mode, Perspective, SessionFormat

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from coachlog.models import Card, Deck, Drawn, Goal
    from coachlog.store.db import Journal

# How many times "another card" redraws to find one not yet shown in this run.
_REDRAWS = 12
DEFAULT_MINUTES = 60


def _console() -> Console:
    from coachlog.cli.common import console

    return console(stderr=True)


def show(renderable: RenderableType) -> None:
    """Print something the person needs to see while answering (on stderr)."""
    _console().print(renderable)


def note(message: str) -> None:
    """A one-line remark between questions, printed verbatim (user text is never markup)."""
    from rich.text import Text

    _console().print(Text(message, style="dim"))


def _theme_options() -> list[Option[str]]:
    from coachlog.content import theme_descriptions, themes

    descriptions = theme_descriptions()
    return [
        Option(f"{t.title} ({t.key.value})", t.key.value, descriptions.get(t.key.value))
        for t in themes()
    ]


def _ask_themes(p: Prompter, message: str) -> list[str]:
    return p.checkbox(message, _theme_options())


# ---------------------------------------------------------------- reflect


@dataclass
class ReflectAnswer:
    """What `reflect` saves: the card shown (or None), the answer and its links."""

    drawn: Drawn | None
    text: str
    themes: list[str] = field(default_factory=list)
    goal_id: int | None = None


_ANSWER, _ANOTHER, _TURN, _PICK, _FREE = "answer", "another", "turn", "pick", "free"


def last_card(j: Journal) -> str | None:
    """The card of the most recent reflection: the one not to draw first this time."""
    from coachlog.core import reflections

    latest = reflections.list_reflections(j, limit=1)
    return latest[0].card if latest else None


def _deck_of(j: Journal, card: Card) -> Deck:
    from coachlog.core import cards

    return cards.get_deck(j, card.deck)


def _show_card(j: Journal, drawn: Drawn) -> None:
    from coachlog.render.cards import drawn_panel

    show(drawn_panel(drawn.card, _deck_of(j, drawn.card), drawn.perspective, drawn.question))


def _with_perspective(card: Card, perspective: Perspective) -> Drawn:
    from coachlog.models import Drawn

    return Drawn(card=card, perspective=perspective, question=card.questions[perspective])


def _next_perspective(current: Perspective) -> Perspective:
    order = list(Perspective)
    return order[(order.index(current) + 1) % len(order)]


def _draw_another(
    j: Journal,
    current: Drawn,
    shown: set[str],
    *,
    card_theme: str | None,
    perspective: str | None,
    deck: str | None,
    develop: Sequence[str] = (),
) -> Drawn:
    """A different card from the one on screen, preferring cards not yet shown this run."""
    from coachlog.core import cards

    drawn = current
    for _ in range(_REDRAWS):
        drawn = cards.draw(
            j,
            card_theme=card_theme,
            perspective=perspective,
            deck=deck,
            exclude=current.card.key,
            develop=develop,
        )
        if drawn.card.key not in shown:
            break
    else:
        shown.clear()  # every card has been on screen: start the round again
    return drawn


def _pick_card(j: Journal, p: Prompter, current: Drawn, deck: str | None) -> Drawn:
    from coachlog.core import cards

    chosen_deck = cards.get_deck(j, deck if deck is not None else current.card.deck)
    options = [
        Option(
            f"{c.title} ({cards.group_title(chosen_deck, c.theme)})",
            c,
            c.description,
        )
        for c in chosen_deck.cards
    ]
    card = p.select("Which card?", options, default=current.card)
    return _with_perspective(card, current.perspective)


def _choose_card(
    j: Journal,
    p: Prompter,
    drawn: Drawn,
    *,
    card_theme: str | None,
    perspective: str | None,
    deck: str | None,
    develop: Sequence[str] = (),
) -> Drawn | None:
    """Show the card and let the person take its question, or move on to another."""
    shown = {drawn.card.key}
    while True:
        _show_card(j, drawn)
        turn = _next_perspective(drawn.perspective)
        choice = p.select(
            "Reflect on this question?",
            [
                Option("Yes, answer it", _ANSWER),
                Option("Draw another card", _ANOTHER),
                Option(f"Same card, {turn.value} perspective", _TURN),
                Option("Pick a card myself", _PICK),
                Option("Write freely, without a card", _FREE),
            ],
            default=_ANSWER,
        )
        if choice == _ANSWER:
            return drawn
        if choice == _FREE:
            return None
        if choice == _TURN:
            drawn = _with_perspective(drawn.card, turn)
        elif choice == _PICK:
            drawn = _pick_card(j, p, drawn, deck)
        else:
            drawn = _draw_another(
                j,
                drawn,
                shown,
                card_theme=card_theme,
                perspective=perspective,
                deck=deck,
                develop=develop,
            )
        shown.add(drawn.card.key)


def _goal_label(goal: Goal) -> str:
    whose = f" ({goal.client})" if goal.client else ""
    score = f" · {goal.latest}/10" if goal.latest is not None else ""
    return f"{goal.id}: {goal.title}{whose}{score}"


def _ask_goal_link(j: Journal, p: Prompter, client: str | None) -> int | None:
    from coachlog.core import goals

    open_goals = goals.list_goals(j, client=client, status="open")
    if not open_goals:
        return None
    options: list[Option[int | None]] = [Option("No, not about a goal", None)]
    options += [Option(_goal_label(g), g.id) for g in open_goals]
    return p.select("Is this about one of your goals?", options, default=None)


def reflect_flow(
    j: Journal,
    *,
    card: str | None = None,
    card_theme: str | None = None,
    perspective: str | None = None,
    deck: str | None = None,
    themes: Sequence[str] = (),
    client: str | None = None,
    goal_id: int | None = None,
    session_id: int | None = None,
    prompter: Prompter | None = None,
) -> ReflectAnswer | None:
    """Ask for a reflection: a card and its question, the answer, themes and a goal.

    With `--card` the card is shown and its question asked straight away; otherwise
    a card is drawn (least used lately, never the card answered last time, and about
    half the time one of the person's areas to develop from their behaviour profile:
    the client's with `client`, else the owner's) and the person can take it, draw
    another, turn it to another perspective, pick one, or write without a card.
    Returns None, having said so, when the answer is empty.
    """
    from coachlog.core import cards, profile, reflections

    p = prompter or get_prompter()
    drawn: Drawn | None
    if card is not None:
        drawn = reflections.choose_card(j, card=card, perspective=perspective, deck=deck)
        if drawn is not None:
            _show_card(j, drawn)
    else:
        client_id, _ = profile.who(j, client, False)
        develop = profile.develop_areas(j, client_id, deck)
        drawn = cards.draw(
            j,
            card_theme=card_theme,
            perspective=perspective,
            deck=deck,
            exclude=last_card(j),
            develop=develop,
        )
        drawn = _choose_card(
            j,
            p,
            drawn,
            card_theme=card_theme,
            perspective=perspective,
            deck=deck,
            develop=develop,
        )
    text = p.long_text("Your answer:" if drawn is not None else "What is on your mind?")
    if not text.strip():
        note("Nothing written, so nothing was saved.")
        return None
    chosen_themes = list(themes) or _ask_themes(p, "Which impact themes does it touch? (optional)")
    if goal_id is None and session_id is None:
        goal_id = _ask_goal_link(j, p, client)
    return ReflectAnswer(drawn=drawn, text=text, themes=chosen_themes, goal_id=goal_id)


# ---------------------------------------------------------------- session log


@dataclass
class SessionPlan:
    """What `session log` saves: keyword arguments for `core.sessions.log`, and
    the name of a client to add first when the person typed a new one."""

    values: dict[str, Any]
    new_client: str | None = None


def _ask_client(j: Journal, p: Prompter) -> tuple[str, str | None]:
    """(client ref, new client name or None): type-ahead over active clients, or a new name."""
    from coachlog.core import clients
    from coachlog.models import NAME_MAX

    everyone = clients.list_clients(j, include_archived=True)
    active = [c for c in everyone if not c.archived]
    meta = {c.name: c.organisation or c.relationship.value for c in active}
    while True:
        name = p.autocomplete(
            "Client (type to search, or a new name):",
            [c.name for c in active],
            validate=line_validator(NAME_MAX, what="client's name"),
            meta=meta,
        )
        from coachlog.text import fold

        known = next((c for c in everyone if c.name == name), None)
        if known is None and clients.is_id(name):
            known = next((c for c in everyone if c.id == int(name)), None)
        if known is None:
            alike = [c for c in everyone if fold(c.name) == fold(name)]
            if len(alike) > 1:
                note(
                    f"'{name}' could mean "
                    + " and ".join(f"'{c.name}' (id {c.id})" for c in alike)
                    + ": type the full name as stored, or the id."
                )
                continue
            known = alike[0] if alike else None
        if known is not None:
            return str(known.id), None
        # A first name, or a name typed without its accents, is someone already here
        # far more often than a new client: offer them before adding a near-duplicate.
        close = [c for c in clients.close_matches(j, name) if not c.archived]
        if len(close) == 1 and p.confirm(f"Did you mean {close[0].name}?", default=True):
            return str(close[0].id), None
        if len(close) > 1:
            note(
                f"'{name}' could be "
                + ", ".join(f"'{c.name}' (id {c.id})" for c in close)
                + " (say no below, then press Tab to pick one)."
            )
        if p.confirm(f"{name} is not one of your clients yet. Add them?", default=True):
            return name, name


def _model_notes(p: Prompter, model: str) -> str | None:
    """Notes asked stage by stage, kept under the stage names ("Goal: ...")."""
    from coachlog.content import coaching_models

    info = coaching_models()[model]
    note(f"{info.title} notes, stage by stage (leave a stage blank to skip it).")
    parts = []
    for stage in info.stages:
        answer = p.long_text(f"{stage.title}: {stage.prompt}")
        if answer.strip():
            parts.append(f"{stage.title}: {answer.strip()}")
    return "\n\n".join(parts) or None


def _card_options(j: Journal) -> list[Option[str]]:
    from coachlog.core import cards

    options = []
    for deck in cards.all_decks(j):
        for c in deck.cards:
            where = cards.group_title(deck, c.theme) if deck.builtin else deck.name
            options.append(Option(f"{c.title} ({where})", c.key, c.description))
    return options


def _ask_actions(p: Prompter) -> list[tuple[str, str | None]]:
    from coachlog.models import TITLE_MAX

    found: list[tuple[str, str | None]] = []
    while True:
        number = len(found) + 1
        text = p.text(
            f"Action {number} agreed (leave blank when there are no more):",
            validate=line_validator(TITLE_MAX, required=False, what="action"),
        )
        if not text:
            return found
        due = p.date("Due date:", optional=True, what="due date")
        found.append((text, due.isoformat() if due else None))


def _summary(values: dict[str, Any], client_name: str) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from coachlog.render.tables import key_values, one_line

    def preview(text: str | None) -> str | None:
        if not text:
            return None
        lines = text.strip().count("\n") + 1
        extra = f"  ({lines} lines)" if lines > 1 else ""
        return one_line(text, 50).plain + extra

    actions = [f"{t} (due {d})" if d else t for t, d in values["actions"]]
    grid = key_values(
        [
            ("Client", client_name),
            ("Date", f"{values['on']}" + (f" at {values['at']}" if values["at"] else "")),
            ("Length", f"{values['minutes']} min, {values['mode']}, {values['format']}"),
            ("Model", values["model"].upper() if values["model"] else None),
            ("Themes", list(values["themes"])),
            ("Cards", list(values["cards"])),
            ("Notes", preview(values["notes"])),
            ("Private notes", preview(values["private_notes"])),
            ("Actions", "; ".join(actions) if actions else None),
        ]
    )
    return Group(Text("The session to save:", style="bold"), grid)


def _check_flags(
    j: Journal,
    *,
    minutes: int | None,
    cards: Sequence[str],
    actions: Sequence[tuple[str, str | None]],
) -> None:
    """Refuse bad --minutes, --card and --action values with the words the flags get."""
    from coachlog.core import actions as action_core
    from coachlog.core import cards as card_core
    from coachlog.errors import InvalidInput
    from coachlog.models import MINUTES_MAX

    if minutes is not None and not 1 <= minutes <= MINUTES_MAX:
        raise InvalidInput(f"--minutes must be from 1 to {MINUTES_MAX}, not {minutes}.")
    for key in cards:
        card_core.find_card(j, key)
    for text, due in actions:
        action_core.validate_action(text, due, due_flag="--action-due")


def session_log_flow(
    j: Journal,
    *,
    client: str | None = None,
    on: str | dt.date | None = None,
    at: str | None = None,
    minutes: int | None = None,
    mode: Mode | str | None = None,
    format: SessionFormat | str | None = None,
    model: CoachingModel | str | None = None,
    themes: Sequence[str] = (),
    cards: Sequence[str] = (),
    tags: Sequence[str] = (),
    notes: str | None = None,
    private_notes: str | None = None,
    actions: Sequence[tuple[str, str | None]] = (),
    pro_bono: bool = False,
    prompter: Prompter | None = None,
) -> SessionPlan:
    """Ask for every session value not given as a flag, show a summary, confirm.

    Declining at the summary is a cancel: nothing is saved.
    """
    from coachlog import dates
    from coachlog.core import clients as client_core
    from coachlog.models import MINUTES_MAX

    p = prompter or get_prompter()
    # Flags first, so a mistyped flag is reported before any question is answered.
    day = dates.parse_date(on, "--on") if on is not None else None
    ask_time = at is None  # an empty --at "" means "no start time": nothing to ask
    at = dates.parse_time(at, "--at") if at else None
    _check_flags(j, minutes=minutes, cards=cards, actions=actions)
    new_client = None
    if client is None:
        client, new_client = _ask_client(j, p)
        client_name = new_client or client_core.resolve(j, client).name
    else:
        client_name = client_core.resolve(j, client).name
    if day is None:
        day = p.date("Date of the session:", default=dates.today(), what="date") or dates.today()
    if ask_time:
        at = p.time("Start time:", optional=True)
    if minutes is None:
        minutes = p.integer(
            "How many minutes?", minimum=1, maximum=MINUTES_MAX, default=DEFAULT_MINUTES
        )
    if mode is None:
        mode = p.select(
            "How did you meet?",
            [
                Option("In person", Mode.in_person),
                Option("Video", Mode.video),
                Option("Phone", Mode.phone),
            ],
            default=Mode.in_person,
        )
    if format is None:
        format = p.select(
            "Who was there?",
            [
                Option("One to one", SessionFormat.one_to_one),
                Option("A group", SessionFormat.group),
                Option("A team", SessionFormat.team),
            ],
            default=SessionFormat.one_to_one,
        )
    asked_model = False
    if model is None:
        from coachlog.content import coaching_models

        model_options: list[Option[str | None]] = [Option("No particular model", None)]
        model_options += [
            Option(m.title, m.key, " → ".join(s.title for s in m.stages))
            for m in coaching_models().values()
        ]
        model = p.select("Did you follow a coaching model?", model_options, default=None)
        asked_model = True
    chosen_themes = list(themes) or _ask_themes(p, "Impact themes worked on (optional):")
    chosen_cards = list(cards) or p.checkbox("Behaviour cards used (optional):", _card_options(j))
    if notes is None:
        if model is not None and asked_model:
            notes = _model_notes(p, str(model))
        else:
            notes = p.long_text("Session notes (optional):") or None
    if private_notes is None:
        private_notes = p.long_text("Private notes, for you alone (optional):") or None
    chosen_actions = list(actions) or _ask_actions(p)
    values: dict[str, Any] = {
        "client": client,
        "on": day,
        "at": at,
        "minutes": minutes,
        "mode": Mode(mode),
        "format": SessionFormat(format),
        "model": CoachingModel(model) if model else None,
        "themes": chosen_themes,
        "cards": chosen_cards,
        "tags": list(tags),
        "notes": notes,
        "private_notes": private_notes,
        "actions": chosen_actions,
        "pro_bono": pro_bono,
    }
    show(_summary(values, client_name))
    if not p.confirm("Save this session?", default=True):
        raise Cancelled()
    return SessionPlan(values=values, new_client=new_client)


# ---------------------------------------------------------------- goals


def score_options(last: int | None = None) -> list[Option[int]]:
    """The 0-10 scale as a list, the last score marked so the person can see it."""
    words = {0: "nowhere near", 5: "half way", 10: "fully there"}
    options = []
    for score in range(11):
        label = f"{score:>2}"
        if score in words:
            label += f"  {words[score]}"
        if score == last:
            label += "  ← last time"
        options.append(Option(label, score))
    return options


def goal_add_flow(
    j: Journal,
    *,
    title: str | None = None,
    client: str | None = None,
    themes: Sequence[str] = (),
    due: str | dt.date | None = None,
    score: int | str | None = None,
    prompter: Prompter | None = None,
) -> dict[str, Any]:
    """Ask for a goal's title, whose it is, themes, due date and baseline, if not given.

    Returns keyword arguments for `core.goals.add` (title included).
    """
    from coachlog.core import clients
    from coachlog.models import TITLE_MAX

    p = prompter or get_prompter()
    if title is None:
        title = p.text(
            "What is the goal? (one line)", validate=line_validator(TITLE_MAX, what="goal")
        )
    if client is None:
        active = clients.list_clients(j)
        if active:
            whose: list[Option[str | None]] = [Option("Mine", None)]
            whose += [Option(c.name, str(c.id)) for c in active]
            client = p.select("Whose goal is it?", whose, default=None)
    chosen_themes = list(themes) or _ask_themes(p, "Impact themes it is about (optional):")
    if due is None:
        due = p.date("Due date:", optional=True, what="due date")
    if score is None:
        baseline: list[Option[int | None]] = [Option("Skip: no score yet", None)]
        baseline += [Option(o.label, o.value) for o in score_options()]
        score = p.select("Where do things stand now, from 0 to 10?", baseline, default=None)
    return {
        "title": title,
        "client": client,
        "themes": chosen_themes,
        "due": due,
        "score": score,
    }


def goal_rate_flow(
    j: Journal,
    *,
    goal_id: int | None = None,
    score: int | str | None = None,
    note_text: str | None = None,
    prompter: Prompter | None = None,
) -> tuple[int, int | str, str | None]:
    """Ask which open goal, its score now (the last one shown), and an optional note."""
    from coachlog.core import goals

    p = prompter or get_prompter()
    if goal_id is None:
        open_goals = goals.list_goals(j, status="open")
        if not open_goals:
            raise NotFound(
                "There are no open goals to rate.",
                hint='Set one with: coachlog goal add "What you want to reach"',
            )
        goal_id = p.select(
            "Which goal?", [Option(_goal_label(g), g.id) for g in open_goals], default=None
        )
    if score is None:
        goal = goals.get(j, goal_id)
        last = goal.scores[-1] if goal.scores else None
        since = f" (last time {last.score}/10, on {last.on.isoformat()})" if last else ""
        score = p.select(
            f"Where is it now, from 0 to 10?{since}",
            score_options(last.score if last else None),
            default=last.score if last else None,
        )
        if note_text is None:
            note_text = p.text("What is behind the score? (optional)") or None
    return goal_id, score, note_text


# ---------------------------------------------------------------- behaviour profile


def profile_rate_flow(
    j: Journal,
    deck: Deck,
    given: dict[str, int],
    *,
    last: Any = None,
    who: str = "you",
    prompter: Prompter | None = None,
) -> dict[str, int]:
    """Ask a 0-10 score for each card of `deck` not in `given`, one card at a time.

    Each card is shown first (its description and what it looks like when it is
    there and when it is missing), then the question, with last time's score
    beside it when there is one. Nothing is saved here: Ctrl-C at any card leaves
    the journal as it was.
    """
    from coachlog import content
    from coachlog.cli.prompts import integer_validator
    from coachlog.core.profile import SCALE
    from coachlog.render.cards import rating_panel

    p = prompter or get_prompter()
    scores = {content.slugify(k): v for k, v in given.items()}
    todo = [c for c in deck.cards if c.key not in scores]
    before = dict(last.scores) if last is not None else {}
    if todo:
        note(f"Rate each behaviour from 0 to 10 ({SCALE}). Ctrl-C stops, saving nothing.")
    for number, card in enumerate(todo, start=1):
        show(rating_panel(card, deck, number, len(todo)))
        hint = "0-10"
        if card.key in before:
            hint += f"; last time {before[card.key]}"
        whom = "you" if who == "you" else who
        question = f"How strong is {card.title} for {whom} now?"
        answer = p.text(
            question, validate=integer_validator(0, 10, "score"), instruction=f"({hint})"
        )
        scores[card.key] = int(answer.strip())
    return scores
