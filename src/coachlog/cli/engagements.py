"""`coachlog engagement ...`: start, end, edit, reopen, delete, list and show engagements.

An engagement is the contract: six sessions agreed, a sponsor, a start and an
end. Sessions logged with the client while it is open count against it
("session 3 of 6"), and its end sets the six-month follow-up check-in due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_client
from coachlog.cli.options import JsonFlag, NewestLimitOpt
from coachlog.models import to_json
from coachlog.text import counted

if TYPE_CHECKING:
    from coachlog.models import Engagement

app = typer.Typer(
    rich_markup_mode=None,
    help="Start, end, correct and list coaching engagements: sessions agreed, a sponsor, dates.",
    no_args_is_help=True,
)

ClientArg = Annotated[
    str | None,
    typer.Argument(
        metavar="CLIENT",
        help="Client id or exact name (or --me for your own coaching).",
        autocompletion=complete_client,
    ),
]
MeFlag = Annotated[
    bool, typer.Option("--me", help="Your own coaching, as the coachee (no client).")
]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="The date (YYYY-MM-DD, today, yesterday)."),
]


def _who(e: Engagement) -> str:
    return e.client or "you"


def _of(e: Engagement) -> str:
    held = counted(e.sessions_held, "session")
    return held + (f" of {e.sessions_contracted}" if e.sessions_contracted else "")


@app.command("start")
def start(
    client: ClientArg = None,
    me: MeFlag = False,
    sessions: Annotated[
        int | None,
        typer.Option("--sessions", metavar="N", help="Sessions contracted, e.g. 6."),
    ] = None,
    sponsor: Annotated[
        str | None,
        typer.Option("--sponsor", metavar="NAME", help="Who sponsors it (a manager, a team)."),
    ] = None,
    on: OnOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Start an engagement with CLIENT (today unless --on says otherwise).

    Sessions with them from this date count against it. One engagement is
    open at a time; end it with 'coachlog engagement end CLIENT'.

    Example: coachlog engagement start "Ann Smith" --sessions 6 --sponsor "HR"
    """
    from coachlog.core import engagements

    found = engagements.start(
        common.journal(), client, me=me, sessions=sessions, sponsor=sponsor, on=on
    )
    if json_:
        common.print_json(found)
        return
    agreed = f", {found.sessions_contracted} sessions" if found.sessions_contracted else ""
    common.say(f"Started engagement {found.id} with {_who(found)} on {found.started_on}{agreed}.")


@app.command("end")
def end(
    client: ClientArg = None, me: MeFlag = False, on: OnOpt = None, json_: JsonFlag = False
) -> None:
    """End CLIENT's open engagement (today unless --on says otherwise).

    The follow-up check-in falls due six months later; the overview reminds you.

    Example: coachlog engagement end "Ann Smith" --on 2026-06-30
    """
    from coachlog.core import engagements

    found = engagements.end(common.journal(), client, me=me, on=on)
    if json_:
        common.print_json(found)
        return
    common.say(
        f"Ended engagement {found.id} with {_who(found)} on {found.ended_on} "
        f"({_of(found)}). Follow-up check-in due {found.follow_up_due}."
    )


IdArg = Annotated[
    int, typer.Argument(metavar="ID", help="The engagement's id (see 'engagement list').")
]


