"""`coachlog supervision ...`: the coach's own supervision, set against their coaching hours.

EMCC asks for at least an hour of supervision per 35 hours of coaching; `list`
states the ratio over the period (core/supervision.py computes it, for the
overview and the exports too). Every session logged can be corrected (`edit`) and
removed (`delete`, asked on stderr through the prompter, or `--yes`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag, NewestLimitOpt, SinceOpt, UntilOpt
from coachlog.vocab import SessionFormat

app = typer.Typer(
    rich_markup_mode=None,
    help="Log your own supervision and see it against your coaching hours.",
    no_args_is_help=True,
)


@app.command("log")
def supervision_log(
    minutes: Annotated[
        int | None, typer.Option("--minutes", "-m", help="How long it lasted, in minutes.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="When (2026-11-03, 3/11/2026, last friday)."),
    ] = None,
    supervisor: Annotated[
        str | None, typer.Option("--supervisor", help="Your supervisor's name.")
    ] = None,
    format_: Annotated[
        SessionFormat | None,
        typer.Option(
            "--format",
            help="one-to-one (default), group or team supervision.",
            case_sensitive=False,
        ),
    ] = None,
    notes: Annotated[
        str | None,
        typer.Option("--notes", metavar="TEXT", help="What you took away; '-' reads stdin."),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Record a supervision session of your own (for the supervision-to-coaching ratio).

    Example: coachlog supervision log --minutes 60 --supervisor "Dr Jane Roe"
    """
    if minutes is None and common.interactive():
        from coachlog.cli.prompts import get_prompter

        minutes = get_prompter().integer(
            "How many minutes of supervision?", minimum=1, maximum=24 * 60, default=60
        )
    common.require(**{"--minutes": minutes})
    if notes == "-":
        notes = common.read_stdin("--notes").rstrip("\r\n")
    from coachlog.core import supervision

    j = common.journal()
    record = supervision.log(
        j,
        minutes=minutes,
        on=on,
        supervisor=supervisor,
        format=format_.value if format_ else None,
        notes=notes,
    )
    if json_:
        common.print_json(record)
        return
    who = f" with {record.supervisor}" if record.supervisor else ""
    common.say(f"Logged supervision {record.id}: {record.on}, {record.minutes} min{who}.")


@app.command("list")
def supervision_list(
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: NewestLimitOpt = 20,
    json_: JsonFlag = False,
) -> None:
    """List your supervision sessions, oldest first (the 20 newest unless --limit), with
    the ratio to your coaching hours over the whole period.

    Example: coachlog supervision list --since 2026-01
    """
    from coachlog.core import supervision

    j = common.journal()
    everything = supervision.list_supervision(j, since=since, until=until)
    found, more = common.paged(everything, limit, newest="last")
    if json_:
        common.print_json(found)
        if more:
            common.more_exist(f"the {limit} newest")
        return
    ratio = supervision.ratio(j, *supervision.window(since, until))
    if found:
        from rich.text import Text

        from coachlog.render.tables import fit_columns, one_line, table

        console = common.out()
        # One line per session at 80 columns: ids, dates and minutes stay whole, the
        # notes are cut to what is left (the other columns take 57 with their gaps).
        notes_width = max(20, console.width - 57)
        t = table("id", "date", "min", "format", "supervisor", "notes")
        fit_columns(t, supervisor=15, notes=notes_width)
        for s in found:
            t.add_row(
                str(s.id),
                s.on.isoformat(),
                str(s.minutes),
                s.format.value,
                Text(s.supervisor or ""),
                one_line(s.notes, notes_width),
            )
        console.print(t)
        if more:
            common.more_exist(f"the {limit} newest")
    else:
        period = " in this period" if since or until else " yet"
        common.say(
            f"No supervision logged{period}. Add some with: coachlog supervision log --minutes 60"
        )
    from coachlog.render.exports import ratio_line

    common.say(
        f"Supervision {ratio['supervision_hours']:g} h, coaching {ratio['coaching_hours']:g} h: "
        + ratio_line(dict(ratio))
        + "."
    )


# ---------------------------------------------------------------- correcting it

SupervisionArg = Annotated[
    int, typer.Argument(metavar="ID", help="The supervision's id (see 'supervision list').")
]


@app.command("edit")
def supervision_edit(
    supervision_id: SupervisionArg,
    minutes: Annotated[
        int | None, typer.Option("--minutes", "-m", help="How long it lasted, in minutes.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="When (not after today).")
    ] = None,
    supervisor: Annotated[
        str | None,
        typer.Option("--supervisor", help="Your supervisor's name; '' clears it."),
    ] = None,
    format_: Annotated[
        SessionFormat | None,
        typer.Option("--format", help="one-to-one, group or team.", case_sensitive=False),
    ] = None,
    notes: Annotated[
        str | None,
        typer.Option("--notes", metavar="TEXT", help="New notes; '-' reads stdin, '' clears."),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Correct a supervision session; only what you give changes.

    Example: coachlog supervision edit 2 --minutes 90 --on 2026-01-12
    """
    if notes == "-":
        notes = common.read_stdin("--notes").rstrip("\r\n")
    from coachlog.core import supervision

    record = supervision.edit(
        common.journal(),
        supervision_id,
        on=on,
        minutes=minutes,
        supervisor=supervisor,
        format=format_.value if format_ else None,
        notes=notes,
    )
    if json_:
        common.print_json(record)
        return
    common.say(f"Updated supervision {record.id}: {record.on}, {record.minutes} min.")


@app.command("delete")
def supervision_delete(
    supervision_id: SupervisionArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete a supervision session for good.

    Example: coachlog supervision delete 2 --yes
    """
    from coachlog.core import supervision

    j = common.journal()
    found = supervision.get(j, supervision_id)
    common.confirm(
        f"Delete supervision {found.id} ({found.on}, {found.minutes} min)?",
        yes=yes,
        refusal=f"Deleting supervision {supervision_id} needs --yes.",
        hint=f"Run 'coachlog supervision delete {supervision_id} --yes' to delete it.",
    )
    deleted = supervision.delete(j, supervision_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted supervision {deleted.id}.")
