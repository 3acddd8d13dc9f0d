"""A realistic sample journal, made up deterministically, for `coachlog demo` and the benchmarks.

`generate()` invents an NHS coaching journal: a coach (the journal's owner), clients
with plausible names, roles and organisations, sessions every two to four weeks
with notes, behaviour cards and IES impact themes, actions agreed (some done, some
overdue), goals whose 0-10 scores climb with some noise, the coach's own goals,
reflections answering the deck's questions, and supervision. Everything comes from
one `random.Random(seed)` and the `end` date, so the same seed and end give the
same journal, which the benchmarks rely on to compare like with like.

`write()` puts a generated journal into an empty journal in one transaction
through `store.bulk` (one executemany per table), fast enough to seed 100,000
sessions and 100,000 reflections in seconds. Nothing here prints.

The cast and the phrases come from content/demo.toml (`content.demo_words()`), so
they can be read and corrected without touching the generator. Every person and
organisation is invented; e-mail addresses use the reserved `.example` domain so
nothing can ever be sent to them.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from coachlog import dates
from coachlog.content import SHIPPED_DECK, demo_words, shipped_deck
from coachlog.errors import Conflict, InvalidInput, Refused
from coachlog.store import bulk
from coachlog.store.base import new_uid
from coachlog.store.db import Journal, open_journal, resolve_path
from coachlog.vocab import (
    CoachingModel,
    GoalStatus,
    Mode,
    Perspective,
    Relationship,
    SessionFormat,
    ThemeKey,
)

# With a session count asked for, the span grows so a coach sees about this many
# sessions a month (a full-time caseload), up to ten years: beyond that more
# clients share the same years, as in a programme lead's merged journals.
SESSIONS_PER_MONTH = 40
MAX_SPAN_MONTHS = 120

# ---------------------------------------------------------------- the records


@dataclass(slots=True)
class DemoClient:
    name: str
    role: str
    organisation: str  # "Ward Manager, Northgate NHS Trust"
    relationship: Relationship
    email: str | None
    named_consent: bool
    created_on: dt.date


@dataclass(slots=True)
class DemoAction:
    text: str
    due: dt.date | None
    done_on: dt.date | None


@dataclass(slots=True)
class DemoSession:
    client: int  # index into DemoJournal.clients
    on: dt.date
    at: str
    minutes: int
    mode: Mode
    format: SessionFormat
    model: CoachingModel | None
    themes: tuple[ThemeKey, ...]
    cards: tuple[str, ...]
    tags: tuple[str, ...]
    notes: str
    private_notes: str | None
    pro_bono: bool
    actions: list[DemoAction] = field(default_factory=list)


@dataclass(slots=True)
class DemoScore:
    on: dt.date
    score: int
    note: str | None


@dataclass(slots=True)
class DemoGoal:
    title: str
    client: int | None  # None: the owner's own goal
    themes: tuple[ThemeKey, ...]
    tags: tuple[str, ...]
    due: dt.date | None
    status: GoalStatus
    created_on: dt.date
    closed_on: dt.date | None
    scores: list[DemoScore] = field(default_factory=list)  # the first is the baseline


@dataclass(slots=True)
class DemoReflection:
    on: dt.date
    at: str
    title: str | None
    text: str
    card: str | None
    perspective: Perspective | None
    question: str | None
    themes: tuple[ThemeKey, ...]
    tags: tuple[str, ...]
    client: int | None  # a coachee's reflection shared with the coach
    goal: int | None  # index into DemoJournal.goals
    session: int | None  # index into DemoJournal.sessions
    starred: bool


@dataclass(slots=True)
class DemoSupervision:
    on: dt.date
    minutes: int
    supervisor: str
    format: SessionFormat
    notes: str


@dataclass
class DemoJournal:
    """A whole generated journal: plain data, ready for `write()`."""

    seed: int
    owner: str  # the coach who keeps the journal (not stored: a journal has one owner)
    start: dt.date
    end: dt.date
    clients: list[DemoClient]
    sessions: list[DemoSession]
    goals: list[DemoGoal]
    reflections: list[DemoReflection]
    supervision: list[DemoSupervision]

    def counts(self) -> dict[str, int]:
        return {
            "clients": len(self.clients),
            "sessions": len(self.sessions),
            "actions": sum(len(s.actions) for s in self.sessions),
            "goals": len(self.goals),
            "goal_scores": sum(len(g.scores) for g in self.goals),
            "reflections": len(self.reflections),
            "supervision": len(self.supervision),
        }


# ---------------------------------------------------------------- the words

# The cast and phrases are content (content/demo.toml), read once; the names below
# are what the generator draws from.
_WORDS = demo_words()
OWNER = _WORDS.owner
# The people of the small demo, in a fixed set so every newcomer meets a varied
# cast; larger journals continue with names made from the pools below.
PERSONAS = _WORDS.personas
FIRST_NAMES = _WORDS.first_names
SURNAMES = _WORDS.surnames
ROLES = _WORDS.roles
ORGANISATIONS = _WORDS.organisations
RELATIONSHIPS = _WORDS.relationships  # weighted: most relationships are coaching
MODES = _WORDS.modes
MODELS = _WORDS.models
MINUTES = _WORDS.minutes
TIMES = _WORDS.times
GOALS = _WORDS.goals
RELATED = _WORDS.related  # a goal's second theme, when it has one
FOCUS = _WORDS.focus
OWNER_GOALS = _WORDS.owner_goals
CARD_ANGLES = _WORDS.card_angles  # what a card opened up in a session, by card key
SITUATIONS = _WORDS.phrases["situations"]
MOODS = _WORDS.phrases["moods"]
BEHAVIOURS = _WORDS.phrases["behaviours"]
TRIGGERS = _WORDS.phrases["triggers"]
INSIGHTS = _WORDS.phrases["insights"]
REVIEWS = _WORDS.phrases["reviews"]
STAKEHOLDERS = _WORDS.phrases["stakeholders"]
PROJECTS = _WORDS.phrases["projects"]
ACTIONS = _WORDS.phrases["actions"]
PRIVATE_NOTES = _WORDS.phrases["private_notes"]
OBSERVATIONS = _WORDS.phrases["observations"]
COACH_OBSERVATIONS = _WORDS.phrases["coach_observations"]
REFLECTION_INSIGHTS = _WORDS.phrases["reflection_insights"]
INTENTIONS = _WORDS.phrases["intentions"]
REFLECTION_TITLES = _WORDS.phrases["reflection_titles"]
REFLECTION_TAGS = _WORDS.phrases["reflection_tags"]
SUPERVISORS = _WORDS.phrases["supervisors"]
SUPERVISION_NOTES = _WORDS.phrases["supervision_notes"]


def generate(
    seed: int = 1,
    *,
    clients: int = 3,
    months: int = 6,
    sessions: int | None = None,
    reflections: int | None = None,
    end: dt.date | None = None,
) -> DemoJournal:
    """Invent a journal ending on `end` (default today); the same arguments give the same data.

    With the defaults: `clients` clients seen every two to four weeks for `months`
    months. With `sessions` (and/or `reflections`) given: exactly that many, with
    as many clients as it takes, over a span of about one month per 40 sessions
    (at least `months`, at most ten years).
    """
    if clients < 1 or months < 1:
        raise ValueError("clients and months must be at least 1")
    if (sessions is not None and sessions < 0) or (reflections is not None and reflections < 0):
        raise ValueError("sessions and reflections cannot be negative")
    end = end or dates.today()
    span_months = months
    if sessions is not None:
        span_months = max(months, min(MAX_SPAN_MONTHS, math.ceil(sessions / SESSIONS_PER_MONTH)))
    start = end - dt.timedelta(days=round(span_months * 30.44))
    with _no_gc():
        return _Generator(random.Random(seed), seed, start, end).build(
            clients, sessions, reflections
        )


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector while making or writing millions of small objects.

    None of them form cycles, and with a large heap each full collection walks all
    of them: seeding 100,000 sessions and reflections spent about a fifth of its
    time there.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Generator:
    def __init__(self, rng: random.Random, seed: int, start: dt.date, end: dt.date) -> None:
        self.rng = rng
        self.start = start
        self.end = end
        self.days = (end - start).days
        deck = shipped_deck()
        self.cards = [(c.key, c.title, c.questions) for c in deck.cards]
        self.journal = DemoJournal(seed, OWNER, start, end, [], [], [], [], [])
        self.names: set[str] = set()
        self.client_goals: dict[int, list[int]] = {}

    # ------------------------------------------------------------ the whole journal

    def build(self, clients: int, sessions: int | None, reflections: int | None) -> DemoJournal:
        j = self.journal
        per_client: list[list[DemoSession]] = []
        if sessions is None:
            # The small demo: every client from the first weeks of the span to today.
            for _ in range(clients):
                first = self.start + dt.timedelta(days=self.rng.randint(0, 21))
                per_client.append(self._engagement(first, self.end, ongoing=True))
        else:
            total = 0
            while total < sessions:
                latest_start = max(self.days - 30, 0)
                first = self.start + dt.timedelta(days=self.rng.randint(0, latest_start))
                last = min(first + dt.timedelta(days=self.rng.randint(120, 420)), self.end)
                made = self._engagement(first, last, ongoing=last >= self.end)
                made = made[: sessions - total]
                total += len(made)
                per_client.append(made)
        # Sessions get their ids in date order, as if logged one by one.
        j.sessions = sorted((s for ss in per_client for s in ss), key=lambda s: (s.on, s.at))
        self._owner_goals()
        self._reflections(reflections)
        self._supervision()
        return j

    # ------------------------------------------------------------ clients

    def _new_client(self, first_session: dt.date) -> int:
        rng = self.rng
        index = len(self.journal.clients)
        if index < len(PERSONAS):
            name, role, organisation, relationship = PERSONAS[index]
        else:
            role, organisation = rng.choice(ROLES), rng.choice(ORGANISATIONS)
            relationship = rng.choice(RELATIONSHIPS)
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            tries = 0
            while name in self.names:  # names are unique: add a middle initial
                tries += 1
                initial = chr(ord("A") + rng.randrange(26))
                name = f"{rng.choice(FIRST_NAMES)} {initial}. {rng.choice(SURNAMES)}"
                if tries > 50:  # tens of thousands of clients: the pools run out
                    name = f"{name} ({index + 1})"
        self.names.add(name)
        email = None
        if rng.random() < 0.6:
            local = name.lower().replace("'", "").replace(". ", ".").replace(" ", ".")
            email = f"{local}@nhs.example"
        self.journal.clients.append(
            DemoClient(
                name=name,
                role=role,
                organisation=f"{role}, {organisation}",
                relationship=relationship,
                email=email,
                named_consent=rng.random() < 0.5,
                created_on=first_session - dt.timedelta(days=rng.randint(1, 10)),
            )
        )
        return index

    # ------------------------------------------------------------ one client's sessions and goals

    def _engagement(self, first: dt.date, last: dt.date, *, ongoing: bool) -> list[DemoSession]:
        rng = self.rng
        client = self._new_client(first)
        who = self.journal.clients[client]
        first_name = who.name.split()[0]
        goals = self._client_goals(client, first)
        goal_themes = tuple(dict.fromkeys(t for g in goals for t in self.journal.goals[g].themes))
        made: list[DemoSession] = []
        on = _weekday(first, self.end)
        number = 0
        while on <= last:
            number += 1
            made.append(self._session(client, first_name, who, on, number, goals, goal_themes))
            on = _weekday(on + dt.timedelta(days=rng.randint(14, 28)), self.end)
            if on <= made[-1].on:
                break
        if made and not ongoing:
            made[-1].tags = (*made[-1].tags, "ending")
        self._scores(goals, made, ongoing)
        return made

    def _client_goals(self, client: int, first: dt.date) -> list[int]:
        rng = self.rng
        made: list[int] = []
        for theme in rng.sample(list(GOALS), rng.randint(1, 3)):
            themes: tuple[ThemeKey, ...] = (theme,)
            if rng.random() < 0.4:
                themes = (theme, rng.choice(RELATED[theme]))
            self.journal.goals.append(
                DemoGoal(
                    title=rng.choice(GOALS[theme]),
                    client=client,
                    themes=themes,
                    tags=(),
                    due=first + dt.timedelta(days=rng.choice((90, 120, 180, 270))),
                    status=GoalStatus.open,
                    created_on=first,
                    closed_on=None,
                )
            )
            made.append(len(self.journal.goals) - 1)
        self.client_goals[client] = made
        return made

    def _scores(self, goals: list[int], sessions: list[DemoSession], ongoing: bool) -> None:
        """Scores at the first session and about monthly after, trending upward with noise."""
        rng = self.rng
        if not sessions:
            return
        for index in goals:
            goal = self.journal.goals[index]
            baseline = rng.randint(2, 5)
            gain = rng.uniform(2.0, 5.0)
            checkins = sessions[::2] if len(sessions) > 2 else sessions
            if sessions[-1] is not checkins[-1]:
                checkins = [*checkins, sessions[-1]]
            steps = max(len(checkins) - 1, 1)
            for step, session in enumerate(checkins):
                note: str | None
                if step == 0:
                    score, note = baseline, "Baseline at the first session."
                else:
                    trend = baseline + gain * step / steps
                    score = max(0, min(10, round(trend + rng.uniform(-1.0, 1.0))))
                    note = None if rng.random() < 0.6 else rng.choice(INSIGHTS).capitalize() + "."
                goal.scores.append(DemoScore(session.on, score, note))
            if not ongoing:
                latest = goal.scores[-1].score
                goal.status = GoalStatus.done if latest >= 6 else GoalStatus.dropped
                goal.closed_on = sessions[-1].on

    def _session(
        self,
        client: int,
        first_name: str,
        who: DemoClient,
        on: dt.date,
        number: int,
        goals: list[int],
        goal_themes: tuple[ThemeKey, ...],
    ) -> DemoSession:
        rng = self.rng
        goal = self.journal.goals[rng.choice(goals)]
        themes = list(goal.themes[:1])
        if rng.random() < 0.3:
            extra = rng.choice(goal_themes if rng.random() < 0.7 else list(ThemeKey))
            if extra not in themes:
                themes.append(extra)
        cards: list[tuple[str, str, dict[Perspective, str]]] = []
        if rng.random() < 0.65:
            cards = rng.sample(self.cards, 1 if rng.random() < 0.75 else 2)
        model = rng.choice(MODELS)
        if who.relationship is Relationship.team:
            fmt = SessionFormat.team
        else:
            fmt = SessionFormat.group if rng.random() < 0.04 else SessionFormat.one_to_one
        tags = ("contracting",) if number == 1 else (("review",) if number % 6 == 0 else ())
        notes = self._notes(first_name, number, goal.title, themes, cards, model)
        actions = [self._action(on) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        return DemoSession(
            client=client,
            on=on,
            at=rng.choice(TIMES),
            minutes=rng.choice(MINUTES),
            mode=rng.choice(MODES),
            format=fmt,
            model=model,
            themes=tuple(themes),
            cards=tuple(c[0] for c in cards),
            tags=tags,
            notes=notes,
            private_notes=rng.choice(PRIVATE_NOTES) if rng.random() < 0.3 else None,
            pro_bono=rng.random() < 0.08,
            actions=actions,
        )

    def _notes(
        self,
        first_name: str,
        number: int,
        goal: str,
        themes: list[ThemeKey],
        cards: list[tuple[str, str, dict[Perspective, str]]],
        model: CoachingModel | None,
    ) -> str:
        rng = self.rng
        situation = rng.choice(SITUATIONS)
        if number == 1:
            opening = (
                f"First session with {first_name}: contracted for six sessions, confidentiality "
                f"and how we would review. {first_name} wants to work on '{goal}'."
            )
        else:
            opening = rng.choice(
                (
                    f"{first_name} came in {rng.choice(MOODS)}, mostly about {situation}.",
                    f"We reviewed last time's actions: {rng.choice(REVIEWS)}.",
                    f"{first_name} wanted to use today to look at {FOCUS[themes[0]]}.",
                )
            )
        parts = [opening]
        for key, title, _questions in cards:
            angle = CARD_ANGLES.get(key, f"what {title.lower()} would ask of them")
            parts.append(f"Using the {title} card, we explored {angle}.")
        if model is CoachingModel.oskar:
            parts.append(
                f"On the scaling question {first_name} put themselves at {rng.randint(3, 8)} "
                f"out of 10 on '{goal}'."
            )
        elif rng.random() < 0.5:
            parts.append(
                f"{first_name} noticed a pattern of {rng.choice(BEHAVIOURS)} when "
                f"{rng.choice(TRIGGERS)}."
            )
        if len(parts) < 3 or rng.random() < 0.6:
            parts.append(f"Insight: {rng.choice(INSIGHTS)}.")
        if len(themes) > 1:
            parts.append(f"Also touched on {FOCUS[themes[1]]}.")
        return " ".join(parts)

    def _action(self, on: dt.date) -> DemoAction:
        rng = self.rng
        text = rng.choice(ACTIONS).format(
            who=rng.choice(STAKEHOLDERS), project=rng.choice(PROJECTS)
        )
        due = on + dt.timedelta(days=rng.choice((7, 14, 14, 21, 28)))
        done_on = None
        if due <= self.end:
            if rng.random() < 0.75:
                done_on = min(
                    on + dt.timedelta(days=rng.randint(2, (due - on).days + 5)), self.end
                )
        elif rng.random() < 0.2 and on < self.end:
            done_on = on + dt.timedelta(days=rng.randint(1, (self.end - on).days))
        return DemoAction(text, due, done_on)

    # ------------------------------------------------------------ the owner's goals

    def _owner_goals(self) -> None:
        rng = self.rng
        for title, themes in rng.sample(OWNER_GOALS, 2):
            created = self.start + dt.timedelta(days=rng.randint(0, 14))
            goal = DemoGoal(
                title=title,
                client=None,
                themes=themes,
                tags=("cpd",),
                due=self.end + dt.timedelta(days=rng.choice((60, 120, 180))),
                status=GoalStatus.open,
                created_on=created,
                closed_on=None,
            )
            baseline = rng.randint(2, 5)
            months = max((self.end - created).days // 30, 1)
            gain = rng.uniform(2.0, 4.0)
            for month in range(0, months + 1):
                on = created + dt.timedelta(days=30 * month)
                if on > self.end:
                    break
                score = (
                    baseline
                    if month == 0
                    else round(baseline + gain * month / months + rng.uniform(-1.0, 1.0))
                )
                goal.scores.append(
                    DemoScore(on, max(0, min(10, score)), "Baseline." if month == 0 else None)
                )
            self.journal.goals.append(goal)

    # ------------------------------------------------------------ reflections

    def _reflections(self, count: int | None) -> None:
        rng = self.rng
        j = self.journal
        owner_goals = [i for i, g in enumerate(j.goals) if g.client is None]
        plan: list[tuple[dt.date, int | None]] = []  # (date, session index or None for owner)
        if count is None:
            on = self.start + dt.timedelta(days=rng.randint(2, 9))
            while on <= self.end:
                plan.append((on, None))
                on += dt.timedelta(days=rng.randint(5, 12))
            for index, session in enumerate(j.sessions):
                if rng.random() < 0.4:
                    plan.append((session.on + dt.timedelta(days=rng.randint(1, 6)), index))
        else:
            for _ in range(count):
                if j.sessions and rng.random() < 0.45:
                    index = rng.randrange(len(j.sessions))
                    plan.append(
                        (j.sessions[index].on + dt.timedelta(days=rng.randint(1, 6)), index)
                    )
                else:
                    plan.append((self.start + dt.timedelta(days=rng.randint(0, self.days)), None))
        plan.sort(key=lambda p: p[0])
        for on, session_index in plan:
            j.reflections.append(self._reflection(min(on, self.end), session_index, owner_goals))

    def _reflection(
        self, on: dt.date, session_index: int | None, owner_goals: list[int]
    ) -> DemoReflection:
        rng = self.rng
        client: int | None = None
        goal: int | None = None
        if session_index is not None:
            session = self.journal.sessions[session_index]
            client = session.client
            goals = self.client_goals.get(client, [])
            goal = rng.choice(goals) if goals and rng.random() < 0.5 else None
            themes = session.themes
            observation = rng.choice(OBSERVATIONS)
        else:
            goal = rng.choice(owner_goals) if owner_goals and rng.random() < 0.3 else None
            themes = self.journal.goals[goal].themes if goal is not None else ()
            observation = rng.choice(COACH_OBSERVATIONS + OBSERVATIONS[:4])
        key, title, questions = rng.choice(self.cards)
        perspective = rng.choice(list(Perspective))
        text = (
            f"This week {observation}. Thinking about {title.lower()}, "
            f"{rng.choice(REFLECTION_INSIGHTS)}."
        )
        if rng.random() < 0.5:
            text += f" From the {perspective.value} side, {rng.choice(INSIGHTS)}."
        text += f" Next I want to {rng.choice(INTENTIONS)}."
        return DemoReflection(
            on=on,
            at=rng.choice(TIMES[-4:] + ("19:30", "21:00")),
            title=rng.choice(REFLECTION_TITLES) if rng.random() < 0.4 else None,
            text=text,
            card=key,
            perspective=perspective,
            question=questions[perspective],
            themes=tuple(themes),
            tags=(rng.choice(REFLECTION_TAGS),) if rng.random() < 0.5 else (),
            client=client,
            goal=goal,
            session=session_index if (session_index is not None and rng.random() < 0.5) else None,
            starred=rng.random() < 0.1,
        )

    # ------------------------------------------------------------ supervision

    def _supervision(self) -> None:
        rng = self.rng
        on = self.start + dt.timedelta(days=rng.randint(10, 30))
        while on <= self.end:
            self.journal.supervision.append(
                DemoSupervision(
                    on=on,
                    minutes=rng.choice((60, 60, 90)),
                    supervisor=rng.choice(SUPERVISORS),
                    format=SessionFormat.group
                    if rng.random() < 0.25
                    else SessionFormat.one_to_one,
                    notes=rng.choice(SUPERVISION_NOTES),
                )
            )
            on = _weekday(on + dt.timedelta(days=rng.randint(28, 42)), self.end)
            if self.journal.supervision[-1].on >= on:
                break


def _weekday(day: dt.date, end: dt.date) -> dt.date:
    """The next Monday for a weekend day, or the Friday before when that passes `end`."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    if monday <= end:
        return monday
    return day - dt.timedelta(days=day.weekday() - 4)


