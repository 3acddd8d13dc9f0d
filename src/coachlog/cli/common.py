"""What every command shares: the open journal, output streams, and the interactivity rule.

- `journal()` opens the journal once per run, lazily, from `--db`/$COACHLOG_DB;
  the root group closes it however the run ends.
- Output: `--json` goes to stdout through `print_json` (json.dumps straight to the
  stream, nothing else on stdout); human tables go to stdout through `out()`;
  messages, hints and warnings go to stderr through `say`, `warn`, `print_error`.
  User text is always printed as `rich.text.Text`, never as markup, so a note
  containing `[/bold]` prints as typed.
- `interactive()` is the single place that decides whether coachlog may prompt.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from coachlog.text import json_safe

if TYPE_CHECKING:
    from rich.console import Console

    from coachlog.store.db import Journal

T = TypeVar("T")


@dataclass
class State:
    """Per-run settings from the root options; reset at the start of every run."""

    db: str | None = None
    no_input: bool = False
    _journal: Journal | None = field(default=None, repr=False)

    def reset(self, db: str | None, no_input: bool) -> None:
        self.close()
        self.db = db
        self.no_input = no_input

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None


STATE = State()


def journal() -> Journal:
    """The journal for this run, opened (and created, migrated) on first use."""
    if STATE._journal is None:
        from coachlog.store.db import open_journal

        STATE._journal = open_journal(STATE.db, ask=passphrase_asker())
    return STATE._journal


def passphrase_asker() -> Callable[[str], str] | None:
    """How to ask for an encrypted journal's passphrase: a hidden prompt in a terminal,
    else None (the store then asks for COACHLOG_PASSPHRASE, exit 2)."""
    if not can_ask_secret():
        return None

    def ask(message: str) -> str:
        from coachlog.cli.prompts import get_prompter

        return get_prompter().secret(message)

    return ask


def can_ask_secret() -> bool:
    """May coachlog ask for a passphrase? As `interactive()`, or with stdout redirected:
    the hidden prompt is drawn on stderr, and `eval "$(coachlog unlock)"` (or any
    command piped on) captures stdout while a person still sits at the terminal."""
    if interactive():
        return True
    if STATE.no_input or os.environ.get("COACHLOG_NO_INPUT", "") not in ("", "0"):
        return False
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def interactive() -> bool:
    """May coachlog prompt? Only with a person at a terminal who has not said no."""
    if STATE.no_input or os.environ.get("COACHLOG_NO_INPUT", "") not in ("", "0"):
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------- output


class _Sanitised:
    """A renderable whose text segments pass `text.for_terminal`; styles stay as they are."""

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        from coachlog.text import for_terminal, has_unsafe

        for segment in console.render(self.renderable, options):
            if segment.control or not has_unsafe(segment.text):
                yield segment
            else:
                yield Segment(for_terminal(segment.text), segment.style)

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.renderable)


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console whose every print passes the terminal sanitiser.

    Stored text may hold ESC sequences, C1 controls and bidi overrides (Rich
    strips only BEL/BS/VT/FF/CR); a render hook on the console shows them as
    `\\x1b`-style escapes, so no listing, card or table can forget to. Rich's
    own colour codes are control segments and pass through untouched.
    """
    from rich.console import Console, RenderHook

    class _Hook(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [_Sanitised(r) for r in renderables]

    made = Console(stderr=stderr, highlight=False, **options)
    made.push_render_hook(_Hook())
    return made


def _stderr_console() -> Console:
    return console(stderr=True, soft_wrap=True)


def out() -> Console:
    """A Rich console on stdout for human output (honours NO_COLOR and the width)."""
    return console()


def write_text(text: str) -> None:
    """A document for reading (Markdown, HTML) on stdout, with terminal controls made visible."""
    from coachlog.text import for_terminal

    sys.stdout.write(for_terminal(text))
    sys.stdout.flush()


def say(message: str) -> None:
    """A human message on stderr (confirmation, hint). Printed verbatim, no markup."""
    from rich.text import Text

    _stderr_console().print(Text(wrap(message)))


# No journal holds this many of anything: a larger --limit reads all (LIMIT n + 1
# must fit SQLite's integers). One larger than SQLite stores at all is a usage error,
# as every number is (README, "Honest endings").
LIMIT_MAX = 10**12
SQLITE_INTEGER_MAX = 2**63 - 1


def _check_limit(limit: int) -> None:
    if limit > SQLITE_INTEGER_MAX:
        raise OverflowError("--limit")  # the CLI's one "A number is too large" error


def rows_to_read(limit: int) -> int | None:
    """How many rows to ask SQL for: one more than `limit` shows, to know if more exist.

    None (all) for 0 or for a limit beyond any journal, so every list treats a large
    --limit the same way; beyond what SQLite stores, every list refuses it (exit 2).
    """
    _check_limit(limit)
    return limit + 1 if 0 < limit < LIMIT_MAX else None


def paged(found: Sequence[T], limit: int, *, newest: str = "first") -> tuple[list[T], bool]:
    """`found` cut to `limit` items (0: all), and whether any were left out.

    Every list pages the same way (`--limit N`, default 20, 0 for all). A list
    that is newest (or best) first shows its first `limit`; a timeline, oldest
    first (`newest="last"`), shows its last `limit` and keeps its order. Callers
    that can ask SQL for `limit + 1` rows do, so a long journal is never read whole.
    """
    _check_limit(limit)
    items = list(found)
    if not limit or len(items) <= limit:
        return items, False
    return (items[-limit:] if newest == "last" else items[:limit]), True


def more_exist(shown: str) -> None:
    """Say a list was cut (on stderr, in --json too: a script must know), and how to see all.

    `shown` names what was shown: "the 20 newest", "the first 20 by name", ...
    """
    say(f"Showing {shown}; --limit 0 shows them all.")


def warn(message: str) -> None:
    from rich.text import Text

    text = wrap("Warning: " + message)[len("Warning: ") :]
    _stderr_console().print(Text("Warning: ", style="bold yellow") + Text(text))


def print_error(message: str, hint: str | None = None) -> None:
    """The one `Error:` line (plus an optional hint line) on stderr."""
    from coachlog.text import for_terminal

    text = message if message.startswith("Error:") else f"Error: {message}"
    sys.stderr.write(wrap(for_terminal(text)) + "\n")
    if hint:
        sys.stderr.write(wrap(for_terminal(hint)) + "\n")
    sys.stderr.flush()


def wrap(text: str) -> str:
    """Fold a message to the terminal's width at spaces, never inside a word or number.

    Only for a person at a terminal: piped or captured, an error stays one line that
    scripts can match.
    """
    import contextlib
    import shutil
    import textwrap

    try:
        if not sys.stderr.isatty():
            return text.rstrip()
    except (AttributeError, ValueError):
        return text.rstrip()
    # The width of the terminal stderr is on: shutil asks stdout's, which is a pipe
    # under `eval "$(coachlog unlock)"` or `coachlog ... | less` (then 80 columns).
    columns = shutil.get_terminal_size((80, 24)).columns
    if not os.environ.get("COLUMNS"):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            columns = os.get_terminal_size(sys.stderr.fileno()).columns
    width = max(20, columns)
    lines = text.rstrip().splitlines() or [""]
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
        for line in lines
    )


