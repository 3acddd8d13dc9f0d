"""`coachlog progress` and `coachlog prep`: change over time, and the brief before a session."""

from __future__ import annotations

from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import ClientOpt, JsonFlag, SinceOpt, UntilOpt

FORMATS = ("text", "svg", "html")

MeFlag = Annotated[
    bool,
    typer.Option("--me", help="Only your own goals, reflections and actions (no client)."),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="text|svg|html",
        help="text (the default) in the terminal; svg or html to save a picture or page.",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write the svg or html to FILE (owner-only)."
    ),
]
ForceFlag = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]
NamesFlag = Annotated[
    bool,
    typer.Option(
        "--names",
        help="Put the client's real name in an SVG/HTML file (their pseudonym by default).",
    ),
]


def _choose_format(fmt: str | None, output: str | None, json_: bool) -> str:
    from coachlog.errors import InvalidInput

    given = fmt.strip().lower() if fmt is not None else None
    named = common.output_format(output, ["svg", "html"], None if given == "text" else given)
    if fmt is None:
        fmt = named or "text"
        if output and fmt == "text":
            raise InvalidInput(
                f"Cannot tell what to write to {output}.",
                hint="Add --format svg or --format html (or name the file .svg or .html).",
            )
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"--format '{fmt}' is not one of: {', '.join(FORMATS)}.")
    if fmt == "text" and output:
        raise InvalidInput(
            "-o writes a picture or page, not text.",
            hint="Use --format svg or --format html with -o.",
        )
    if json_ and fmt != "text":
        raise InvalidInput(
            "Use --json or --format, not both.",
            hint="--json prints data; --format svg|html makes a picture or page.",
        )
    return fmt


def progress(
    client: ClientOpt = None,
    me: MeFlag = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceFlag = False,
    names: NamesFlag = False,
    json_: JsonFlag = False,
) -> None:
    """Show progress on the six IES impact themes.

    For each theme: sessions, reflections and goals (open/done) tagged with it, the
    goals' mean starting and latest score on the 0-10 scale with the change, and a
    month-by-month trend. Then which of the 13 behaviour cards have been explored,
    and how many agreed actions got done. With --client or --me, the outcome
    check-ins of the latest engagement: before, end, follow-up and the changes.
    --format svg|html draws charts (start -> now, before -> end -> follow-up,
    the monthly trend) for an appraisal or a board paper. Without --client or --me it covers the
    whole journal. Like every export, a file names a client by their pseudonym
    ("Client A") unless --names is given.
    Save it for an appraisal with: --format svg -o progress.svg

    Example: coachlog progress --client "Ann Smith" --since 2026-01
    """
    from coachlog.core import progress as core

    chosen = _choose_format(fmt, output, json_)
    report = core.progress(common.journal(), client=client, me=me, since=since, until=until)
    if json_:
        common.print_json(report)
        return

    from coachlog.render.progress import progress_view

    if chosen == "text":
        console = common.out()
        console.print(progress_view(report, console.width))
        return
    from coachlog.render.charts import progress_html, progress_svg

    if client is not None and not names:
        # A file leaves the terminal: anonymised by default, like every export.
        from coachlog.core.clients import resolve

        found = resolve(common.journal(), client)
        report["client"] = found.pseudonym or f"Client #{found.id}"
    body = progress_svg(report) if chosen == "svg" else progress_html(report)
    if output is None:
        common.write_text(body)
        return
    from coachlog.core.files import write_file

    path = write_file(output, body, force=force)
    common.say(f"Wrote {path}.")


def prep(
    client: Annotated[str, typer.Argument(metavar="CLIENT", help="Client id or exact name.")],
    json_: JsonFlag = False,
) -> None:
    """A one-screen brief before your next session with CLIENT.

    The last session (date, themes, the start of its notes), open and overdue
    actions, goal scores and the client's reflections since then, and a behaviour
    card they have not explored yet.

    Example: coachlog prep "Ann Smith"
    """
    from coachlog.core import progress as core

    brief = core.prep(common.journal(), client)
    if json_:
        common.print_json(brief)
        return
    from coachlog.render.progress import prep_view

    console = common.out()
    console.print(prep_view(brief, console.width))


def register(root: typer.Typer) -> None:
    root.command("progress")(progress)
    root.command("prep")(prep)
