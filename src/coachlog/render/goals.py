"""Goals for people to read: the `goal list` table and the `goal show` page.

Scores are shown as "first → latest" (with the change on `goal show`), the way a coach reads them
out in a session ("you started at 3, you're at 6 now"). Titles and notes are the
user's own words and always go in as `rich.text.Text`.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from coachlog.models import Goal
from coachlog.render.tables import fit_columns, key_values, one_line, table

# Widest text per column so that `goal list` fits 80 columns with ids up to 9999
# (a Rich table row is the text widths + 3 per column gap + 2 at the edges).
GOAL_WIDTHS = {"goal": 23, "whose": 12}
# Without the status column (every goal listed has the same one) the title gets its room.
GOAL_WIDTH_ONE_STATUS = 33


def score_summary(goal: Goal) -> str:
    """'3 → 6' (first and latest), just '5' when they are the same, '' with no scores."""
    if goal.baseline is None or goal.latest is None:
        return ""
    if goal.baseline == goal.latest:
        return str(goal.latest)
    return f"{goal.baseline} → {goal.latest}"


def _with_change(goal: Goal) -> str:
    summary = score_summary(goal)
    if goal.baseline is None or goal.latest is None or goal.baseline == goal.latest:
        return summary
    return f"{summary} ({goal.latest - goal.baseline:+d})"


def _whose(goal: Goal) -> Text:
    if not goal.client:
        return Text("me", style="dim")
    return one_line(goal.client, GOAL_WIDTHS["whose"])


def goals_table(goals: list[Goal], width: int = 80) -> RenderableType:
    """One line per goal; the status column only when the list mixes statuses.

    The widths above fit 80 columns; a wider terminal gives its extra room to the title.
    """
    mixed = len({g.status for g in goals}) > 1
    widths = dict(GOAL_WIDTHS) if mixed else {**GOAL_WIDTHS, "goal": GOAL_WIDTH_ONE_STATUS}
    widths["goal"] += max(0, width - 80)
    t = table("id", "goal", "whose", "due", "score", *(["status"] if mixed else []))
    fit_columns(t, **widths)
    for g in goals:
        t.add_row(
            str(g.id),
            one_line(g.title, widths["goal"]),
            _whose(g),
            g.due.isoformat() if g.due else "",
            score_summary(g),
            *([g.status.value] if mixed else []),
        )
    return t


def _bar(score: int) -> str:
    return "█" * score + "·" * (10 - score)


def goal_detail(goal: Goal) -> RenderableType:
    """The whole goal: its details, then one line per score with a 0-10 bar."""
    head = key_values(
        [
            ("Goal", f"{goal.title} (id {goal.id})"),
            ("Whose", goal.client or "me"),
            ("Themes", [t.value for t in goal.themes]),
            ("Tags", goal.tags),
            ("Due", goal.due.isoformat() if goal.due else None),
            ("Status", goal.status.value),
            ("Set on", goal.created_on.isoformat()),
            ("Closed on", goal.closed_on.isoformat() if goal.closed_on else None),
            ("Scores", _with_change(goal) or "none yet"),
        ]
    )
    if not goal.scores:
        return head
    # The score id is what `goal score edit` and `goal score delete` take.
    scores = table("id", "date", "score", "", "note")
    for s in goal.scores:
        scores.add_row(
            str(s.id), s.on.isoformat(), str(s.score), _bar(s.score), Text(s.note or "")
        )
    return Group(head, Text(""), scores)
