"""`coachlog profile ...`: a behaviour profile on the cards of a deck.

`profile rate` records a self-assessment, 0-10 for every behaviour (asked one card
at a time in a terminal, through cli/flows.py; given as `--card KEY=N` flags in a
script). Bare `profile` shows the latest assessment by theme with what moved
since the previous and the first one, and the strengths and areas to develop;
`--format svg|html` draws it to a file. `history`, `edit` and `delete` see and
correct assessments. Without `--client` every command means your own profile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_client, complete_deck
from coachlog.cli.options import JsonFlag, NewestLimitOpt
from coachlog.cli.progress import FormatOpt, OutputOpt, _choose_format
from coachlog.text import counted

if TYPE_CHECKING:
    from coachlog.models import Assessment

# The group's help is `show`'s docstring, so `profile --help` has its example too.
app = typer.Typer(rich_markup_mode=None, invoke_without_command=True)

ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        "-c",
        metavar="CLIENT",
        help="A client's profile (default: your own).",
        autocompletion=complete_client,
    ),
]
MeFlag = Annotated[bool, typer.Option("--me", help="Your own profile (the default).")]
DeckOpt = Annotated[
    str | None,
    typer.Option(
        "--deck",
        metavar="NAME",
        help="Rate or show another deck (default: the shipped one, or the one rated last).",
        autocompletion=complete_deck,
    ),
]
CardScoreOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--card",
        metavar="KEY=N",
        help="A card's score from 0 to 10, e.g. --card resilience=6 (repeatable).",
    ),
]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="The day of the assessment (default today)."),
]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The assessment's id.")]
ForceFlag = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]


@app.callback()
def show(
    ctx: typer.Context,
    client: ClientOpt = None,
    me: MeFlag = False,
    deck: DeckOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceFlag = False,
    json_: JsonFlag = False,
) -> None:
    """Rate yourself 0-10 on each behaviour card and see your strengths and what to develop.

    On its own, shows the latest assessment by theme: each behaviour's score, the
    change since the previous and since the first assessment, and the three
    strengths and three areas to develop. --format svg|html draws it as a chart
    for an appraisal or a coaching session.

    Example: coachlog profile --client Sam --format svg -o sam.svg
    """
    if ctx.invoked_subcommand is not None:
        return
    from coachlog.core import profile as core

    chosen = _choose_format(fmt, output, json_)
    j = common.journal()
    found = core.profile(j, client, me=me, deck=deck)
    if json_:
        common.print_json(found)
        return
    if found.assessments == 0:
        who = f" --client {client}" if client else ""
        start = f"Rate each behaviour 0-10 with: coachlog profile rate{who}"
        if chosen != "text":
            # A chart was asked for: `profile -o sam.svg && open sam.svg` must not pass.
            from coachlog.errors import NotFound

            raise NotFound("No behaviour profile yet, so there is nothing to draw.", hint=start)
        common.say(f"No behaviour profile yet. {start}")
        return
    if chosen == "text":
        from coachlog.render.profile import profile_view

        common.out().print(profile_view(found, ties=core.ties_decided(found)))
        return
    from coachlog.render.profile import profile_html, profile_svg

    body = profile_svg(found) if chosen == "svg" else profile_html(found)
    if output is None:
        common.write_text(body)
        return
    from coachlog.core.files import write_file

    path = write_file(output, body, force=force)
    common.say(f"Wrote {path}.")


@app.command("rate")
def rate(
    client: ClientOpt = None,
    me: MeFlag = False,
    on: OnOpt = None,
    deck: DeckOpt = None,
    card: CardScoreOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Rate each behaviour of the deck from 0 (not at all like me) to 10 (exactly like me).

    In a terminal each card not given is shown with its description and what it
    looks like when it is there and when it is missing, and asked one at a time;
    Ctrl-C saves nothing. In a script every card of the deck must be given once.

    Example: coachlog profile rate --card authenticity=7 --card mindset=5 ... (all 13)
    """
    from coachlog.core import cards, profile

    j = common.journal()
    scores = profile.parse_card_scores(card or [])
    chosen = cards.get_deck(j, deck)
    if common.interactive():
        scores = profile.check_scores(chosen, scores)
        if any(c.key not in scores for c in chosen.cards):
            from coachlog.cli.flows import profile_rate_flow

            _, name = profile.who(j, client, me)
            found = profile.history(j, client, me=me)
            last = next((a for a in reversed(found) if a.deck == chosen.name), None)
            scores = profile_rate_flow(j, chosen, scores, last=last, who=name)
    saved = profile.rate(j, client, me=me, scores=scores, on=on, deck=deck)
    if json_:
        common.print_json(saved)
        return
    common.say(
        f"Saved assessment {saved.id} ({saved.client or 'you'}, {saved.on}, "
        f"{counted(len(saved.scores), 'behaviour')}). "
        "See it with: coachlog profile"
        + (f" --client {saved.client_id}" if saved.client_id else "")
    )


@app.command("history")
def history(
    client: ClientOpt = None,
    me: MeFlag = False,
    everyone: Annotated[
        bool, typer.Option("--all", help="Every person's assessments, not only one person's.")
    ] = False,
    limit: NewestLimitOpt = 20,
    json_: JsonFlag = False,
) -> None:
    """List assessments with their ids, oldest first (the 20 newest unless --limit).

    Example: coachlog profile history --client "Sam Patel"
    """
    from coachlog.core import profile

    everything = profile.history(common.journal(), client, me=me, everyone=everyone)
    found, more = common.paged(everything, limit, newest="last")
    if json_:
        common.print_json(found)
        if more:
            common.more_exist(f"the {limit} newest")
        return
    if not found:
        common.say("No assessments yet: coachlog profile rate")
        return
    from coachlog.render.profile import history_table

    common.out().print(history_table(found))
    if more:
        common.more_exist(f"the {limit} newest")


@app.command("edit")
def edit(
    assessment_id: IdArg,
    card: CardScoreOpt = None,
    on: OnOpt = None,
    json_: JsonFlag = False,
) -> None:
    """Correct an assessment: only the cards given (--card KEY=N) and/or its date change.

    Example: coachlog profile edit 3 --card resilience=6 --on 2026-11-02
    """
    from coachlog.core import profile

    scores = profile.parse_card_scores(card or [])
    changed = profile.edit(common.journal(), assessment_id, scores=scores or None, on=on)
    if json_:
        common.print_json(changed)
        return
    common.say(f"Updated assessment {changed.id} ({changed.client or 'you'}, {changed.on}).")


@app.command("delete")
def delete(
    assessment_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete an assessment made by mistake.

    Example: coachlog profile delete 3 --yes
    """
    from coachlog.core import profile

    j = common.journal()
    found: Assessment = profile.get(j, assessment_id)
    common.confirm(
        f"Delete assessment {found.id} ({found.client or 'you'}, {found.on})?",
        yes=yes,
        refusal=f"Deleting assessment {assessment_id} needs --yes.",
        hint=f"Run 'coachlog profile delete {assessment_id} --yes'.",
    )
    deleted = profile.delete(j, assessment_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted assessment {deleted.id} ({deleted.client or 'you'}, {deleted.on}).")