@app.command("edit")
def edit(
    engagement_id: IdArg,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The day it really started.")
    ] = None,
    ended: Annotated[
        str | None, typer.Option("--ended", metavar="DATE", help="The day it really ended.")
    ] = None,
    sessions: Annotated[
        int | None,
        typer.Option("--sessions", metavar="N", help="Sessions contracted, e.g. 6."),
    ] = None,
    sponsor: Annotated[
        str | None,
        typer.Option("--sponsor", metavar="NAME", help='Who sponsors it ("" for nobody).'),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Correct an engagement; only the flags you give are changed.

    The dates are things that happened (not after today), the end is not before
    the start, and one person's engagements never overlap. Sessions count
    against whichever engagement their date falls in.

    Example: coachlog engagement edit 3 --on 2026-01-12 --sessions 8
    """
    from coachlog.core import engagements

    found = engagements.edit(
        common.journal(), engagement_id, on=on, ended=ended, sessions=sessions, sponsor=sponsor
    )
    if json_:
        common.print_json(found)
        return
    ends = f" to {found.ended_on}" if found.ended_on else ", open"
    agreed = f", {found.sessions_contracted} sessions" if found.sessions_contracted else ""
    common.say(
        f"Updated engagement {found.id} with {_who(found)}: {found.started_on}{ends}{agreed}."
    )


@app.command("reopen")
def reopen(engagement_id: IdArg, json_: JsonFlag = False) -> None:
    """Open an engagement ended by mistake again; its end date is cleared.

    Example: coachlog engagement reopen 3
    """
    from coachlog.core import engagements

    found = engagements.reopen(common.journal(), engagement_id)
    if json_:
        common.print_json(found)
        return
    common.say(f"Engagement {found.id} with {_who(found)} is open again ({_of(found)}).")


@app.command("delete")
def delete(
    engagement_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete an engagement started by mistake, with its outcome check-ins.

    Sessions are kept (they no longer count against an engagement). The id is
    never given to another engagement.

    Example: coachlog engagement delete 3 --yes
    """
    from coachlog.core import engagements

    j = common.journal()
    found = engagements.get(j, engagement_id)
    checks = engagements.check_ins(j, engagement_id)
    also = f" and its {counted(checks, 'outcome check-in')}" if checks else ""
    common.confirm(
        f"Delete engagement {found.id} with {_who(found)} (from {found.started_on}){also}?",
        yes=yes,
        refusal=f"Deleting engagement {engagement_id} needs --yes.",
        hint=f"Run 'coachlog engagement delete {engagement_id} --yes'.",
    )
    deleted, removed = engagements.delete(j, engagement_id)
    if json_:
        common.print_json({**to_json(deleted), "outcomes_removed": removed})
        return
    gone = f" and {counted(removed, 'outcome check-in')}" if removed else ""
    common.say(f"Deleted engagement {deleted.id} with {_who(deleted)}{gone}.")


@app.command("list")
def list_(
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            "-c",
            metavar="CLIENT",
            help="Only this client's engagements.",
            autocompletion=complete_client,
        ),
    ] = None,
    me: MeFlag = False,
    open_: Annotated[bool, typer.Option("--open", help="Only open engagements.")] = False,
    limit: NewestLimitOpt = 20,
    json_: JsonFlag = False,
) -> None:
    """List engagements, newest first, with sessions held of those contracted (the 20
    newest unless --limit).

    Example: coachlog engagement list --open
    """
    from coachlog.core import engagements

    everything = engagements.list_engagements(common.journal(), client, me=me, open_only=open_)
    found, more = common.paged(everything, limit)
    if json_:
        common.print_json(found)
        if more:
            common.more_exist(f"the {limit} newest")
        return
    if not found:
        common.say(
            "No engagements yet. Start one with: coachlog engagement start CLIENT --sessions 6"
        )
        return
    from coachlog.render.outcomes import engagements_table

    common.out().print(engagements_table(found))
    if more:
        common.more_exist(f"the {limit} newest")


@app.command("show")
def show(
    engagement_id: Annotated[
        int | None,
        typer.Argument(metavar="ID", help="The engagement's id (see 'engagement list')."),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            "-c",
            metavar="CLIENT",
            help="Instead of ID: this client's open (else latest) engagement.",
            autocompletion=complete_client,
        ),
    ] = None,
    me: MeFlag = False,
    json_: JsonFlag = False,
) -> None:
    """Show one engagement: dates, sponsor, sessions held and its outcome check-ins.

    Example: coachlog engagement show 3   (or: --client "Ann Smith")
    """
    from coachlog.core import engagements, outcomes
    from coachlog.errors import InvalidInput

    j = common.journal()
    if engagement_id is not None:
        if client is not None or me:
            raise InvalidInput("Give ID, or --client / --me, not both.")
        found = engagements.get(j, engagement_id)
    elif client is not None or me:
        found = engagements.latest(j, client, me=me)
    else:
        raise InvalidInput("Missing ID: give an engagement id, or --client CLIENT.")
    checks = [o for o in outcomes.list_outcomes(j) if o.engagement_id == found.id]
    if json_:
        common.print_json({**to_json(found), "outcomes": checks})
        return
    from coachlog.render.outcomes import engagement_detail

    common.out().print(engagement_detail(found, checks))
