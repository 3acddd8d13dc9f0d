"""`coachlog client ...`: the people a coach works with."""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_client
from coachlog.cli.options import JsonFlag
from coachlog.vocab import Relationship

app = typer.Typer(
    rich_markup_mode=None,
    help="Add, list, show, edit, archive and erase clients.",
    no_args_is_help=True,
)

NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="The client's name (up to 200 characters).")
]
ClientArg = Annotated[
    str,
    typer.Argument(
        metavar="CLIENT", help="Client id or exact name.", autocompletion=complete_client
    ),
]
ByNameFlag = Annotated[
    bool,
    typer.Option(
        "--by-name",
        help="Look CLIENT up as a name even if it is all digits (a bare number is an id).",
    ),
]


def client_ref(client: str, by_name: bool) -> str:
    """CLIENT as typed, marked for a name lookup when --by-name was given."""
    from coachlog.vocab import ClientName

    return ClientName(client) if by_name else client


RelationshipOpt = Annotated[
    Relationship | None,
    typer.Option(
        "--relationship",
        "-r",
        metavar="KIND",
        help="Form of support: coaching (for a new client unless given), mentoring, peer, "
        "line-manager or team.",
        case_sensitive=False,
    ),
]
OrganisationOpt = Annotated[
    str | None, typer.Option("--organisation", help="Their organisation or team.")
]
EmailOpt = Annotated[
    str | None, typer.Option("--email", help="E-mail address (never exported unless asked).")
]
ConsentOpt = Annotated[
    bool | None,
    typer.Option(
        "--named-consent/--no-named-consent",
        help="Whether they agreed to be named in hours logs (default: not named).",
    ),
]


@app.command("add")
def add(
    name: NameArg,
    relationship: RelationshipOpt = None,
    organisation: OrganisationOpt = None,
    email: EmailOpt = None,
    named_consent: ConsentOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Add a client. Relationship is coaching unless you say otherwise.

    Example: coachlog client add "Ann Smith" -r mentoring --organisation "Ward 7"
    """
    from coachlog.core import clients

    client = clients.add(
        common.journal(),
        name=name,
        relationship=relationship or Relationship.coaching,
        organisation=organisation,
        email=email,
        named_consent=bool(named_consent),
    )
    if json_:
        common.print_json(client)
    else:
        common.say(f"Added client {client.id}: {client.name} ({client.relationship.value}).")


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", "-a", help="Include archived clients.")] = False,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, metavar="N", help="Show at most N clients; 0 shows all."
        ),
    ] = 20,
    json_: JsonFlag = False,
) -> None:
    """List clients by name (active ones unless --all; the first 20 unless --limit).

    Example: coachlog client list --all --limit 0
    """
    from coachlog.core import clients

    found = clients.list_clients(common.journal(), include_archived=all_)
    found, more = common.paged(found, limit)
    if json_:
        common.print_json(found)
        if more:  # a script must know the list was cut, as a reader of the table does
            common.more_exist(f"the first {limit} by name")
        return
    if not found:
        common.say('No clients yet. Add one with: coachlog client add "Name"')
        return
    from coachlog.render.tables import clients_table

    common.out().print(clients_table(found))
    if more:
        common.more_exist(f"the first {limit} by name")


@app.command("show")
def show(client: ClientArg, by_name: ByNameFlag = False, json_: JsonFlag = False) -> None:
    """Show a client and their totals: sessions, hours, open goals and actions.

    Example: coachlog client show "Ann Smith"
    """
    from coachlog.core import clients
    from coachlog.core.redactions import aliases

    info = clients.show(common.journal(), client_ref(client, by_name))
    info["aliases"] = aliases(common.journal(), info["id"])
    if json_:
        common.print_json(info)
        return
    from coachlog.render.tables import key_values

    hours = info["minutes"] / 60
    common.out().print(
        key_values(
            [
                ("Client", f"{info['name']} (id {info['id']})"),
                ("Relationship", info["relationship"]),
                ("Organisation", info["organisation"]),
                ("E-mail", info["email"]),
                ("Named in logs", "yes" if info["named_consent"] else "no"),
                ("In exports", info.get("pseudonym")),
                ("Also called", ", ".join(info["aliases"]) or None),
                ("Archived", "yes" if info["archived"] else None),
                ("Sessions", f"{info['sessions']} ({hours:.1f} h)"),
                (
                    "First / last",
                    f"{info['first_session']} / {info['last_session']}"
                    if info["sessions"]
                    else None,
                ),
                ("Open goals", info["open_goals"]),
                ("Open actions", info["open_actions"]),
                ("Reflections", info["reflections"]),
            ]
        )
    )


@app.command("edit")
def edit(
    client: ClientArg,
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    by_name: ByNameFlag = False,
    relationship: RelationshipOpt = None,
    organisation: OrganisationOpt = None,
    email: EmailOpt = None,
    named_consent: ConsentOpt = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias", metavar="NAME", help="Another name they go by, hidden in exports too."
        ),
    ] = None,
    drop_alias: Annotated[
        list[str] | None, typer.Option("--drop-alias", metavar="NAME", help="Forget an alias.")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Change a client's details; only the flags you give are changed.

    Example: coachlog client edit "Zoë Smith" --alias Zo
    """
    from coachlog.core import clients

    client = client_ref(client, by_name)
    changes = {
        "name": name,
        "relationship": relationship,
        "organisation": organisation,
        "email": email,
        "named_consent": named_consent,
    }
    if alias or drop_alias:
        from coachlog.core.redactions import change_aliases

        client_id, now = change_aliases(common.journal(), client, alias, drop_alias)
        if all(v is None for v in changes.values()):
            if json_:
                common.print_json(
                    clients.show(common.journal(), str(client_id)) | {"aliases": now}
                )
            else:
                common.say(f"Client {client_id} is also called: {', '.join(now) or 'nothing'}.")
            return
        client = str(client_id)
    if all(v is None for v in changes.values()):
        # Not a value coachlog could ask for, so not "missing": say what edit takes.
        from coachlog.errors import InvalidInput

        raise InvalidInput(
            "Nothing to change.",
            hint="Give at least one of --name, --relationship, --organisation, --email "
            "or --named-consent.",
        )
    updated = clients.edit(common.journal(), client, **changes)
    if json_:
        common.print_json(updated)
    else:
        common.say(f"Updated client {updated.id}: {updated.name}.")


@app.command("archive")
def archive(
    client: ClientArg,
    undo: Annotated[
        bool, typer.Option("--undo", help="Make an archived client active again.")
    ] = False,
    by_name: ByNameFlag = False,
    json_: JsonFlag = False,
) -> None:
    """Archive a client: hidden from lists and prompts, every record kept.

    Example: coachlog client archive 3 (--undo brings them back)
    """
    from coachlog.core import clients

    updated = clients.set_archived(
        common.journal(), client_ref(client, by_name), archived=not undo
    )
    if json_:
        common.print_json(updated)
    else:
        state = "archived" if updated.archived else "active again"
        common.say(f"Client {updated.id} ({updated.name}) is {state}.")


# `erase` lives with the other privacy commands; it is attached here so the
# group is complete whenever it is built.
from coachlog.cli.privacy import erase  # noqa: E402

app.command("erase")(erase)
