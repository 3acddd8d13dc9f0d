"""`coachlog export ...` and `coachlog import`: the journal leaving and coming back.

Exports go to stdout unless `-o FILE` is given; then the file is written
atomically, owner-only, and never replaces an existing file without `--force`.
Documents (JSON, CSV, Markdown, HTML) are written straight to the stream, never
through Rich, so they are byte-for-byte what the renderer made. Anything that
weakens anonymisation (`--names`, `--private`) says so on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from coachlog.cli import common
from coachlog.cli.options import ClientOpt, JsonFlag, SinceOpt, UntilOpt

if TYPE_CHECKING:
    from coachlog.core.backup import ImportReport
    from coachlog.errors import InvalidInput

export_app = typer.Typer(
    rich_markup_mode=None,
    help="Export a supervision pack, an hours log, a full backup or anonymous outcomes.",
    no_args_is_help=True,
)


class PackFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class HoursFormat(StrEnum):
    csv = "csv"
    md = "md"
    json = "json"


class ImportSource(StrEnum):
    coachlog = "coachlog"
    jrnl = "jrnl"


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (owner-only, atomically) instead of stdout; '-' is stdout.",
    ),
]
# Long only: -f is --format (progress), and replacing a file should be typed out.
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")]


def _emit(text: str, output: Path | None, force: bool, what: str, exact: bool = False) -> None:
    """Print a document to stdout, or write it to `output` atomically.

    On stdout a document for reading (Markdown, HTML) has terminal controls made
    visible; JSON and CSV (`exact`, read by programs, CSV's lines end in CR LF)
    keep every character, as files always do.
    """
    if output is None or str(output) == "-":
        if exact:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            common.write_text(text)
        return
    from coachlog.core.files import write_file

    written = write_file(output, text, force=force)
    common.say(f"Wrote {what} to {written}.")


def _format_from(output: Path | None, given: Any, choices: type[StrEnum], default: Any) -> Any:
    """--format if given, else guessed from -o's extension, else the default.

    The extension is checked by `common.output_format`: one this command does
    not write, or one that disagrees with --format, is refused.
    """
    named = common.output_format(
        output, list(choices.__members__), None if given is None else given.value
    )
    if named is None:
        return given if given is not None else default
    return choices(named)


class BackupFormat(StrEnum):
    json = "json"


# ---------------------------------------------------------------- export


@export_app.command("supervision")
def export_supervision(
    since: SinceOpt = None,
    until: UntilOpt = None,
    client: ClientOpt = None,
    format_: Annotated[
        PackFormat | None,
        typer.Option(
            "--format",
            help="md (default), html (one page that prints well) or json. "
            "Guessed from -o's extension when not given.",
            case_sensitive=False,
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    names: Annotated[
        bool,
        typer.Option("--names", help="Show clients' real names and leave names in the text."),
    ] = False,
    private: Annotated[
        bool, typer.Option("--private", help="Include your private session notes.")
    ] = False,
    question: Annotated[
        list[str] | None,
        typer.Option(
            "--question",
            "-q",
            metavar="TEXT",
            help="A question you bring to supervision (repeatable).",
        ),
    ] = None,
    profile: Annotated[
        bool,
        typer.Option(
            "--profile",
            help="Add each client's latest behaviour profile up to --until (and yours, "
            "without --client).",
        ),
    ] = False,
) -> None:
    """Make a supervision pack: totals, each client's sessions, your reflections.

    Anonymised by default: each client appears as "Client A", "Client B"... (the
    same letter in every pack), their names and e-mail addresses are taken out of
    every note, and private notes are left out. --profile adds behaviour profiles
    (scores only, under the same pseudonyms).

    Example: coachlog export supervision --since 2026-01-01 --profile -o pack.html
    """
    from coachlog.core import exports
    from coachlog.render import exports as render

    chosen = _format_from(output, format_, PackFormat, PackFormat.md)
    # Written as it is made, a batch of clients at a time, so a year of a large
    # practice is never in memory whole (rows, scrubbed copies, text): the totals
    # and any refusal come first, then each part goes straight to the file or stdout.
    pack = exports.supervision_pack_stream(
        common.journal(),
        since=since,
        until=until,
        client=client,
        names=names,
        private=private,
        questions=question or [],
        profile=profile,
    )
    if names:
        common.warn("--names: clients are named in this pack. Share it only with their consent.")
    if private:
        common.warn("--private: your private notes are in this pack. Keep it to yourself.")
    if chosen is PackFormat.html:
        parts = render.pack_html_parts(pack)
    elif chosen is PackFormat.json:
        parts = render.json_parts(pack)
    else:
        parts = render.pack_markdown_parts(pack)
    totals = pack["totals"]
    what = (
        "the supervision pack"
        f" ({_count(totals['sessions'], 'sessions')}, {_count(totals['clients'], 'clients')})"
    )
    if output is None or str(output) == "-":
        from coachlog.text import for_terminal

        # As `_emit` does: a document for reading has terminal controls made visible;
        # JSON keeps every character.
        show = (lambda part: part) if chosen is PackFormat.json else for_terminal
        for part in parts:
            sys.stdout.write(show(part))
        sys.stdout.flush()
        return
    from coachlog.core.files import write_stream

    written = write_stream(output, parts, force=force)
    common.say(f"Wrote {what} to {written}.")


@export_app.command("hours")
def export_hours(
    since: SinceOpt = None,
    until: UntilOpt = None,
    format_: Annotated[
        HoursFormat | None,
        typer.Option(
            "--format",
            help="csv (default), md or json. Guessed from -o's extension when not given.",
            case_sensitive=False,
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export your coaching hours log for accreditation (ICF/EMCC style).

    CSV: one row per session (date, client, relationship, minutes, hours,
    individual/group/team, paid or pro bono) and nothing else, so a spreadsheet
    adds it up; the totals and your supervision ratio are printed on stderr. md
    and json carry the totals too. A client is named only if they agreed (client
    add/edit --named-consent); otherwise they appear as "Client A".

    Example: coachlog export hours --since 2026-01 -o hours.csv
    """
    from coachlog.core import exports
    from coachlog.render import exports as render

    chosen = _format_from(output, format_, HoursFormat, HoursFormat.csv)
    log = exports.hours_log(common.journal(), since=since, until=until)
    if chosen is HoursFormat.md:
        text = render.hours_markdown(log)
    elif chosen is HoursFormat.json:
        text = render.json_text(log)
    else:
        text = render.hours_csv(log)
    t = log["totals"]
    _emit(
        text,
        output,
        force,
        f"the hours log ({_count(t['sessions'], 'sessions')}, {t['hours']:g} h)",
        exact=chosen is not HoursFormat.md,
    )
    if chosen is HoursFormat.csv:
        # The CSV holds sessions only, so a spreadsheet's SUM is right; the totals
        # and the ratio are shown here instead (and are in --format md and json).
        for line in render.hours_summary(log):
            common.say(line)


@export_app.command("backup")
def export_backup(
    output: OutputOpt = None,
    force: ForceOpt = False,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt the file with the journal's passphrase (a plain journal's "
            "backup: a passphrase of its own, from COACHLOG_PASSPHRASE or asked).",
        ),
    ] = False,
) -> None:
    """Export the whole journal as one JSON file that 'coachlog import' reads back.

    It holds everything, names and private notes included, as plain text unless
    --encrypt is given; then 'coachlog import' asks for the passphrase.

    Example: coachlog export backup --encrypt -o journal-backup.json
    """
    from coachlog.core import backup

    _format_from(output, None, BackupFormat, BackupFormat.json)
    j = common.journal()
    passphrase = None
    if encrypt:
        from coachlog.core.encryption import require_extra

        require_extra()
        if not j.encrypted:
            from coachlog.cli.encryption import ENV_PASSPHRASE, secret

            passphrase = secret(ENV_PASSPHRASE, "Passphrase for the backup", twice=True)
    text = backup.export_backup(j, encrypt=encrypt, passphrase=passphrase)
    _emit(text, output, force, "the encrypted backup" if encrypt else "the backup", exact=True)
    if encrypt:
        return
    if j.encrypted:
        common.warn(
            "this backup is plain text, unlike your encrypted journal: anyone with the "
            "file can read it. Add --encrypt to encrypt it with the journal's passphrase."
        )
    elif output is not None and str(output) != "-":
        common.say(
            "It holds names and private notes in full, as plain text: keep it as safe as "
            "the journal (or add --encrypt)."
        )


