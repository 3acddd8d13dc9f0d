"""`coachlog share ...`: encrypted share packs between a coach and a coachee.

Both people run coachlog on their own machine; a pack is one small file that
either sends the other by whatever route their organisation allows (NHSmail,
Teams, a USB stick). core/share.py does the work and docs/share-pack.md
describes the file; this module asks, shows and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag

if TYPE_CHECKING:
    from coachlog.core.share import ReceiveReport, SendPlan

app = typer.Typer(
    rich_markup_mode=None,
    help="Pass reflections, actions and goals between coach and coachee in encrypted packs.",
    no_args_is_help=True,
)

NameArg = Annotated[
    str,
    typer.Argument(metavar="NAME", help="Your client (id or exact name), or your coach's name."),
]


@app.command("key")
def key(json_: JsonFlag = False) -> None:
    """Show this journal's sharing key, to give to your coach or coachee.

    The key is made the first time you ask; its secret half never leaves this
    journal. Read the fingerprint to each other on a call to check the key
    arrived unchanged.

    Example: coachlog share key
    """
    from coachlog.core import share

    found = share.my_key(common.journal())
    if json_:
        common.print_json(found)
        return
    common.out().print(found["key"], soft_wrap=True, markup=False)
    common.say(f"Fingerprint: {found['fingerprint']}")
    common.say("Send the key to the other person (e-mail or Teams is fine: it is not a secret).")


@app.command("link")
def link(
    key: Annotated[
        str,
        typer.Option("--key", metavar="KEY", help="Their key, from their 'coachlog share key'."),
    ],
    client: Annotated[
        str | None,
        typer.Option("--client", "-c", metavar="CLIENT", help="Your client (id or exact name)."),
    ] = None,
    coach: Annotated[
        str | None,
        typer.Option("--coach", metavar="NAME", help="Your coach's name, as you call them."),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Link the other person's sharing key, so you can send them packs and read theirs.

    A coach links a client's key with --client; a coachee names their coach and
    links the coach's key with --coach. Check the fingerprint shown with them.

    Example: coachlog share link --client "Sam Lee" --key clk1...
    """
    from coachlog.core import share

    found = share.link(common.journal(), key, client=client, coach=coach)
    if json_:
        common.print_json(found)
        return
    what = "client" if found["role"] == "client" else "coach"
    common.say(f"Linked {found['name']} ({what}). Fingerprint: {found['fingerprint']}")
    common.say("Check that fingerprint with them; if it differs, unlink and ask again.")


@app.command("links")
def links(json_: JsonFlag = False) -> None:
    """List the people you share with, their key fingerprints and the last packs.

    Example: coachlog share links
    """
    from coachlog.core import share

    found = share.links(common.journal())
    if json_:
        common.print_json(found)
        return
    if not found:
        common.say("No one is linked yet. Start with: coachlog share key")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Name")
    table.add_column("Is your", no_wrap=True)
    # Read aloud to check the key: shown whole, however long the names are.
    table.add_column("Fingerprint", no_wrap=True, min_width=19)
    table.add_column("Last sent", no_wrap=True)
    for row in found:
        table.add_row(
            Text(row["name"]),
            row["role"],
            row["fingerprint"],
            (row["last_sent_at"] or "never")[:10],
        )
    common.out().print(table)


@app.command("unlink")
def unlink(name: NameArg, json_: JsonFlag = False) -> None:
    """Remove someone's sharing key: packs from it are refused from now on.

    What they already shared stays in your journal.

    Example: coachlog share unlink "Sam Lee"
    """
    from coachlog.core import share

    found = share.unlink(common.journal(), name)
    if json_:
        common.print_json(found)
        return
    common.say(f"Unlinked {found['name']}: packs from their key are refused from now on.")


