"""`coachlog action ...`: add, list and tick off agreed actions.

Actions agreed in a session are added with `session log --action`; `action add`
is for one agreed outside a session, or for your own to-do list (no --client).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import ClientOpt, JsonFlag

app = typer.Typer(
    rich_markup_mode=None, help="Add, list and tick off agreed actions.", no_args_is_help=True
)

IdArg = Annotated[int, typer.Argument(metavar="ID", help="The action's id (see 'action list').")]


@app.command("add")
def add(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What is to be done (one line).")],
    client: ClientOpt = None,
    due: Annotated[
        str | None,
        typer.Option(
            "--due",
            metavar="DATE",
            help="Due date (2026-12-01, 1/12/2026, next friday, in 2 weeks).",
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Add an action: a client's (with --client) or your own.

    Example: coachlog action add "Book the room" -c "Ann Smith" --due "next friday"
    """
    from coachlog.core import actions

    action = actions.add(common.journal(), text, client=client, due=due)
    if json_:
        common.print_json(action)
        return
    whose = f" for {action.client}" if action.client else ""
    when = f", due {action.due.isoformat()}" if action.due else ""
    common.say(f"Added action {action.id}{whose}{when}.")


@app.command("list")
def list_(
    client: ClientOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Only actions not yet done.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open actions whose due date has passed.")
    ] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N actions; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List actions: open ones first, soonest due first (the first 20 unless --limit).

    Example: coachlog action list --open -c "Zoë Smith"
    """
    from coachlog import dates
    from coachlog.core import actions

    # One more than asked for tells whether to mention that there are more.
    found = actions.list_actions(
        common.journal(),
        client=client,
        open_only=open_,
        overdue_only=overdue,
        limit=common.rows_to_read(limit),
    )
    found, more = common.paged(found, limit)
    if json_:
        common.print_json(found)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the first {limit}")
        return
    if not found:
        common.say(
            "No actions match."
            if (client or open_ or overdue)
            else 'No actions yet. Add one with: coachlog action add "TEXT" --client CLIENT'
        )
        return
    from coachlog.render.sessions import actions_table

    common.out().print(actions_table(found, dates.today()))
    if more:
        common.more_exist(f"the first {limit}")


@app.command("done")
def done(
    action_id: IdArg,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="When it was done (default today)."),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Mark an action done (today, unless --on says when).

    Example: coachlog action done 7 --on yesterday
    """
    from coachlog.core import actions

    action = actions.mark_done(common.journal(), action_id, on=on)
    if json_:
        common.print_json(action)
        return
    assert action.done_on is not None
    common.say(f"Action {action.id} done on {action.done_on.isoformat()}.")


@app.command("edit")
def edit(
    action_id: IdArg,
    text: Annotated[
        str | None, typer.Option("--text", metavar="TEXT", help="The new text (one line).")
    ] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", metavar="DATE", help="New due date; '' clears it."),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client", "-c", metavar="CLIENT", help="Whose action it is; '' makes it your own."
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Change an action's text, due date or client; nothing else changes.

    Its done date stays as it is ('action undo' reopens it). An action agreed in
    a session moves only with its session ('session edit S --client').

    Example: coachlog action edit 4 --text "Draft the paper" --due 2026-03-01
    """
    from coachlog.core import actions

    action = actions.edit(common.journal(), action_id, text=text, due=due, client=client)
    if json_:
        common.print_json(action)
        return
    when = f", due {action.due.isoformat()}" if action.due else ", no due date"
    common.say(f"Updated action {action.id}{when}.")


@app.command("undo")
def undo(action_id: IdArg, json_: JsonFlag = False) -> None:
    """Put an action marked done back to open (its done date is cleared).

    Example: coachlog action undo 4
    """
    from coachlog.core import actions

    action = actions.undo(common.journal(), action_id)
    if json_:
        common.print_json(action)
        return
    common.say(f"Action {action.id} is open again.")


@app.command("delete")
def delete(
    action_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete an action for good. Its id is never used again.

    Example: coachlog action delete 4 --yes
    """
    from coachlog.core import actions

    j = common.journal()
    action = actions.get(j, action_id)
    common.confirm(
        f"Delete action {action.id}" + (" (done)" if action.done_on else "") + "?",
        yes=yes,
        refusal=f"Deleting action {action_id} needs --yes.",
        hint=f"Run 'coachlog action delete {action_id} --yes' to delete it.",
    )
    deleted = actions.delete(j, action_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted action {deleted.id}.")
