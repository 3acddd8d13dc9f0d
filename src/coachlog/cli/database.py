"""`coachlog db ...`: where the journal file is, what is in it, whether it is sound,
and a consistent copy of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from coachlog.cli import common
from coachlog.cli.options import JsonFlag
from coachlog.text import counted

app = typer.Typer(
    rich_markup_mode=None,
    help="Look after the journal file: status, checks, backup, purge and encryption.",
    no_args_is_help=True,
)


@app.command("path")
def path(json_: JsonFlag = False) -> None:
    """Print where the journal file is (from --db, COACHLOG_DB or the default).

    Example: coachlog db path
    """
    from coachlog.core import database

    found = database.journal_path(common.STATE.db)
    if json_:
        common.print_json({"path": str(found)})
    else:
        common.write_text(f"{found}\n")  # --json gives it exact, for scripts


@app.command("status")
def status(json_: JsonFlag = False) -> None:
    """Show the journal's schema version, how many records it holds, and its size.

    Example: coachlog db status
    """
    from coachlog.core import database

    with database.existing(common.STATE.db, common.passphrase_asker()) as j:
        info = database.status(j)
    if json_:
        common.print_json(info)
        return
    from coachlog.render.tables import key_values

    counts = ", ".join(f"{n} {name}" for name, n in info.counts.items())
    common.out().print(
        key_values(
            [
                ("Journal", Path(info.path)),
                ("Schema version", info.schema_version),
                ("Records", counts),
                ("Size", _size(info.size_bytes)),
                ("Owner-only", "yes" if info.owner_only else "no: others can read it"),
                ("Encrypted", _encrypted(info)),
            ]
        )
    )


def _encrypted(info: Any) -> str:
    if not info.encrypted:
        return "no (coachlog db encrypt turns it on)"
    how = {
        "session": "COACHLOG_SESSION (coachlog unlock)",
        "passphrase": "COACHLOG_PASSPHRASE",
        "prompt": "the passphrase, asked",
    }.get(info.unlocked_by, str(info.unlocked_by))
    return f"yes, unlocked by {how}; key file {info.key_file}"


def _size(size: int, exact: bool = True) -> str:
    if size < 10_000:
        return f"{size} bytes"
    rounded = f"{size / 1000:.0f} kB" if size < 10_000_000 else f"{size / 1_000_000:.1f} MB"
    return f"{rounded} ({size} bytes)" if exact else rounded


@app.command("check")
def check(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Rebuild the search index or the progress summaries if they are damaged "
            "or out of step, and put pseudonyms and their counter back in range.",
        ),
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Check the journal for damage. Exits 1 and says what to do if anything is wrong.

    Example: coachlog db check
    """
    from coachlog.core import database

    report = database.check(common.STATE.db, repair=repair, ask=common.passphrase_asker())
    if json_:
        common.print_json(report)
    if report.repaired:
        common.say(
            "Repaired what coachlog can mend (search index, progress summaries, pseudonyms)."
        )
    if report.ok:
        if not json_:
            common.say(f"No problems found in {report.path}.")
        return
    count = len(report.problems)
    common.print_error(f"The journal has {counted(count, 'problem')}.")
    if not json_:
        for problem in report.problems:
            common.say(f"- {problem.check}: {problem.message}")
    kinds = {p.check for p in report.problems}
    if kinds <= {"search-index", "summaries", "pseudonyms"}:
        common.say("Run 'coachlog db check --repair' to mend it.")
    elif kinds == {"open"}:
        common.say(
            "Check that --db or COACHLOG_DB names your journal ('coachlog db path'). If it "
            "does, keep the file and put your last 'db backup' copy in its place."
        )
    else:
        common.say(
            "Keep a copy of the file as it is, then put your last 'db backup' copy in its "
            "place, or import your last export ('coachlog import FILE')."
        )
    raise typer.Exit(1)


_OTHER_FORMATS = frozenset(
    {".json", ".csv", ".md", ".html", ".htm", ".txt", ".svg", ".pdf", ".zip", ".xlsx"}
)


@app.command("backup")
def backup(
    file: Annotated[str, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Copy the journal to FILE, safely even while coachlog is in use (owner-only file).

    Example: coachlog db backup ~/coachlog-copy.db
    """
    from pathlib import PurePath

    from coachlog.core import database
    from coachlog.errors import InvalidInput

    suffix = PurePath(file).suffix.lower()
    if suffix in _OTHER_FORMATS:
        # A SQLite copy named like a document would be taken for one (a .json
        # looks like the backup `import` reads, and `import` refuses it).
        raise InvalidInput(
            f"{PurePath(file).name}: 'db backup' writes a copy of the SQLite journal, "
            f"not a {suffix} file.",
            hint="Name it .db (or no extension), or use 'coachlog export backup -o FILE.json' "
            "for the JSON backup.",
        )
    with database.existing(common.STATE.db, common.passphrase_asker()) as j:
        done = database.backup(j, file, force=force)
    if json_:
        common.print_json(done)
    else:
        common.say(
            f"Backed up {done.source} to {done.path} ({_size(done.size_bytes, exact=False)})."
        )
        if done.key_file:
            common.say(f"The copy is encrypted; its key file {done.key_file} goes with it.")


# `purge` lives with the other privacy commands; it is attached here so the
# group is complete whenever it is built.
from coachlog.cli.privacy import purge  # noqa: E402

app.command("purge")(purge)

from coachlog.cli.encryption import register_db  # noqa: E402

register_db(app)
