"""`coachlog client erase` and `coachlog db purge`: forgetting, on purpose and for good.

Both commands delete in one transaction and then scrub the database files
(core/privacy.py), so what they remove cannot be read back from the disk. They
never run unasked: `--yes` says so in a script; in a terminal coachlog shows what
would go and asks; anywhere else it refuses (exit 1) and says to add `--yes`.

`register()` adds `erase` to the `client` group and `purge` to the `db` group, so
the commands live where people look for them while their code stays here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag
from coachlog.text import counted

YesFlag = Annotated[
    bool, typer.Option("--yes", "-y", help="Do it without asking (needed in scripts).")
]

# Words for each count, singular and plural.
_WORDS = {
    "clients": ("client", "clients"),
    "sessions": ("session", "sessions"),
    "actions": ("action", "actions"),
    "goals": ("goal", "goals"),
    "goal_scores": ("goal score", "goal scores"),
    "reflections": ("reflection", "reflections"),
    "labels": ("theme/card/tag label", "theme/card/tag labels"),
    "search_entries": ("search index entry", "search index entries"),
    "supervision": ("supervision record", "supervision records"),
    "redactions": ("redact-list entry", "redact-list entries"),
    "engagements": ("engagement", "engagements"),
    "outcomes": ("outcome check-in", "outcome check-ins"),
    "assessments": ("behaviour assessment", "behaviour assessments"),
    "shared_sessions": ("session shared by your coach", "sessions shared by your coach"),
    "share_links": ("sharing link", "sharing links"),
}


def _describe(counts: dict[str, int]) -> str:
    parts = []
    for kind, count in counts.items():
        if count:
            one, many = _WORDS.get(kind, (kind, kind))
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) if parts else "nothing"


def _confirm_or_refuse(what: str, yes: bool, command: str) -> None:
    """Go on only with --yes, or with a person at a terminal who says yes."""
    if not yes and common.interactive():
        common.say(what)
    common.confirm(
        "This cannot be undone. Go ahead?",
        yes=yes,
        refusal=f"{what} This cannot be undone, so coachlog does it only when told to.",
        hint=f"Add --yes to {command} to go ahead.",
    )


def _consequences(plan: Mapping[str, Any]) -> str:
    """What a purge keeps and moves, in words: open actions kept, goals' new starts."""
    parts = []
    kept = plan["kept_open_actions"]
    if kept:
        parts.append(
            f" {counted(kept, 'open action')} of those sessions "
            f"{'are' if kept > 1 else 'is'} kept (--purge-open removes them)."
        )
    for goal in plan["baselines_moved"]:
        start = f"{goal['baseline']}/10 on {goal['baseline_on']}"
        now = (
            f"{goal['new_baseline']}/10 on {goal['new_baseline_on']}"
            if goal["new_baseline"] is not None
            else "no score"
        )
        parts.append(f" Goal {goal['goal_id']} would start from {now}, not {start}.")
    for held in plan["sessions_held_moved"]:
        of = held["contracted"]
        parts.append(
            f" Engagement {held['engagement_id']} would show {held['new_held']} of {of} "
            f"sessions held, not {held['held']} of {of}."
        )
    return "".join(parts)


_SCRUB_WARNING = (
    "Another program had the journal open, so removed text may linger in its log file "
    "until it closes. Close it and run 'coachlog db purge --before 1900-01-01 --yes' "
    "(removes nothing, finishes the clean-up)."
)


def erase(
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="Client id or exact name.")],
    yes: YesFlag = False,
    by_name: Annotated[
        bool,
        typer.Option(
            "--by-name",
            help="Look CLIENT up as a name even if it is all digits (a bare number is an id).",
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Erase a client for good: the person and every record about them.

    Removes their sessions, goals and scores, actions, reflections, aliases,
    labels and search entries; replaces every mention of them in other entries
    (their name, each word of it, with or without accents, their aliases and
    e-mail) with "[erased]"; then wipes the removed text from the journal file
    itself. Backups and exports made before still hold them: delete those
    too. To keep their records but hide them, use 'client archive' instead.

    Example: coachlog client erase "Zoë Smith" --yes
    """
    from coachlog.core import privacy
    from coachlog.vocab import ClientName

    if by_name:
        client = ClientName(client)
    j = common.journal()
    if not yes:
        client_id, counts, mentions = privacy.preview_erase(j, client)
        what = f"Erasing client {client_id} removes {_describe(counts)}"
        if mentions:
            what += f", and replaces their name with [erased] in {_describe(mentions)} more"
        _confirm_or_refuse(what + ".", yes, "'coachlog client erase'")
    report = privacy.erase_client(j, client)
    if json_:
        common.print_json(report)
    else:
        common.say(f"Erased client {report['client_id']}: removed {_describe(report['removed'])}.")
        if report["mentions_erased"]:
            common.say(
                f"Replaced their name with [erased] in {_describe(report['mentions_erased'])}."
            )
        if report["still_mentioned"]:
            common.warn(
                "A word of their name that another client shares is still written in "
                f"{_describe(report['still_mentioned'])}; 'coachlog search' finds them to edit."
            )
    if not report["scrubbed"]:
        common.warn(_SCRUB_WARNING)


def purge(
    before: Annotated[
        str,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Remove entries dated before this day (YYYY-MM-DD); this day is kept.",
        ),
    ],
    keep_open: Annotated[
        bool,
        typer.Option(
            "--keep-open/--purge-open",
            help="Keep still-open actions of purged sessions (default), or purge them too.",
        ),
    ] = True,
    yes: YesFlag = False,
    json_: JsonFlag = False,
) -> None:
    """Delete old notes for good: sessions, reflections and goal scores before a date.

    Behaviour assessments ('coachlog profile') dated before it go too. For
    keeping coaching notes no longer than needed. Done actions agreed in a
    removed session go with it; open ones are kept unless --purge-open.
    Clients, goals, engagements and supervision records stay, but a goal whose
    first score is purged starts from its first score left, and purged sessions
    no longer count in an engagement's sessions held, the hours log or the
    supervision ratio: the preview names those goals and engagements.
    The removed text is wiped from the journal file itself. Back up first if
    you may need the notes again ('coachlog db backup FILE').

    Example: coachlog db purge --before 2024-01-01 --yes
    """
    from coachlog.core import privacy

    j = common.journal()
    if not yes:
        plan = privacy.preview_purge(j, before, keep_open=keep_open)
        _confirm_or_refuse(
            f"Purging entries dated before {plan['before']} removes "
            f"{_describe(plan['removed'])}.{_consequences(plan)}",
            yes,
            "'coachlog db purge'",
        )
    report = privacy.purge(j, before, keep_open=keep_open)
    if json_:
        common.print_json(report)
    else:
        common.say(
            f"Purged entries dated before {report['before']}: "
            f"removed {_describe(report['removed'])}.{_consequences(report)}"
        )
    if not report["scrubbed"]:
        common.warn(_SCRUB_WARNING)
