"""`coachlog session ...`: log, list, show, edit and delete coaching sessions.

Each command works in three steps: gather the values (flags, `--notes -` from
stdin), complete them (`_complete_log`: the one place that decides what to do
about a missing required value — today an error naming every missing flag, later
a prompt when `common.interactive()`), then call `core.sessions` and report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_card
from coachlog.cli.options import THEMES, ClientOpt, JsonFlag, SinceOpt, TagOpt, UntilOpt
from coachlog.vocab import CoachingModel, Mode, SessionFormat, ThemeKey

if TYPE_CHECKING:
    from coachlog.models import Session
    from coachlog.store.db import Journal

app = typer.Typer(
    rich_markup_mode=None,
    help="Log coaching sessions and read them back: list, show, edit, delete.",
    no_args_is_help=True,
)

IdArg = Annotated[int, typer.Argument(metavar="ID", help="The session's id (see 'session list').")]
OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        help="Date of the session (2026-11-03, 3/11/2026, yesterday, last friday).",
    ),
]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar="TIME", help="Start time: 09:30, 9.30, 2pm, 2.30pm.")
]
MinutesOpt = Annotated[
    int | None, typer.Option("--minutes", "-m", metavar="N", help="Length in minutes.")
]
ModeOpt = Annotated[
    Mode | None,
    typer.Option("--mode", case_sensitive=False, help="How you met (default in-person)."),
]
FormatOpt = Annotated[
    SessionFormat | None,
    typer.Option("--format", case_sensitive=False, help="Who was there (default one-to-one)."),
]
ModelOpt = Annotated[
    CoachingModel | None,
    typer.Option("--model", case_sensitive=False, help="Coaching model followed, if any."),
]
ThemesOpt = Annotated[
    list[ThemeKey] | None,
    typer.Option(
        "--theme",
        case_sensitive=False,
        metavar="THEME",
        help=f"An IES impact theme the session worked on: {THEMES} (repeatable).",
    ),
]
CardsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--card",
        metavar="CARD",
        help="A behaviour card used (repeatable; see 'coachlog cards list').",
        autocompletion=complete_card,
    ),
]
NotesOpt = Annotated[
    str | None,
    typer.Option(
        "--notes", metavar="TEXT", help="Session notes; '-' reads them from standard input."
    ),
]
PrivateNotesOpt = Annotated[
    str | None,
    typer.Option(
        "--private-notes",
        metavar="TEXT",
        help="Notes for you alone: left out of supervision exports unless asked.",
    ),
]
ActionOpt = Annotated[
    list[str] | None,
    typer.Option("--action", metavar="TEXT", help="An action agreed (repeatable)."),
]
ActionDueOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--action-due",
        metavar="DATE",
        help="Due date of the --action in the same position (repeatable).",
    ),
]


def _notes_text(value: str | None) -> str | None:
    """`--notes -` means "read the notes from standard input"; anything else is the text."""
    if value != "-":
        return value
    return common.read_stdin("--notes").rstrip("\r\n")


def _actions(texts: list[str] | None, dues: list[str] | None) -> list[tuple[str, str | None]]:
    from coachlog.core.actions import pair_actions

    return pair_actions(texts or [], dues or [])


def _complete_log(values: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Fill in what `session log` still needs, or refuse naming every missing flag.

    In a terminal, a missing --client or --minutes starts the questions (cli/flows.py):
    every value not given as a flag is asked for, a summary is shown and the person
    confirms. Returns the values and the name of a client to add first, if the
    person typed a new one. Anywhere else it is an error naming the missing flags.
    """
    if (values["client"] is None or values["minutes"] is None) and common.interactive():
        from coachlog.cli import flows

        plan = flows.session_log_flow(common.journal(), **values)
        return plan.values, plan.new_client
    common.require(**{"--client": values["client"], "--minutes": values["minutes"]})
    return values, None


def _warn_if_archived(j: Journal, session: Session) -> None:
    from coachlog.core import clients

    who = clients.resolve(j, str(session.client_id))
    if who.archived:
        common.warn(
            f"{who.name} is archived; the session was saved anyway. "
            f"'coachlog client archive {who.id} --undo' makes them active again."
        )