def to_jsonable(value: Any) -> Any:
    """Records, pydantic models, dates and enums to plain JSON values."""
    from coachlog.models import to_json

    return to_json(value)


def read_stdin(flag: str) -> str:
    """All of standard input for `flag` ('--notes -'), but never more than a note may hold.

    Reading stops just past the longest text coachlog keeps, so `--notes - <
    /dev/zero` or a runaway pipe is refused instead of filling memory.
    """
    from coachlog.errors import InvalidInput
    from coachlog.models import TEXT_MAX

    text = sys.stdin.read(TEXT_MAX + 3)
    if len(text) > TEXT_MAX + 2:
        raise InvalidInput(f"{flag} is too long (at most {TEXT_MAX} characters).")
    return text


def print_json(value: Any) -> None:
    """JSON on stdout and nothing else: the `--json` contract."""
    sys.stdout.write(
        json_safe(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)) + "\n"
    )
    sys.stdout.flush()


def require(**flags: Any) -> None:
    """Refuse to go on without required values, naming every missing flag at once.

    Keyword names are the flags as the user types them, e.g.
    `require(**{"--client": client, "--minutes": minutes})`.
    """
    from coachlog.errors import InvalidInput

    missing = [name for name, value in flags.items() if value is None or value == []]
    if missing:
        names = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        flag = "them as flags" if len(missing) > 1 else "it as a flag"
        raise InvalidInput(f"Missing {names}: give {flag} (coachlog only asks in a terminal).")


def confirm(question: str, *, yes: bool, refusal: str, hint: str) -> None:
    """The one way a command asks "are you sure?" before changing or removing records.

    `--yes` goes ahead; a script without `--yes` is refused (exit 1) with `refusal`
    and `hint`; a person at a terminal is asked through the prompter, on stderr so
    `--json` output stays pure JSON. Answering no (or Ctrl-C, Esc) is `Cancelled`:
    "Cancelled, nothing saved." and exit 130, the same for every command.
    """
    from coachlog.errors import Cancelled, Refused

    if yes:
        return
    if not interactive():
        raise Refused(refusal, hint=hint)
    from coachlog.cli.prompts import get_prompter
    from coachlog.text import for_terminal

    if not get_prompter().confirm(for_terminal(question), default=False):
        raise Cancelled()


def output_format(
    output: str | os.PathLike[str] | None, writes: list[str], given: str | None
) -> str | None:
    """The format -o's extension names, checked against what the command writes.

    An -o whose extension is not one of `writes` (pack.pdf, hours.xlsx,
    report.docx), or disagrees with --format (`given`), is refused with exit 2:
    writing Markdown into a .pdf and reporting success helps nobody. Returns
    None for no -o, `-` or a name without an extension.
    """
    from pathlib import PurePath

    from coachlog.errors import InvalidInput

    if output is None or str(output) == "-" or not PurePath(output).suffix:
        return None
    path = PurePath(output)
    suffix = path.suffix.lower().lstrip(".")
    suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if suffix not in writes:
        formats = ", ".join(f".{w}" for w in writes)
        raise InvalidInput(
            f"-o {path.name}: coachlog does not write {path.suffix} files here; "
            f"it writes {formats}.",
            hint="Give -o a name ending in one of those, or none and --format.",
        )
    if given is not None and given != suffix:
        raise InvalidInput(
            f"-o {path.name} ends in {path.suffix} but --format is {given}.",
            hint=f"Make them agree, e.g. -o {path.stem}.{given}.",
        )
    return suffix
