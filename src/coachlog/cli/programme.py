"""`coachlog programme report`: a coaching lead merges many coaches' outcome exports.

It needs no journal: it reads only the anonymous files `export outcomes` writes,
streaming them, and prints the report as a table, Markdown, JSON, an SVG chart
or an HTML page (the chart and the table).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag

app = typer.Typer(
    rich_markup_mode=None,
    help="Merge coaches' anonymous outcome exports into one programme report.",
    no_args_is_help=True,
)


class ReportFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    svg = "svg"


@app.command("report")
def report(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...", help="Outcome exports (or folders of them, read for *.json)."
        ),
    ],
    format_: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="text (default), md, html or svg; guessed from -o's extension.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (owner-only)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Per theme: engagements, mean before, end and follow-up, the mean change
    with a 95% confidence interval, and the share who improved.

    The same export given twice is counted once; a file that is not an outcome
    export, or is from a newer coachlog, is refused and named.

    Example: coachlog programme report exports/*.json --format html -o report.html
    """
    from coachlog.core import programme
    from coachlog.errors import InvalidInput

    chosen = format_
    named = common.output_format(
        output,
        ["md", "html", "svg"],
        None if format_ in (None, ReportFormat.text) else format_.value,
    )
    if chosen is None and named is not None:
        chosen = ReportFormat(named)
    if json_ and chosen not in (None, ReportFormat.text):
        raise InvalidInput("Use --json or --format, not both.")
    result = programme.report(files)
    for duplicate in result["duplicates"]:
        common.warn(f"{duplicate} is an export already counted; counted once.")
    if json_:
        common.print_json(result)
        return
    from coachlog.render import outcomes as render

    if chosen in (None, ReportFormat.text) and output is None:
        console = common.out()
        console.print(render.programme_view(result))
        return
    if chosen in (None, ReportFormat.text):
        raise InvalidInput(
            f"Cannot tell what to write to {output}.",
            hint="Add --format md, html or svg (or name the file .md, .html or .svg).",
        )
    if chosen is ReportFormat.md:
        text = render.programme_markdown(result)
    elif chosen is ReportFormat.svg:
        from coachlog.render.charts import programme_svg

        text = programme_svg(result)
    else:
        text = render.programme_html(result)
    if output is None or str(output) == "-":
        import sys

        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from coachlog.core.files import write_file

    written = write_file(output, text, force=force)
    from coachlog.render.charts import counted

    many = counted(result["engagements"], "engagement")
    common.say(f"Wrote the programme report ({many}) to {written}.")