def _warn_if_past_agreed(session: Session) -> None:
    """A session beyond the engagement's contracted number ("3 of 2") is saved, but
    said: more sessions were agreed (edit the engagement), or it has ended."""
    place = session.engagement
    if place is None or place.of is None or place.number <= place.of:
        return
    common.warn(
        f"This is session {place.number} of engagement {place.id}, agreed for {place.of}. "
        f"If more were agreed: coachlog engagement edit {place.id} --sessions {place.number}"
    )


def _n_actions(count: int) -> str:
    """'1 action', '3 actions': plain English rather than 'action(s)'."""
    return f"{count} action" if count == 1 else f"{count} actions"


def _report(session: Session, verb: str, json_: bool) -> None:
    if json_:
        common.print_json(session)
        return
    extra = f"; {_n_actions(len(session.actions))} agreed" if session.actions else ""
    common.say(
        f"{verb} session {session.id}: {session.client}, {session.on.isoformat()}, "
        f"{session.minutes} min{extra}."
    )


@app.command("log")
def log(
    client: ClientOpt = None,
    on: OnOpt = None,
    at: AtOpt = None,
    minutes: MinutesOpt = None,
    mode: ModeOpt = None,
    format_: FormatOpt = None,
    model: ModelOpt = None,
    theme: ThemesOpt = None,
    card: CardsOpt = None,
    tag: TagOpt = None,
    notes: NotesOpt = None,
    private_notes: PrivateNotesOpt = None,
    action: ActionOpt = None,
    action_due: ActionDueOpt = None,
    pro_bono: Annotated[
        bool, typer.Option("--pro-bono", help="Unpaid work (shown in the hours log).")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Log a session with a client.

    In a terminal, `coachlog session log` on its own asks for everything, one
    question at a time (client, date, length, themes, cards, notes, actions), shows
    a summary and asks before saving. Otherwise --client and --minutes are
    required. The date is today unless --on says otherwise; mode is in-person
    and format one-to-one unless you say.
    Each --action is an action agreed, due on the --action-due in the same
    position. --notes - reads the notes from standard input.

    Example: coachlog session log -c "Ann Smith" -m 60 --theme confidence
    --card resilience --notes "Board paper" --action "Draft it" --action-due
    2026-03-01
    """
    from coachlog.core import sessions

    # Flags as given (None = not given): the completing step may ask for those,
    # and core.sessions.log fills in the documented defaults for the rest.
    values, new_client = _complete_log(
        {
            "client": client,
            "minutes": minutes,
            "on": on,
            "at": at,
            "mode": mode,
            "format": format_,
            "model": model,
            "themes": theme or [],
            "cards": card or [],
            "tags": tag or [],
            "notes": _notes_text(notes),
            "private_notes": private_notes,
            "actions": _actions(action, action_due),
            "pro_bono": pro_bono,
        }
    )
    j = common.journal()
    if new_client is None:
        session = sessions.log(j, **values)
    else:
        from coachlog.core import clients

        # A client first named at the prompt is added with the session or not at all.
        with j.write():
            clients.add(j, name=new_client)
            session = sessions.log(j, **values)
    _report(session, "Logged", json_)
    _warn_if_archived(j, session)
    _warn_if_past_agreed(session)


@app.command("list")
def list_(
    client: ClientOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    theme: Annotated[
        ThemeKey | None,
        typer.Option(
            "--theme",
            case_sensitive=False,
            metavar="THEME",
            help=f"Only sessions with this IES theme: {THEMES}.",
        ),
    ] = None,
    card: Annotated[
        str | None,
        typer.Option(
            "--card",
            metavar="CARD",
            help="Only sessions using this card.",
            autocompletion=complete_card,
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N sessions; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List sessions, newest first (the 20 newest unless --limit says otherwise).

    Example: coachlog session list --client 2 --since 2026-11 --limit 0
    """
    from coachlog.core import sessions

    # One more than asked for tells whether to mention that there are more.
    found = sessions.list_sessions(
        common.journal(),
        client=client,
        since=since,
        until=until,
        theme=theme,
        card=card,
        limit=common.rows_to_read(limit),
    )
    found, more = common.paged(found, limit)
    if json_:
        common.print_json(found)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the {limit} newest")
        return
    if not found:
        filtered = any(v is not None for v in (client, since, until, theme, card))
        common.say(
            "No sessions match."
            if filtered
            else "No sessions yet. Log one with: coachlog session log -c CLIENT -m MINUTES"
        )
        return
    from coachlog.render.sessions import sessions_table

    common.out().print(sessions_table(found))
    if more:
        common.more_exist(f"the {limit} newest")


@app.command("show")
def show(session_id: IdArg, json_: JsonFlag = False) -> None:
    """Show one session in full: notes, private notes and the actions agreed.

    Example: coachlog session show 12
    """
    from coachlog import dates
    from coachlog.core import sessions

    session = sessions.get(common.journal(), session_id)
    if json_:
        common.print_json(session)
        return
    from coachlog.render.sessions import session_detail

    common.out().print(session_detail(session, dates.today()))


@app.command("edit")
def edit(
    session_id: IdArg,
    client: ClientOpt = None,
    on: OnOpt = None,
    at: AtOpt = None,
    minutes: MinutesOpt = None,
    mode: ModeOpt = None,
    format_: FormatOpt = None,
    model: ModelOpt = None,
    theme: ThemesOpt = None,
    card: CardsOpt = None,
    tag: TagOpt = None,
    notes: NotesOpt = None,
    private_notes: PrivateNotesOpt = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", metavar="TEXT", help="Add an action agreed (repeatable)."),
    ] = None,
    action_due: ActionDueOpt = None,
    remove_action: Annotated[
        list[int] | None,
        typer.Option(
            "--remove-action",
            metavar="ACTION_ID",
            help="Delete this action of the session (repeatable; asks, or give --yes).",
        ),
    ] = None,
    pro_bono: Annotated[
        bool | None,
        typer.Option("--pro-bono/--no-pro-bono", help="Mark the session unpaid, or paid."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Remove actions without asking.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Change a session; only the flags you give are changed.

    --theme, --card and --tag replace the session's whole list (give every one
    you want kept). --action adds an action and leaves the others as they are;
    --remove-action ID deletes one, after showing it and asking (or with --yes).
    Change an action's text or due date with 'coachlog action edit'. An empty
    value clears --notes, --private-notes or --at.

    Example: coachlog session edit 3 --minutes 50 --action "Book the room"
    --remove-action 7 --yes
    """
    from coachlog.core import sessions

    changes: dict[str, Any] = {
        "client": client,
        "on": on,
        "at": at,
        "minutes": minutes,
        "mode": mode,
        "format": format_,
        "model": model,
        "themes": theme,
        "cards": card,
        "tags": tag,
        "notes": _notes_text(notes),
        "private_notes": private_notes,
        "actions": _actions(action, action_due) if action or action_due else None,
        "remove_actions": remove_action,
        "pro_bono": pro_bono,
    }
    j = common.journal()
    removing: list[str] = []
    if remove_action:
        from coachlog.text import counted, for_terminal

        current = sessions.get(j, session_id)
        ids = sessions.removable_actions(current, remove_action)
        removing = [
            f"action {a.id} ({for_terminal(a.text)}" + (", done)" if a.done_on else ")")
            for a in current.actions
            if a.id in ids
        ]
        listed = "; ".join(removing)
        common.say(f"This removes {listed} from session {session_id}.")
        common.confirm(
            f"Remove {counted(len(removing), 'action')} for good?",
            yes=yes,
            refusal="Removing action " + ", ".join(map(str, ids)) + " needs --yes.",
            hint="Add --yes to remove them, or leave out --remove-action.",
        )
    updated = sessions.edit(j, session_id, **changes)
    _report(updated, "Updated", json_)
    if removing and not json_:
        common.say("Removed " + "; ".join(removing) + ".")


@app.command("delete")
def delete(
    session_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete a session with the actions agreed in it. Cannot be undone.

    Example: coachlog session delete 12 --yes
    """
    from coachlog.core import sessions

    j = common.journal()
    session = sessions.get(j, session_id)
    common.confirm(
        f"Delete session {session.id} ({session.client}, {session.on.isoformat()})"
        + (f" and its {_n_actions(len(session.actions))}" if session.actions else "")
        + "?",
        yes=yes,
        refusal=f"Deleting session {session_id} needs --yes.",
        hint=f"Run 'coachlog session delete {session_id} --yes' to delete it and its actions.",
    )
    deleted = sessions.delete(j, session_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(
            f"Deleted session {deleted.id} ({deleted.client}, {deleted.on.isoformat()})"
            + (f" and its {_n_actions(len(deleted.actions))}" if deleted.actions else "")
            + "."
        )