# ---------------------------------------------------------------- writing


def write(j: Journal, demo: DemoJournal) -> dict[str, int]:
    """Put `demo` into the empty journal `j` in one transaction; returns rows per kind.

    Refuses a journal that already holds entries: the sample is never mixed into
    someone's real records.
    """
    with _no_gc(), j.write():
        if not bulk.is_empty(j):
            raise Refused(
                f"{j.path} already has entries; the sample journal goes only into an empty one.",
                hint="Run 'coachlog demo', which makes a new journal in a temporary folder.",
            )
        return _insert_all(j, demo)


def _stamp(on: dt.date, at: str | None) -> str:
    return f"{on.isoformat()}T{at or '12:00'}:00+00:00"


def _insert_all(j: Journal, demo: DemoJournal) -> dict[str, int]:
    counts: dict[str, int] = {}
    # Ids are 1..n in list order (the journal is empty), so links need no read-back.
    counts["clients"] = bulk.insert(
        j,
        "clients",
        (
            {
                "id": i,
                "uid": new_uid(),
                "name": c.name,
                "relationship": c.relationship.value,
                "organisation": c.organisation,
                "email": c.email,
                "named_consent": int(c.named_consent),
                "archived": 0,
                "created_on": c.created_on.isoformat(),
            }
            for i, c in enumerate(demo.clients, start=1)
        ),
    )
    sessions = list(enumerate(demo.sessions, start=1))
    counts["sessions"] = bulk.insert(
        j,
        "sessions",
        (
            {
                "id": i,
                "uid": new_uid(),
                "client_id": s.client + 1,
                "on_date": s.on.isoformat(),
                "at_time": s.at,
                "minutes": s.minutes,
                "mode": s.mode.value,
                "format": s.format.value,
                "model": s.model.value if s.model else None,
                "notes": s.notes,
                "private_notes": s.private_notes,
                "pro_bono": int(s.pro_bono),
                "created_at": _stamp(s.on, s.at),
                "updated_at": _stamp(s.on, s.at),
            }
            for i, s in sessions
        ),
    )
    _labels(
        j,
        "session_themes",
        ((i, t.value) for i, s in sessions for t in s.themes),
    )
    _labels(j, "session_cards", ((i, c) for i, s in sessions for c in s.cards))
    _labels(j, "session_tags", ((i, t) for i, s in sessions for t in s.tags))
    counts["actions"] = bulk.insert(
        j,
        "actions",
        (
            {
                "id": None,  # actions are linked to nothing else: SQLite numbers them
                "uid": new_uid(),
                "client_id": s.client + 1,
                "session_id": i,
                "text": a.text,
                "due": a.due.isoformat() if a.due else None,
                "done_on": a.done_on.isoformat() if a.done_on else None,
                "created_on": s.on.isoformat(),
            }
            for i, s in sessions
            for a in s.actions
        ),
    )
    goals = list(enumerate(demo.goals, start=1))
    counts["goals"] = bulk.insert(
        j,
        "goals",
        (
            {
                "id": i,
                "uid": new_uid(),
                "client_id": g.client + 1 if g.client is not None else None,
                "title": g.title,
                "due": g.due.isoformat() if g.due else None,
                "status": g.status.value,
                "created_on": g.created_on.isoformat(),
                "closed_on": g.closed_on.isoformat() if g.closed_on else None,
            }
            for i, g in goals
        ),
    )
    _labels(j, "goal_themes", ((i, t.value) for i, g in goals for t in g.themes))
    _labels(j, "goal_tags", ((i, t) for i, g in goals for t in g.tags))
    counts["goal_scores"] = bulk.insert(
        j,
        "goal_scores",
        (
            {
                "id": None,
                "uid": new_uid(),
                "goal_id": i,
                "score": sc.score,
                "on_date": sc.on.isoformat(),
                "note": sc.note,
            }
            for i, g in goals
            for sc in g.scores
        ),
    )
    reflections = list(enumerate(demo.reflections, start=1))
    counts["reflections"] = bulk.insert(
        j,
        "reflections",
        (
            {
                "id": i,
                "uid": new_uid(),
                "client_id": r.client + 1 if r.client is not None else None,
                "goal_id": r.goal + 1 if r.goal is not None else None,
                "session_id": r.session + 1 if r.session is not None else None,
                "on_date": r.on.isoformat(),
                "at_time": r.at,
                "title": r.title,
                "text": r.text,
                "card": r.card,
                "deck": SHIPPED_DECK if r.card else None,
                "perspective": r.perspective.value if r.perspective else None,
                "question": r.question,
                "starred": int(r.starred),
                "created_at": _stamp(r.on, r.at),
                "private": 0,  # the demo coach keeps none back
            }
            for i, r in reflections
        ),
    )
    _labels(
        j,
        "reflection_themes",
        ((i, t.value) for i, r in reflections for t in r.themes),
    )
    _labels(
        j,
        "reflection_tags",
        ((i, t) for i, r in reflections for t in r.tags),
    )
    counts["supervision"] = bulk.insert(
        j,
        "supervision",
        (
            {
                "id": None,
                "uid": new_uid(),
                "on_date": s.on.isoformat(),
                "minutes": s.minutes,
                "supervisor": s.supervisor,
                "format": s.format.value,
                "notes": s.notes,
            }
            for s in demo.supervision
        ),
    )
    return counts


