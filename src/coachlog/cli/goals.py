"""`coachlog goal ...`: goals scored on a 0-10 scale, for the owner or for a client.

Each command collects its values and hands them to `coachlog.core.goals`, which
validates and stores them; prompts (cli/prompts.py) can wrap these same calls.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_goal
from coachlog.cli.options import THEMES, ClientOpt, JsonFlag, TagOpt
from coachlog.vocab import ThemeKey

app = typer.Typer(
    rich_markup_mode=None,
    help="Set goals, rate progress on a 0-10 scale, and mark them done or dropped.",
    no_args_is_help=True,
)


class StatusFilter(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"
    all = "all"


GoalArg = Annotated[
    int,
    typer.Argument(
        metavar="ID", help="The goal's id (see 'goal list').", autocompletion=complete_goal
    ),
]
ThemeOpt = Annotated[
    list[ThemeKey] | None,
    typer.Option(
        "--theme",
        "-t",
        metavar="THEME",
        help=f"An IES impact theme the goal is about: {THEMES} (repeatable).",
        case_sensitive=False,
    ),
]
OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        help="The date (2026-11-03, 3/11/2026, last friday); default today.",
    ),
]
# Scores are read as text so "7.5" and "-1" get coachlog's own message, not a parser error.
_RATE_SETTINGS = {"ignore_unknown_options": True}


@app.command("add")
def add(
    title: Annotated[
        str | None,
        typer.Argument(
            metavar="TITLE", help="What the goal is, in a line (asked for in a terminal)."
        ),
    ] = None,
    client: ClientOpt = None,
    theme: ThemeOpt = None,
    tag: TagOpt = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="When it should be reached by.")
    ] = None,
    score: Annotated[
        str | None,
        typer.Option("--score", metavar="0-10", help="Where things stand now: the baseline."),
    ] = None,
    on: OnOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Set a goal. Without --client it is your own; --score records where you start from.

    In a terminal, `coachlog goal add` with no TITLE asks for the title, whose goal
    it is, its themes, a due date and where things stand now.

    Example: coachlog goal add "Delegate the rota" -c "Ann Smith" --theme team --score 3
    """
    from coachlog.core import goals

    values: dict[str, Any] = {
        "title": title,
        "client": client,
        "themes": [t.value for t in theme or []],
        "due": due,
        "score": score,
    }
    if title is None and common.interactive():
        values = _ask_goal(values, on)
    common.require(TITLE=values["title"])
    goal = goals.add(
        common.journal(),
        values.pop("title"),
        tags=tag or [],
        on=on,
        **values,
    )
    if json_:
        common.print_json(goal)
        return
    whose = f" for {goal.client}" if goal.client else ""
    start = f", starting at {goal.baseline}/10" if goal.baseline is not None else ""
    common.say(f"Added goal {goal.id}{whose}: {goal.title}{start}.")


def _ask_goal(values: dict[str, Any], on: str | None) -> dict[str, Any]:
    """`goal add` in a terminal: check the flags given, then ask for the rest."""
    from coachlog import dates
    from coachlog.cli import flows
    from coachlog.core import clients, goals

    j = common.journal()
    goals.parse_score(values["score"], "--score")
    for flag, value in (("--due", values["due"]), ("--on", on)):
        if value is not None:
            dates.parse_date(value, flag)
    if values["client"] is not None:
        clients.resolve(j, values["client"])
    return flows.goal_add_flow(j, **values)