@app.command("send")
def send(
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="NAME",
            help="Who it is for: your client, or your coach (may be left out if you "
            "share with one person only).",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Everything dated from this day, even if sent before (default: only "
            "what is new or changed since your last pack to them).",
        ),
    ] = None,
    notes: Annotated[
        bool,
        typer.Option(
            "--notes",
            help="Coach only: include your session notes (private notes never go).",
        ),
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the pack (default: coachlog-pack-DATE.clpack here).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Write an encrypted pack for your coach or coachee, to send them as an attachment.

    A coach's pack holds each session's date, length, themes and cards, the
    actions agreed with their due dates, and goals set or rated in sessions with
    their scores; never another client's anything, and no notes unless --notes.
    A coachee's pack holds reflections from the day they linked their coach
    (older ones with --since; never those written with --private), scores
    on goals from the coach, and actions ticked done. In a terminal you see what
    will go and can leave items out.

    Example: coachlog share send --to "Sam Lee" -o sam.clpack
    """
    from coachlog.core import share

    j = common.journal()
    plan = share.plan_send(j, to, since=since, notes=notes)
    if not plan.items:
        if json_:
            common.print_json(
                share.SendReport(to=plan.to, file=None, pack=None, counts={}, uids={})
            )
        common.say(f"Nothing new to send to {plan.to} since your last pack; no file written.")
        return
    path = output if output is not None else _free_name(share.default_file_name(plan), force)
    if common.interactive():
        from coachlog.core.files import check_target

        check_target(path, force=force)  # before the questions, not after them
        plan = _choose(plan)
        if not plan.items:
            from coachlog.errors import Cancelled

            raise Cancelled()
    report = share.send(j, plan, path, force=force)
    if json_:
        common.print_json(report)
        return
    parts = _counted(report["counts"])
    common.say(f"Wrote a pack for {report['to']} to {report['file']}: {parts}.")
    common.say("Send the file to them; only they can open it.")


_WORDS = {"ticks": ("action ticked done", "actions ticked done")}


def _counted(counts: dict[str, int]) -> str:
    """{"sessions": 1, "actions": 2} -> "1 session, 2 actions"."""
    from coachlog.text import counted

    return ", ".join(
        counted(n, *_WORDS.get(section, (section.removesuffix("s"), section)))
        for section, n in counts.items()
    )


def _items(n: int) -> str:
    from coachlog.text import counted

    return counted(n, "item")


def _free_name(name: str, force: bool) -> str:
    """The default file name, numbered (-2, -3, ...) if today's is taken."""
    if force or not Path(name).exists():
        return name
    stem, dot, ext = name.rpartition(".")
    n = 2
    while Path(f"{stem}-{n}{dot}{ext}").exists():
        n += 1
    return f"{stem}-{n}{dot}{ext}"


# Up to this many items are offered one by one in a terminal; more, by kind.
ONE_BY_ONE = 40


def _choose(plan: SendPlan) -> SendPlan:
    """Show what will go and let the person untick items; they must say yes to send."""
    from coachlog.cli.prompts import Option, get_prompter
    from coachlog.core.share import SECTIONS
    from coachlog.text import for_terminal

    prompter = get_prompter()
    common.say(f"This pack for {for_terminal(plan.to)} will hold {_items(len(plan.items))}.")
    if len(plan.items) <= ONE_BY_ONE:
        options = [Option(for_terminal(item.label), n) for n, item in enumerate(plan.items)]
        kept = prompter.checkbox(
            "Untick anything you want to leave out:",
            options,
            checked=list(range(len(plan.items))),
        )
        plan.items = [plan.items[n] for n in kept]
    else:
        # Too many to tick one by one (a first pack after months): by kind instead.
        counts: dict[str, int] = {}
        for item in plan.items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        by_kind = [Option(_counted({SECTIONS[k]: n}), k) for k, n in counts.items()]
        kinds: list[str] = prompter.checkbox(
            "Untick any kind you want to leave out (--since narrows the dates):",
            by_kind,
            checked=list(counts),
        )
        plan.items = [item for item in plan.items if item.kind in kinds]
    if plan.items and not prompter.confirm(
        f"Write the pack with {_items(len(plan.items))}?", default=True
    ):
        plan.items = []
    return plan


@app.command("receive")
def receive(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The pack file you were sent.")],
    json_: JsonFlag = False,
) -> None:
    """Open a pack from your coach or coachee and file what it holds.

    The pack must be for this journal, from someone you linked, and unaltered;
    otherwise nothing is written. Receiving the same pack twice adds nothing.

    Example: coachlog share receive coachlog-pack-2026-12-02.clpack
    """
    from coachlog.core import share
    from coachlog.errors import InvalidInput, NotFound

    path = Path(file).expanduser()
    if not path.exists():
        raise NotFound(f"There is no file {path}.", hint="Check the path and try again.")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder, not a pack file.")
    try:
        with path.open("rb") as handle:
            data = handle.read(share.MAX_PACK_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            f"{path} cannot be read ({exc.strerror or type(exc).__name__})."
        ) from None
    report = share.receive(common.journal(), data, f"The file {path.name}")
    if json_:
        common.print_json(report)
        return
    _say_received(report)


# Items a receive lists, so a big first pack does not scroll the summary away.
SHOWN = 15


def _say_received(report: ReceiveReport) -> None:
    from rich.text import Text

    who = report["source"]
    if report["already_received"]:
        common.say(f"You already received this pack from {who}; nothing changed.")
        return
    console = common.out()
    items = report["items"]
    for item in items[:SHOWN]:
        mark = "+" if item["outcome"] == "added" else "~"
        console.print(Text(f"{mark} {item['what']}"))
    if len(items) > SHOWN:
        console.print(Text(f"… and {len(items) - SHOWN} more (--json lists them all)"))
    added = _counted(report["added"])
    updated = _counted(report["updated"])
    said = "; ".join(
        part
        for part in (f"added {added}" if added else "", f"updated {updated}" if updated else "")
        if part
    )
    common.say(f"Received a pack from {who}: {said or 'nothing new'}.")
    if report["role"] == "client" and report["added"].get("reflections"):
        common.say(f'See them with: coachlog prep "{who}"')


@app.command("sessions")
def sessions(json_: JsonFlag = False) -> None:
    """List the sessions your coach has shared with you, newest first.

    Example: coachlog share sessions
    """
    from coachlog.core import share

    found = share.shared_sessions(common.journal())
    if json_:
        common.print_json(found)
        return
    if not found:
        common.say("No sessions shared with you yet. Your coach sends them with 'share send'.")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("Date", "Min", "Coach", "Themes"):
        table.add_column(column)
    for row in found:
        table.add_row(row["on"], str(row["minutes"]), Text(row["coach"]), ", ".join(row["themes"]))
    console = common.out()
    console.print(table)
    # Notes go only when the coach sends them (--notes); when they did, show them.
    for row in found:
        if row["notes"]:
            console.print()
            console.print(Text(f"Notes from {row['on']} ({row['coach']}):", style="bold"))
            console.print(Text(row["notes"]))
    from coachlog.core import reflections

    last = found[0]
    written = [
        r
        for r in reflections.list_reflections(common.journal(), since=last["on"])
        if r.client_id is None
    ]
    kept = sum(1 for r in written if r.private)
    going = len(written) - kept
    private = f" ({kept} private, which stay here)" if kept else ""
    common.say(
        f"Since your last session ({last['on']}): {going} reflection"
        f"{'' if going == 1 else 's'} to share{private}. 'coachlog share send' "
        f"passes {'it' if going == 1 else 'them'} on."
    )
