"""Progress against the six IES impact themes, and the brief before a client's next session.

`progress` answers "how are they moving?": for each impact theme, the sessions,
reflections and goals tagged with it, the goals' mean baseline and latest score
on the 0-10 scale with the change between them and a month-by-month trend; which
of the 13 behaviour cards have been explored; and whether agreed actions get done.
`prep` answers "what do I need to know before we meet?" for one client.

The figures come from grouped queries in store/progress.py; this module only
resolves who and when, fills in the themes and cards that have no data (counts 0,
scores null), and shapes the result as the JSON contract in docs/contract.md.

Scopes: `client=` counts that client's records; `me=True` the journal owner's own
(records with no client: goals, reflections, actions; sessions always have a
client, so there are none); neither, the whole journal. `since`/`until` bound the
period by date, both ends included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from coachlog import content, dates
from coachlog.errors import InvalidInput
from coachlog.models import as_dict
from coachlog.store import progress as store
from coachlog.store.db import Journal
from coachlog.vocab import Perspective

# How much of a note or reflection `prep` quotes: enough to jog the memory.
EXCERPT_CHARS = 160


class TrendPoint(TypedDict):
    month: str  # YYYY-MM
    score: float


class ThemeProgress(TypedDict):
    key: str
    title: str
    sessions: int
    reflections: int
    goals_open: int
    goals_done: int
    scored_goals: int
    baseline: float | None
    latest: float | None
    change: float | None
    trend: list[TrendPoint]


class CardCoverage(TypedDict):
    key: str
    title: str
    theme: str
    uses: int
    last_used: str | None


class CardGroupInfo(TypedDict):
    key: str
    title: str


class ActionFollowThrough(TypedDict):
    agreed: int
    done: int
    done_on_time: int
    overdue: int


class ProgressReport(TypedDict):
    client: str | None
    outcomes: list[Any]  # core.outcomes.OutcomeRow per theme ([] for the whole journal)
    outcomes_engagement: int | None
    scope: str  # all | client | me
    since: str | None
    until: str | None
    themes: list[ThemeProgress]
    cards: list[CardCoverage]
    card_themes: list[CardGroupInfo]
    actions: ActionFollowThrough


def _period(since: str | dt.date | None, until: str | dt.date | None) -> tuple[str | None, ...]:
    lo = dates.parse_date(since, "--since").isoformat() if since is not None else None
    hi = dates.parse_date(until, "--until").isoformat() if until is not None else None
    if lo and hi and lo > hi:
        raise InvalidInput(
            f"--since {lo} is after --until {hi}.",
            hint="Give the earlier date to --since and the later one to --until.",
        )
    return lo, hi


def _scope(j: Journal, client: str | None, me: bool) -> tuple[store.Scope, str | None]:
    if client is not None and me:
        raise InvalidInput(
            "Use --client or --me, not both.",
            hint="--client shows one client's progress, --me your own; leave both out for all.",
        )
    if client is not None:
        from coachlog.core.clients import resolve

        found = resolve(j, client)
        return store.Scope("client", found.id), found.name
    return store.Scope("me" if me else "all"), None


def progress(
    j: Journal,
    client: str | None = None,
    me: bool = False,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
) -> ProgressReport:
    """The progress summary for a client, the owner (`me`) or the whole journal."""
    lo, hi = _period(since, until)
    scope, name = _scope(j, client, me)

    counts = store.theme_counts(j, scope, lo, hi)
    scores = store.theme_scores(j, scope, lo, hi)
    trends = store.theme_trends(j, scope, lo, hi)
    themes: list[ThemeProgress] = []
    for theme in content.themes():
        key = theme.key.value
        count = counts.get(key, {})
        score = scores.get(key, {})
        themes.append(
            ThemeProgress(
                key=key,
                title=theme.title,
                sessions=count.get("sessions", 0),
                reflections=count.get("reflections", 0),
                goals_open=count.get("goals_open", 0),
                goals_done=count.get("goals_done", 0),
                scored_goals=score.get("scored_goals", 0),
                baseline=score.get("baseline"),
                latest=score.get("latest"),
                change=score.get("change"),
                trend=[
                    TrendPoint(month=p["month"], score=p["score"]) for p in trends.get(key, [])
                ],
            )
        )

    deck = content.shipped_deck()
    usage = store.card_usage(j, scope, lo, hi, deck.name)
    cards = [
        CardCoverage(
            key=card.key,
            title=card.title,
            theme=card.theme,
            uses=usage.get(card.key, {}).get("uses", 0),
            last_used=usage.get(card.key, {}).get("last_used"),
        )
        for card in deck.cards
    ]
    actions = store.action_follow_through(j, scope, lo, hi, dates.today().isoformat())
    outcome_rows: list[Any] = []
    engagement_id = None
    if scope.kind != "all":
        from coachlog.core.outcomes import outcomes_table

        engagement_id, outcome_rows = outcomes_table(j, scope.client_id)
    return ProgressReport(
        client=name,
        outcomes=outcome_rows,
        outcomes_engagement=engagement_id,
        scope=scope.kind,
        since=lo,
        until=hi,
        themes=themes,
        cards=cards,
        card_themes=[CardGroupInfo(key=g.key, title=g.title) for g in deck.themes],
        actions=ActionFollowThrough(
            agreed=actions["agreed"],
            done=actions["done"],
            done_on_time=actions["done_on_time"],
            overdue=actions["overdue"],
        ),
    )


# ---------------------------------------------------------------- prep


class PrepSession(TypedDict):
    id: int
    on: str
    at: str | None
    minutes: int
    number: int
    themes: list[str]
    cards: list[str]
    notes: str | None  # an excerpt: the first EXCERPT_CHARS characters
    engagement: dict[str, Any] | None  # {"id", "number", "of"}: "session 3 of 6"


class PrepAction(TypedDict):
    id: int
    text: str
    due: str | None
    overdue: bool
    created_on: str


class PrepScore(TypedDict):
    on: str
    score: int
    note: str | None


class PrepGoal(TypedDict):
    id: int
    title: str
    status: str
    due: str | None
    themes: list[str]
    baseline: int | None
    before: int | None  # the score standing before the last session
    latest: int | None
    scores_since: list[PrepScore]


class PrepReflection(TypedDict):
    id: int
    on: str
    title: str | None
    card: str | None
    perspective: str | None
    text: str  # an excerpt


class SuggestedCard(TypedDict):
    key: str
    title: str
    theme: str
    uses: int
    question: str


class PrepBrief(TypedDict):
    client: str
    client_id: int
    today: str
    sessions: int
    last_session: PrepSession | None
    since: str | None
    actions: list[PrepAction]
    overdue: int
    goals: list[PrepGoal]
    reflections: list[PrepReflection]
    # Reflections the client shared in a pack (coachlog share), dated since the last session.
    shared_reflections: list[PrepReflection]
    suggested_card: SuggestedCard | None
    # From the client's latest behaviour profile (`profile`): when it was rated, and
    # the behaviours to develop with their score and change since the one before.
    profile_on: str | None
    develop: list[PrepDevelop]


class PrepDevelop(TypedDict):
    key: str
    title: str
    score: int
    change: int | None


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str | None:
    """The start of `text` on one line, cut at a word near `limit` with an ellipsis."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def suggest_card(j: Journal, client_id: int | None) -> SuggestedCard | None:
    """The shipped card this client (or the owner) has used least, ties going to the
    card least used in the whole journal, then to the deck's order. Read-only."""
    deck = content.shipped_deck()
    uses = store.card_uses_for_suggestion(j, client_id, deck.name)
    order = {card.key: n for n, card in enumerate(deck.cards)}
    best = min(deck.cards, key=lambda c: (*uses.get(c.key, [0, 0]), order[c.key]))
    return SuggestedCard(
        key=best.key,
        title=best.title,
        theme=best.theme,
        uses=uses.get(best.key, [0, 0])[0],
        question=best.questions[Perspective.self_],
    )


