"""`coachlog outcome ...` and `coachlog export outcomes`: outcome check-ins on the six themes.

`outcome record` takes the coachee's 0-10 self-ratings as flags, or in a terminal
asks one plain question per theme not given (cli/prompts.py). `outcome list` and
`outcome delete` let a wrong check-in be seen and put right. `export outcomes`
writes the anonymous file a coaching lead merges with `programme report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coachlog.cli import common
from coachlog.cli.completion import complete_client
from coachlog.cli.options import JsonFlag, NewestLimitOpt, SinceOpt
from coachlog.text import counted
from coachlog.vocab import OutcomeStage

if TYPE_CHECKING:
    from coachlog.models import Outcome

app = typer.Typer(
    rich_markup_mode=None,
    help="Record outcome check-ins on the six themes: before, at the end, six months on.",
    no_args_is_help=True,
)

ClientArg = Annotated[
    str | None,
    typer.Argument(
        metavar="CLIENT",
        help="Client id or exact name (or --me in your own journal).",
        autocompletion=complete_client,
    ),
]
MeFlag = Annotated[bool, typer.Option("--me", help="Your own check-in, as the coachee.")]


def _score_opt(theme: str) -> object:
    return typer.Option(
        f"--{theme}", metavar="0-10", min=0, max=10, help=f"Self-rating for '{theme}'."
    )


def _ask(stage: OutcomeStage | None, scores: dict[str, int | None]) -> OutcomeStage:
    """In a terminal: the stage if not given, then one question per theme not given."""
    from coachlog.cli.prompts import Option, get_prompter, integer_validator
    from coachlog.core.outcomes import QUESTIONS, SCALE

    prompter = get_prompter()
    if stage is None:
        stage = prompter.select(
            "Which check-in is this?",
            [
                Option("before coaching", OutcomeStage.before),
                Option("at the end of the engagement", OutcomeStage.end),
                Option("follow-up, six months after the end", OutcomeStage.follow_up),
            ],
        )
    for key, value in scores.items():
        if value is not None:
            continue
        answer = prompter.text(
            QUESTIONS[key],
            validate=integer_validator(0, 10, "score", optional=True),
            instruction=f"({SCALE}; blank to skip)",
        )
        scores[key] = int(answer) if answer.strip() else None
    return stage


@app.command("record")
def record(
    client: ClientArg = None,
    me: MeFlag = False,
    stage: Annotated[
        OutcomeStage | None,
        typer.Option("--stage", case_sensitive=False, help="before, end or follow-up."),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="When it was rated (default today)."),
    ] = None,
    strategic: Annotated[int | None, _score_opt("strategic")] = None,
    prioritisation: Annotated[int | None, _score_opt("prioritisation")] = None,
    confidence: Annotated[int | None, _score_opt("confidence")] = None,
    influence: Annotated[int | None, _score_opt("influence")] = None,
    team: Annotated[int | None, _score_opt("team")] = None,
    self_presentation: Annotated[int | None, _score_opt("self-presentation")] = None,
    engagement: Annotated[
        int | None,
        typer.Option(
            "--engagement", metavar="ID", help="The engagement (default: open, else latest)."
        ),
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Record the coachee's 0-10 self-ratings on the six IES themes at one stage.

    It belongs to CLIENT's open engagement, else their latest (or --engagement).
    In a terminal every theme not given is asked, one plain question each; a
    theme left out is recorded as not rated.

    Example: coachlog outcome record "Ann Smith" --stage before --strategic 4
    --prioritisation 5 --confidence 3 --influence 4 --team 6 --self-presentation 5
    """
    from coachlog.core import outcomes

    scores = {
        "strategic": strategic,
        "prioritisation": prioritisation,
        "confidence": confidence,
        "influence": influence,
        "team": team,
        "self-presentation": self_presentation,
    }
    if (stage is None or None in scores.values()) and common.interactive():
        stage = _ask(stage, scores)
    common.require(**{"--stage": stage})
    found = outcomes.record(
        common.journal(), client, me=me, stage=stage, scores=scores, on=on, engagement=engagement
    )
    if json_:
        common.print_json(found)
        return
    skipped = [k for k, v in found.scores.items() if v is None]
    common.say(
        f"Recorded outcome {found.id}: the '{found.stage.value}' check-in of engagement "
        f"{found.engagement_id} ({found.client or 'you'}), {found.on}."
    )
    if skipped:
        common.warn("not rated: " + ", ".join(skipped) + ".")


@app.command("list")
def list_(
    client: ClientArg = None,
    me: MeFlag = False,
    limit: NewestLimitOpt = 20,
    json_: JsonFlag = False,
) -> None:
    """List outcome check-ins with their scores, oldest engagement first (the 20 newest
    unless --limit).

    Example: coachlog outcome list "Ann Smith"
    """
    from coachlog.core import outcomes

    everything = outcomes.list_outcomes(common.journal(), client, me=me)
    found, more = common.paged(everything, limit, newest="last")
    if json_:
        common.print_json(found)
        if more:
            common.more_exist(f"the {limit} newest")
        return
    if not found:
        common.say("No outcome check-ins yet: coachlog outcome record CLIENT --stage before ...")
        return
    from coachlog.render.outcomes import outcomes_list_table

    common.out().print(outcomes_list_table(found))
    if more:
        common.more_exist(f"the {limit} newest")


@app.command("delete")
def delete(
    outcome_id: Annotated[int, typer.Argument(metavar="ID", help="The check-in's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Delete an outcome check-in recorded by mistake (then record it again).

    Example: coachlog outcome delete 4 --yes
    """
    from coachlog.core import outcomes

    j = common.journal()
    found: Outcome = outcomes.get(j, outcome_id)
    common.confirm(
        f"Delete the '{found.stage.value}' check-in of {found.client or 'you'} ({found.on})?",
        yes=yes,
        refusal=f"Deleting outcome {outcome_id} needs --yes.",
        hint=f"Run 'coachlog outcome delete {outcome_id} --yes'.",
    )
    deleted = outcomes.delete(j, outcome_id)
    if json_:
        common.print_json(deleted)
    else:
        common.say(f"Deleted outcome {deleted.id} ('{deleted.stage.value}', {deleted.on}).")


def export_outcomes(
    since: SinceOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (owner-only) instead of stdout."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
) -> None:
    """Export outcomes anonymously for a programme report: one record per engagement.

    Each record holds the relationship type, sessions held and contracted, the
    months it started and ended, and the check-in scores: no names, notes,
    exact dates or ids. --since keeps engagements started from that date.
    The format is in docs/outcomes-export.md.

    Example: coachlog export outcomes -o outcomes-2026.json
    """
    import sys

    from coachlog.core import outcomes

    common.output_format(output, ["json"], None)
    text, count = outcomes.export_text(common.journal(), since)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from coachlog.core.files import write_file

    written = write_file(output, text, force=force)
    common.say(f"Wrote {counted(count, 'engagement')} to {written}.")
