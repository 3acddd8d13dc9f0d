"""Use-cases for goals: set one, rate progress on the 0-10 scale, list, show, close.

The 0-10 scale follows OSKAR's scaling question: the score given when a goal is
set is its baseline, each later check-in adds a score, and the latest one against
the baseline is the progress `progress` and `prep` report. A goal with no client
belongs to the journal's owner. Closed goals (done or dropped) keep their scores
but take no new ones, so a finished goal's record stays as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coachlog import dates
from coachlog.errors import Conflict, InvalidInput, NotFound
from coachlog.models import Goal, GoalScore, GoalStatus
from coachlog.store import goals as store
from coachlog.store.db import Journal

# Validation (pydantic) is imported by the functions that write, so that reading
# the journal starts without it.

STATUS_FILTERS = ("open", "done", "dropped", "all")


def parse_score(value: int | str | None, what: str = "SCORE") -> int | None:
    """A whole number from 0 to 10 as typed ("7"), or InvalidInput naming `what`."""
    if value is None:
        return None
    if isinstance(value, bool):  # bool is an int; never a score
        raise InvalidInput(f"{what} must be a whole number from 0 to 10.")
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit():
            raise InvalidInput(
                f"{what} must be a whole number from 0 to 10, not '{value}'.",
                hint="Scores are whole numbers: 0 is nowhere near, 10 is fully there.",
            )
        number = int(text)
    if not 0 <= number <= 10:
        raise InvalidInput(f"{what} must be a whole number from 0 to 10, not {number}.")
    return number


def _date(value: str | dt.date | None, what: str) -> dt.date | None:
    return None if value is None else dates.parse_date(value, what)


def get(j: Journal, goal_id: int) -> Goal:
    """One goal with every score, oldest first; NotFound if there is no such goal."""
    goal = store.by_id(j, goal_id)
    if goal is None:
        raise NotFound(
            f"No goal {goal_id}.",
            hint="'coachlog goal list --status all' shows every goal with its id.",
        )
    return goal


def add(
    j: Journal,
    title: str,
    *,
    client: str | int | None = None,
    themes: Iterable[str] = (),
    tags: Iterable[str] = (),
    due: str | dt.date | None = None,
    score: int | str | None = None,
    on: str | dt.date | None = None,
) -> Goal:
    """Set a goal (for `client`, or for the owner when None), with an optional baseline score.

    `on` is the day the goal was set (default today) and the date of the baseline.
    """
    from coachlog.core.clients import resolve
    from coachlog.models.validation import GoalIn, validate

    baseline = parse_score(score, "--score")
    set_on = dates.happened(_date(on, "--on") or dates.today(), "--on")
    data = validate(
        GoalIn,
        title=title,
        themes=list(themes),
        tags=list(tags),
        due=_date(due, "--due"),
        score=baseline,
        on=set_on,
    )
    with j.write():
        if client is not None:
            data.client_id = resolve(j, client).id
        goal_id = store.insert(j, data, set_on.isoformat())
        if baseline is not None:
            store.insert_score(j, goal_id, baseline, set_on.isoformat(), None)
        return get(j, goal_id)


def rate(
    j: Journal,
    goal_id: int,
    score: int | str,
    *,
    note: str | None = None,
    on: str | dt.date | None = None,
) -> Goal:
    """Record a 0-10 check-in on an open goal; returns the goal with every score."""
    from coachlog.models.validation import ScoreIn, validate

    value = parse_score(score)
    day = dates.happened(_date(on, "--on") or dates.today(), "--on")
    data = validate(ScoreIn, goal_id=goal_id, score=value, on=day, note=note)
    with j.write():
        goal = get(j, goal_id)
        _score_not_before_goal(goal, day)
        if goal.status != GoalStatus.open:
            raise Conflict(
                f"Goal {goal_id} is {goal.status.value}, so it takes no new scores.",
                hint="Set a new goal with 'coachlog goal add' to keep working on it.",
            )
        store.insert_score(j, goal_id, data.score, data.on.isoformat(), data.note or None)
        return get(j, goal_id)


def list_goals(
    j: Journal,
    *,
    client: str | int | None = None,
    status: str = "open",
    limit: int | None = None,
) -> list[Goal]:
    """Goals in id order: of one client (or everyone's), with `status` open/done/dropped/all;
    the first `limit` of them when given."""
    from coachlog.core.clients import resolve

    status = str(status).lower()
    if status not in STATUS_FILTERS:
        raise InvalidInput(
            f"--status '{status}' is not one of {', '.join(STATUS_FILTERS)}.",
        )
    client_id = resolve(j, client).id if client is not None else None
    return store.list_goals(
        j, client_id=client_id, status=None if status == "all" else status, limit=limit
    )


def set_status(j: Journal, goal_id: int, status: str | GoalStatus) -> Goal:
    """Close a goal as done or dropped (closed today), or reopen it with `open`."""
    try:
        new = GoalStatus(str(status))
    except ValueError:
        raise InvalidInput(f"'{status}' is not a goal status (open, done, dropped).") from None
    with j.write():
        goal = get(j, goal_id)
        if goal.status == new:
            raise Conflict(
                f"Goal {goal_id} is already {new.value}.",
                hint="Nothing to change; 'coachlog goal list' shows the goals still open.",
            )
        if goal.status != GoalStatus.open and new != GoalStatus.open:
            raise Conflict(
                f"Goal {goal_id} is already closed ({goal.status.value}).",
                hint="A closed goal stays as it was; set a new one with 'coachlog goal add'.",
            )
        closed_on = None if new == GoalStatus.open else dates.today().isoformat()
        store.set_status(j, goal_id, new.value, closed_on)
        return get(j, goal_id)


def _score_not_before_goal(goal: Goal, day: dt.date) -> None:
    dates.not_before(
        day,
        goal.created_on,
        "--on",
        f"the day goal {goal.id} was set",
        hint=f"If the goal was really set earlier, say so first: "
        f"coachlog goal edit {goal.id} --on DATE",
    )


def edit(
    j: Journal,
    goal_id: int,
    *,
    title: str | None = None,
    themes: Iterable[str] | None = None,
    due: str | dt.date | None = None,
    on: str | dt.date | None = None,
) -> Goal:
    """Change what is given (None leaves it); `due=""` clears the due date.

    `on` is the day the goal was set: it may not be after today, nor after the
    goal's first score (a score is never dated before its goal).
    """
    from coachlog.models.validation import GoalIn, validate

    if title is None and themes is None and due is None and on is None:
        raise InvalidInput(
            "Nothing to change.", hint="Give at least one of --title, --theme, --due or --on."
        )
    with j.write():
        goal = get(j, goal_id)
        data = validate(
            GoalIn,
            title=goal.title if title is None else title,
            themes=[t.value for t in goal.themes] if themes is None else list(themes),
            tags=list(goal.tags),
            due=goal.due if due is None else (_date(due, "--due") if due else None),
        )
        set_on = goal.created_on
        if on is not None:
            set_on = dates.happened(dates.parse_date(on, "--on"), "--on")
            first = min((s.on for s in goal.scores), default=None)
            if first is not None and set_on > first:
                raise InvalidInput(
                    f"--on {set_on.isoformat()} is after goal {goal_id}'s first score "
                    f"({first.isoformat()}); a goal is set before it is scored.",
                    hint=f"Correct that score first: coachlog goal score edit SCORE_ID --on DATE "
                    f"(ids in 'coachlog goal show {goal_id}').",
                )
        store.update(j, goal_id, data, set_on.isoformat())
        return get(j, goal_id)


def reopen(j: Journal, goal_id: int) -> Goal:
    """Open a done or dropped goal again; its scores are kept."""
    return set_status(j, goal_id, GoalStatus.open)


def score_get(j: Journal, score_id: int) -> GoalScore:
    found = store.score_by_id(j, score_id)
    if found is None:
        raise NotFound(
            f"No goal score {score_id}.",
            hint="'coachlog goal show GOAL' lists a goal's scores with their ids.",
        )
    return found


def score_edit(
    j: Journal,
    score_id: int,
    *,
    score: int | str | None = None,
    on: str | dt.date | None = None,
    note: str | None = None,
) -> Goal:
    """Correct one score (value, date or note; `note=""` clears it); returns its goal."""
    from coachlog.models.validation import ScoreIn, validate

    if score is None and on is None and note is None:
        raise InvalidInput("Nothing to change.", hint="Give --score, --on or --note.")
    value = parse_score(score, "--score")
    day = dates.happened(dates.parse_date(on, "--on"), "--on") if on is not None else None
    with j.write():
        current = score_get(j, score_id)
        goal = get(j, current.goal_id)
        if day is not None:
            _score_not_before_goal(goal, day)
        data = validate(
            ScoreIn,
            goal_id=goal.id,
            score=current.score if value is None else value,
            on=current.on if day is None else day,
            note=current.note if note is None else (note or None),
        )
        store.update_score(j, score_id, data.score, data.on.isoformat(), data.note or None)
        return get(j, goal.id)


def score_delete(j: Journal, score_id: int) -> GoalScore:
    """Delete one score; returns what was deleted."""
    with j.write():
        current = score_get(j, score_id)
        store.delete_score(j, score_id)
        return current