def _labels(j: Journal, table: str, pairs: Iterator[tuple[int, str]]) -> None:
    """(entry id, label) pairs into a link table: session_themes (session_id, theme), ..."""
    owner, value = bulk.COLUMNS[table]
    bulk.insert(j, table, ({owner: entry, value: label} for entry, label in pairs))


# ---------------------------------------------------------------- a journal of its own

DEMO_FILE = "coachlog.db"


def create(keep: str | None = None, *, user_db: str | None = None, seed: int = 1) -> Journal:
    """Make a new sample journal and return it open; never the user's own journal.

    Without `keep` it goes in a new temporary folder (owner-only, made by mkdtemp);
    with `keep` in that folder, which may exist but must not hold a journal already.
    `user_db` is the --db value in force: its journal (or the default one) is refused
    as a target, so a sample can never become, or mix into, someone's real records.
    """
    if keep is None:
        folder = Path(tempfile.mkdtemp(prefix="coachlog-demo-"))
    else:
        folder = Path(keep).expanduser()
        if folder.exists() and not folder.is_dir():
            raise InvalidInput(
                f"--keep {keep} is a file; give a folder for the sample journal.",
                hint="For example: coachlog demo --keep ~/coachlog-demo",
            )
    path = folder / DEMO_FILE
    if _same_file(path, resolve_path(user_db)):
        raise Refused(
            f"{path} is where your own journal lives; the sample never goes there.",
            hint="Choose another folder for --keep, or leave it out to use a temporary one.",
        )
    if path.exists():
        raise Conflict(
            f"{folder} already has a journal ({DEMO_FILE}); the sample needs a new one.",
            hint="Choose an empty or new folder for --keep.",
        )
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    j = open_journal(path)
    try:
        write(j, generate(seed))
    except BaseException:
        j.close()
        raise
    return j


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except OSError:
        return False


# ---------------------------------------------------------------- describing what is there


@dataclass
class DemoSummary:
    """What `coachlog demo` shows about a seeded journal."""

    owner: str
    counts: dict[str, int]
    first_session: str | None
    last_session: str | None
    clients: list[dict[str, object]]
    recent_sessions: list[dict[str, object]]
    goals: list[dict[str, object]]


def summary(j: Journal, recent: int = 5) -> DemoSummary:
    first, last = bulk.span(j)
    return DemoSummary(
        owner=OWNER,
        counts=bulk.counts(j),
        first_session=first,
        last_session=last,
        clients=bulk.client_totals(j),
        recent_sessions=bulk.recent_sessions(j, recent),
        goals=bulk.goal_scores(j),
    )