@app.command("rate", context_settings=_RATE_SETTINGS)
def rate(
    goal_id: Annotated[
        int | None,
        typer.Argument(
            metavar="ID",
            help="The goal's id (see 'goal list'; asked for in a terminal).",
            autocompletion=complete_goal,
        ),
    ] = None,
    score: Annotated[
        str | None,
        typer.Argument(
            metavar="SCORE",
            help="How far along it is now, from 0 to 10 (asked for in a terminal).",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What is behind the score.")] = None,
    on: OnOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Record a progress check-in on a goal: a whole number from 0 (not started) to 10 (there).

    In a terminal, leave out ID or SCORE to choose the goal from a list and the
    score from the 0-10 scale, which shows last time's score.

    Example: coachlog goal rate 4 6 --note "Spoke up at the board"
    """
    from coachlog.core import goals

    if (goal_id is None or score is None) and common.interactive():
        from coachlog import dates
        from coachlog.cli import flows

        if score is not None:
            goals.parse_score(score)
        if on is not None:
            dates.parse_date(on, "--on")
        if goal_id is not None:
            goals.get(common.journal(), goal_id)
        goal_id, answered, note = flows.goal_rate_flow(
            common.journal(), goal_id=goal_id, score=score, note_text=note
        )
        score = str(answered)
    common.require(ID=goal_id, SCORE=score)
    assert goal_id is not None and score is not None
    goal = goals.rate(common.journal(), goal_id, score, note=note, on=on)
    if json_:
        common.print_json(goal)
        return
    if goal.baseline is not None and len(goal.scores) > 1:
        change = goal.latest - goal.baseline if goal.latest is not None else 0
        common.say(
            f"Goal {goal.id}: now {goal.latest}/10 (started at {goal.baseline}, {change:+d})."
        )
    else:
        common.say(f"Goal {goal.id}: now {goal.latest}/10.")


@app.command("list")
def list_(
    client: ClientOpt = None,
    status: Annotated[
        StatusFilter,
        typer.Option("--status", "-s", help="Which goals to show.", case_sensitive=False),
    ] = StatusFilter.open,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N goals; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List goals with their first and latest scores (open ones unless --status;
    the first 20 unless --limit).

    Example: coachlog goal list -c "Zoë Smith" --status all
    """
    from coachlog.core import goals

    # One more than asked for tells whether to mention that there are more.
    found = goals.list_goals(
        common.journal(),
        client=client,
        status=status.value,
        limit=common.rows_to_read(limit),
    )
    found, more = common.paged(found, limit)
    if json_:
        common.print_json(found)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the first {limit}")
        return
    if not found:
        which = "" if status == StatusFilter.all else f"{status.value} "
        common.say(f'No {which}goals. Set one with: coachlog goal add "What you want to reach"')
        return
    from coachlog.render.goals import goals_table

    console = common.out()
    console.print(goals_table(found, console.width))
    if more:
        common.more_exist(f"the first {limit}")


@app.command("show")
def show(goal_id: GoalArg, json_: JsonFlag = False) -> None:
    """Show a goal and every score it has had.

    Example: coachlog goal show 4
    """
    from coachlog.core import goals

    goal = goals.get(common.journal(), goal_id)
    if json_:
        common.print_json(goal)
        return
    from coachlog.render.goals import goal_detail

    common.out().print(goal_detail(goal))


def _close(goal_id: int, status: str, json_: bool) -> None:
    from coachlog.core import goals

    goal = goals.set_status(common.journal(), goal_id, status)
    if json_:
        common.print_json(goal)
    else:
        common.say(f"Goal {goal.id} is {goal.status.value}: {goal.title}")


@app.command("done")
def done(goal_id: GoalArg, json_: JsonFlag = False) -> None:
    """Mark a goal as reached. Its scores are kept.

    Example: coachlog goal done 4
    """
    _close(goal_id, "done", json_)


@app.command("drop")
def drop(goal_id: GoalArg, json_: JsonFlag = False) -> None:
    """Drop a goal you are no longer working on. Its scores are kept.

    Example: coachlog goal drop 4
    """
    _close(goal_id, "dropped", json_)


@app.command("edit")
def edit(
    goal_id: GoalArg,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The goal's new title.")
    ] = None,
    theme: Annotated[
        list[ThemeKey] | None,
        typer.Option(
            "--theme",
            "-t",
            metavar="THEME",
            help=f"An IES impact theme: {THEMES} (repeatable); replaces the goal's themes.",
            case_sensitive=False,
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="New due date; '' clears it.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="The day the goal was really set."),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Correct a goal: its title, themes, due date or the day it was set.

    Only what you give changes; its scores stay as they are. --on may not be
    after today nor after the goal's first score.

    Example: coachlog goal edit 2 --title "Chair the board well" --on 2026-01-05
    """
    from coachlog.core import goals

    goal = goals.edit(
        common.journal(),
        goal_id,
        title=title,
        themes=[t.value for t in theme] if theme else None,
        due=due,
        on=on,
    )
    if json_:
        common.print_json(goal)
    else:
        common.say(f"Updated goal {goal.id}: {goal.title}")


@app.command("reopen")
def reopen(goal_id: GoalArg, json_: JsonFlag = False) -> None:
    """Open a done or dropped goal again, to keep rating it.

    Example: coachlog goal reopen 2
    """
    from coachlog.core import goals

    goal = goals.reopen(common.journal(), goal_id)
    if json_:
        common.print_json(goal)
    else:
        common.say(f"Goal {goal.id} is open again: {goal.title}")


score_app = typer.Typer(
    rich_markup_mode=None,
    help="Correct or delete one of a goal's scores (ids in 'goal show').",
    no_args_is_help=True,
)
app.add_typer(score_app, name="score")

ScoreArg = Annotated[
    int, typer.Argument(metavar="SCORE_ID", help="The score's id (see 'goal show GOAL').")
]


@score_app.command("edit", context_settings=_RATE_SETTINGS)
def score_edit(
    score_id: ScoreArg,
    score: Annotated[
        str | None, typer.Option("--score", metavar="0-10", help="The corrected score.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The corrected date.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="The corrected note; '' clears it.")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Correct one score of a goal; prints the goal with all its scores.

    A score is never dated after today nor before its goal was set.

    Example: coachlog goal score edit 5 --score 6 --on 2026-02-01
    """
    from coachlog.core import goals

    goal = goals.score_edit(common.journal(), score_id, score=score, on=on, note=note)
    if json_:
        common.print_json(goal)
    else:
        common.say(f"Updated score {score_id} of goal {goal.id}.")


@score_app.command("delete")
def score_delete(
    score_id: ScoreArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete one score of a goal for good (if it was the first, the next is the start).

    Example: coachlog goal score delete 5 --yes
    """
    from coachlog.core import goals

    j = common.journal()
    found = goals.score_get(j, score_id)
    common.confirm(
        f"Delete score {found.id} ({found.score}/10 on {found.on.isoformat()}) "
        f"of goal {found.goal_id}?",
        yes=yes,
        refusal=f"Deleting score {score_id} needs --yes.",
        hint=f"Run 'coachlog goal score delete {score_id} --yes' to delete it.",
    )
    deleted = goals.score_delete(j, score_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted score {deleted.id} of goal {deleted.goal_id}.")