# ---------------------------------------------------------------- import


# Far above any real journal's backup (thousands of sessions come to a few MB),
# low enough that reading it cannot exhaust a laptop's memory.
IMPORT_MAX_BYTES = 256 * 2**20


# What a jrnl import reads at a time: the export is parsed as it comes.
IMPORT_CHUNK_BYTES = 256 * 2**10


def _too_large(origin: str) -> InvalidInput:
    from coachlog.errors import InvalidInput

    # /dev/zero, a runaway pipe, or a file far larger than any journal's backup.
    return InvalidInput(
        f"{origin} is larger than {IMPORT_MAX_BYTES // 2**20} MB, too large to be a "
        "coachlog backup or jrnl export.",
        hint="Nothing was imported.",
    )


def _not_utf8(origin: str) -> InvalidInput:
    from coachlog.errors import InvalidInput

    return InvalidInput(
        f"{origin} is not UTF-8 text, so it is not a coachlog backup or jrnl export.",
        hint="Nothing was imported.",
    )


def _cut_in_a_character(origin: str) -> InvalidInput:
    from coachlog.errors import InvalidInput

    # Half a UTF-8 character at the very end: a file cut short, not a foreign one.
    return InvalidInput(
        f"{origin} cannot be read: it ends too soon (cut short or truncated?), in the "
        "middle of a character.",
        hint="Nothing was imported. Check it is the whole file, as it was exported.",
    )