def prep(j: Journal, client: str) -> PrepBrief:
    """A one-screen brief before the next session with `client`: the last session,
    open actions, goal scores and reflections since then, and a card to try."""
    from coachlog.core.clients import resolve

    found = resolve(j, client)
    today = dates.today().isoformat()
    last = store.last_session(j, found.id)
    session: PrepSession | None = None
    # "Since the last session" includes its day: a reflection written that evening
    # is news to the coach at the next session.
    since = last["on"] if last else None
    if last is not None:
        labels = store.session_labels(j, last["id"])
        from coachlog.store.engagements import refs_for_sessions

        ref = refs_for_sessions(j, [last["id"]]).get(last["id"])
        session = PrepSession(
            id=last["id"],
            on=last["on"],
            at=last["at"],
            minutes=last["minutes"],
            number=last["number"],
            themes=labels["themes"],
            cards=labels["cards"],
            notes=excerpt(last["notes"]),
            engagement=as_dict(ref) if ref else None,
        )

    scope = store.Scope("client", found.id)
    actions = [
        PrepAction(
            id=a["id"],
            text=a["text"],
            due=a["due"],
            overdue=bool(a["overdue"]),
            created_on=a["created_on"],
        )
        for a in store.open_actions(j, scope, today)
    ]

    goal_rows = store.prep_goals(j, found.id, since or store.EARLIEST)
    ids = [g["id"] for g in goal_rows]
    themes = store.goal_themes(j, ids)
    scores = store.scores_since(j, ids, since or store.EARLIEST)
    goals = [
        PrepGoal(
            id=g["id"],
            title=g["title"],
            status=g["status"],
            due=g["due"],
            themes=themes.get(g["id"], []),
            baseline=g["baseline"],
            before=g["before"],
            latest=g["latest"],
            scores_since=[
                PrepScore(on=s["on"], score=s["score"], note=s["note"])
                for s in scores.get(g["id"], [])
            ],
        )
        for g in goal_rows
    ]
    found_reflections = store.reflections_since(j, found.id, since or store.EARLIEST)
    reflections, shared = (
        [
            PrepReflection(
                id=r["id"],
                on=r["on"],
                title=r["title"],
                card=r["card"],
                perspective=r["perspective"],
                text=excerpt(r["text"], 100) or "",
            )
            for r in found_reflections
            if bool(r["shared"]) is wanted
        ]
        for wanted in (False, True)
    )
    profile_on, develop = _prep_profile(j, found.id)
    return PrepBrief(
        client=found.name,
        client_id=found.id,
        today=today,
        sessions=last["number"] if last else 0,
        last_session=session,
        since=since,
        actions=actions,
        overdue=sum(a["overdue"] for a in actions),
        goals=goals,
        reflections=reflections,
        shared_reflections=shared,
        suggested_card=suggest_card(j, found.id),
        profile_on=profile_on,
        develop=develop,
    )


def _prep_profile(j: Journal, client_id: int) -> tuple[str | None, list[PrepDevelop]]:
    """When the client last rated themselves, and their areas to develop."""
    from coachlog.core.profile import profile_for

    found = profile_for(j, client_id, None, None)
    by_key = {c.key: c for c in found.cards}
    develop = [
        PrepDevelop(key=k, title=by_key[k].title, score=by_key[k].score, change=by_key[k].change)
        for k in found.develop
    ]
    return (found.on.isoformat() if found.on else None), develop


def overview(j: Journal) -> Any:
    """The bare `coachlog` overview (see core/overview.py)."""
    from coachlog.core.overview import overview as build

    return build(j)
