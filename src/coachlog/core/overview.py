"""What the bare `coachlog` shows: the state of the journal at a glance.

Open actions (overdue first), goals due in the next fortnight, the last session,
whether supervision is due, and a behaviour card to reflect on. It reads a few
counts and short lists, never writes, and has an answer for an empty journal
(`empty=True`: the CLI welcomes the user instead).

Supervision is only reported once the coach has logged some: EMCC asks for at
least one hour of supervision per 35 hours of coaching, so supervision is "due"
when the hours logged fall short of a 35th of the coaching hours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from coachlog import dates
from coachlog.core import supervision
from coachlog.errors import CoachlogError
from coachlog.models import as_dict
from coachlog.store import progress as store
from coachlog.store.db import Journal

SOON_DAYS = 14  # "goals due soon": within the next fortnight, or already past due
LIST_LIMIT = 5  # items of each kind shown, so the overview fits one screen


class OverviewActions(TypedDict):
    open: int
    overdue: int
    items: list[dict[str, Any]]  # id, text, due, client, overdue


class Supervision(TypedDict):
    coaching_hours: float
    supervision_hours: float
    ratio: float | None  # hours of coaching per hour of supervision
    last: str | None
    coaching_hours_since: float
    due: bool
    hours_due: float  # supervision needed to get back to 1:35


class OverviewCard(TypedDict):
    key: str
    title: str
    perspective: str
    question: str


class Overview(TypedDict):
    empty: bool
    today: str
    counts: dict[str, int]
    actions: OverviewActions
    goals_due: list[dict[str, Any]]  # id, title, due, client, latest
    last_session: dict[str, Any] | None  # id, on, minutes, client, themes
    supervision: Supervision | None
    card: OverviewCard | None
    # Ended engagements whose six-month check-in is due within the fortnight or
    # overdue: id, client (None: the owner's own), ended_on, due.
    follow_ups_due: list[dict[str, Any]]


def _supervision(j: Journal) -> Supervision:
    row = store.supervision_balance(j)
    coaching, supervised = row["coaching_minutes"], row["supervision_minutes"]
    # The same ratio, verdict and hours due as `supervision list` states.
    ratio = supervision.ratio_of(supervised, coaching)
    return Supervision(
        coaching_hours=round(coaching / 60, 1),
        supervision_hours=round(supervised / 60, 1),
        ratio=ratio["coaching_hours_per_supervision_hour"],
        last=row["last_supervision"],
        coaching_hours_since=round(row["coaching_minutes_since"] / 60, 1),
        due=not ratio["meets_emcc"],
        hours_due=ratio["supervision_hours_needed"],
    )


def _card(j: Journal) -> OverviewCard | None:
    """A card to reflect on, drawn the way `cards draw` does (least used lately)."""
    try:
        from coachlog.core import cards

        drawn = cards.draw(j)
    except CoachlogError:
        return None
    return OverviewCard(
        key=drawn.card.key,
        title=drawn.card.title,
        perspective=str(drawn.perspective.value),
        question=drawn.question,
    )


def overview(j: Journal, today: dt.date | None = None) -> Overview:
    day = today or dates.today()
    iso = day.isoformat()
    counts = store.journal_counts(j)
    everyone = store.Scope("all")
    actions = store.open_action_counts(j, everyone, iso)
    items = [
        {
            "id": a["id"],
            "text": a["text"],
            "due": a["due"],
            "client": a["client"],
            "overdue": bool(a["overdue"]),
        }
        for a in store.open_actions(j, everyone, iso, limit=LIST_LIMIT)
    ]
    soon = (day + dt.timedelta(days=SOON_DAYS)).isoformat()
    from coachlog.store import engagements as engagement_store

    last = store.latest_session(j)
    if last is not None:
        ref = engagement_store.refs_for_sessions(j, [last["id"]]).get(last["id"])
        last["engagement"] = as_dict(ref) if ref else None
    return Overview(
        empty=not any(counts.values()),
        today=iso,
        counts=counts,
        actions=OverviewActions(open=actions["open"], overdue=actions["overdue"], items=items),
        goals_due=store.goals_due_by(j, soon, LIST_LIMIT),
        last_session=last,
        supervision=_supervision(j) if counts["supervision"] else None,
        card=_card(j),
        follow_ups_due=engagement_store.follow_ups_due(j, soon)[:LIST_LIMIT],
    )