def _undecodable(origin: str, exc: UnicodeDecodeError, at_end: bool) -> InvalidInput:
    if at_end and exc.reason == "unexpected end of data":
        return _cut_in_a_character(origin)
    return _not_utf8(origin)


def _unreadable(file: Path, exc: OSError) -> InvalidInput:
    from coachlog.errors import InvalidInput

    return InvalidInput(f"{file} cannot be read ({exc.strerror or type(exc).__name__}).")


def _file(path: str) -> Path:
    """FILE checked to be a file that is there."""
    from coachlog.errors import InvalidInput, NotFound

    file = Path(path).expanduser()
    if not file.exists():
        raise NotFound(f"There is no file {file}.", hint="Check the path and try again.")
    if file.is_dir():
        raise InvalidInput(f"{file} is a folder, not a file.")
    return file


def _read(path: str) -> tuple[str, str]:
    """(text, how to name it in messages) of FILE, or of stdin for '-'."""
    if path == "-":
        data = sys.stdin.buffer.read(IMPORT_MAX_BYTES + 1)
        origin = "The input"
    else:
        file = _file(path)
        origin = f"The file {file.name}"
        try:
            with file.open("rb") as handle:
                data = handle.read(IMPORT_MAX_BYTES + 1)
        except OSError as exc:
            raise _unreadable(file, exc) from None
    if len(data) > IMPORT_MAX_BYTES:
        raise _too_large(origin)
    try:
        return data.decode("utf-8-sig"), origin
    except UnicodeDecodeError as exc:
        raise _undecodable(origin, exc, at_end=exc.end == len(data)) from None


@contextmanager
def _opened(path: str) -> Iterator[tuple[Iterator[str], str]]:
    """(FILE's text as it is read, in chunks; how to name it), or stdin's for '-'.

    Refuses what `_read` refuses, with the same sentences: a file too large
    before reading it, a stream too large or not UTF-8 as soon as it shows.
    """
    if path == "-":
        yield _chunks(sys.stdin.buffer, "The input", None), "The input"
        return
    file = _file(path)
    origin = f"The file {file.name}"
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise _unreadable(file, exc) from None
    with handle:
        if file.stat().st_size > IMPORT_MAX_BYTES:
            raise _too_large(origin)
        yield _chunks(handle, origin, file), origin


def _chunks(handle: BinaryIO, origin: str, file: Path | None) -> Iterator[str]:
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    size = 0

    def read() -> bytes:
        nonlocal size
        try:
            data = handle.read(IMPORT_CHUNK_BYTES)
        except OSError as exc:
            if file is None:
                raise
            raise _unreadable(file, exc) from None
        size += len(data)
        if size > IMPORT_MAX_BYTES:
            raise _too_large(origin)
        return data

    while True:
        data = read()
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            while read():  # too large is said first, as when it was read whole
                pass
            raise _undecodable(origin, exc, at_end=not data) from None
        if text:
            yield text
        if not data:
            return


# What each section of an import report counts, in the singular (text.counted adds
# the "s"; "name on the redact list" and "session shared by your coach" say theirs).
_WORDS = {
    "clients": ("client", None),
    "sessions": ("session", None),
    "goals": ("goal", None),
    "goal_scores": ("goal score", None),
    "actions": ("action", None),
    "reflections": ("reflection", None),
    "supervision": ("supervision session", None),
    "decks": ("deck", None),
    "engagements": ("engagement", None),
    "outcomes": ("outcome check-in", None),
    "redactions": ("name on the redact list", "names on the redact list"),
    "assessments": ("behaviour assessment", None),
    "shared_sessions": ("session shared by your coach", "sessions shared by your coach"),
}


def _count(n: int, kind: str) -> str:
    from coachlog.text import counted

    one, many = _WORDS.get(kind, (kind.replace("_", " ").removesuffix("s"), None))
    return counted(n, one, many)


def _summary(report: ImportReport) -> str:
    added = {k: v for k, v in report["added"].items() if v}
    skipped = sum(report["skipped"].values())
    words = ", ".join(_count(n, k) for k, n in added.items()) or "nothing new"
    line = f"Imported {words}."
    if skipped:
        line += f" Skipped {skipped:,} already in this journal."
    return line


def register(root: typer.Typer) -> None:
    from coachlog.cli.outcomes import export_outcomes

    export_app.command("outcomes")(export_outcomes)
    root.add_typer(export_app, name="export")

    @root.command("import")
    def import_(
        file: Annotated[
            str, typer.Argument(metavar="FILE", help="The file to import; '-' reads stdin.")
        ],
        from_: Annotated[
            ImportSource,
            typer.Option(
                "--from",
                help="coachlog (a backup from 'export backup', the default) or jrnl "
                "(a 'jrnl --format json' export).",
                case_sensitive=False,
            ),
        ] = ImportSource.coachlog,
        from_other_journal: Annotated[
            bool,
            typer.Option(
                "--from-other-journal",
                help="Merge a backup of a different journal (asked in a terminal, "
                "refused in a script without this).",
            ),
        ] = False,
        json_: JsonFlag = False,
    ) -> None:
        """Import a coachlog backup, or a jrnl journal as reflections.

        All or nothing: a damaged file changes nothing. Records already in this
        journal are skipped, so importing the same file twice adds nothing twice.

        Example: coachlog import coachlog-backup.json
        """
        report: ImportReport
        if from_ is ImportSource.jrnl:
            from itertools import chain, islice

            from coachlog.core import jrnl

            with _opened(file) as (chunks, origin):
                # The first chunk before the journal: a photo is refused at once.
                start = list(islice(chunks, 1))
                j = common.journal()
                report = _with_progress(
                    lambda tick: jrnl.import_jrnl(j, chain(start, chunks), origin, tick)
                )
        else:
            text, origin = _read(file)
            j = common.journal()
            from coachlog.core import backup

            if backup.is_encrypted_backup(text):
                from coachlog.cli.encryption import ENV_PASSPHRASE, secret
                from coachlog.core.encryption import require_extra

                require_extra()
                given = secret(ENV_PASSPHRASE, "Passphrase for the backup")
                text = backup.open_encrypted_backup(text, given, origin)
            try:
                report = backup.import_backup(
                    j, text, origin, from_other_journal=from_other_journal
                )
            except backup.OtherJournal as exc:
                if not common.interactive():
                    raise
                from coachlog.cli.prompts import get_prompter

                common.warn(exc.message.replace("; nothing was imported.", "."))
                common.say("To pass records to someone, 'coachlog share' is made for that.")
                if not get_prompter().confirm("Merge all of it into this journal?", default=False):
                    from coachlog.errors import Cancelled

                    raise Cancelled() from None
                report = backup.import_backup(j, text, origin, from_other_journal=True)
        if json_:
            common.print_json(report)
        else:
            common.say(_summary(report))


def _with_progress(run: Any) -> Any:
    """Run `run(tick)` with a progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return run(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)

        def tick(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        return run(tick)
