"""Asking a person at the keyboard: the one module that knows questionary and prompt_toolkit.

Commands and flows never call questionary themselves. They ask through a `Prompter`
(`get_prompter()`), which has one method per kind of question: a line of text, a longer
answer (inline, or in the person's own editor), a choice from a list, ticks in a
checkbox list, yes/no, type-ahead over known names, a date, a time and a whole number.
The real one, `QuestionaryPrompter`, checks typed dates, times and numbers as they are
typed with the same rules as the flags (`coachlog.dates`), and turns Ctrl-C, Esc and
Ctrl-D into `Cancelled`, which the root group reports as "Cancelled, nothing saved."
with exit code 130. Tests swap in a scripted prompter with `use_prompter(...)`.

questionary and prompt_toolkit are imported only when a question is really asked, so
importing this module (or a flow) costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from coachlog import dates
from coachlog.errors import Cancelled, CoachlogError, Refused
from coachlog.text import counted

if TYPE_CHECKING:
    from prompt_toolkit.application import Application

T = TypeVar("T")

# A validator takes what was typed and returns None when it is fine, else the
# message to show under the prompt (the answer cannot be submitted until it is fine).
Validator = Callable[[str], str | None]

# How long prompt_toolkit waits after an Esc byte to see whether an arrow-key escape
# sequence follows. Terminals send those bytes together, so a short wait makes a
# lone Esc cancel at once without breaking the arrow keys.
ESC_WAIT_SECONDS = 0.05


@dataclass(frozen=True)
class Option(Generic[T]):
    """One entry of a select or checkbox list: what is shown, and what it stands for."""

    label: str
    value: T
    description: str | None = None


# ---------------------------------------------------------------- validators


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else message


def _parsed_by(
    parse: Callable[[str, str], object], what: str, blank: str, *, optional: bool
) -> Validator:
    """A validator that accepts exactly what `parse` (the flags' own parser) accepts."""

    def check(text: str) -> str | None:
        if not text.strip():
            return None if optional else blank
        try:
            parse(text, what)
        except CoachlogError as exc:
            return _first_line(exc.message)
        return None

    return check


def date_validator(what: str = "date", *, optional: bool = False) -> Validator:
    """Accepts what `--on`/`--due` accept: the whole grammar of dates.py (blank if optional)."""
    blank = "Type a date, e.g. 2026-12-01, 1/12/2026, today or last friday."
    return _parsed_by(dates.parse_date, what, blank, optional=optional)


def time_validator(what: str = "time", *, optional: bool = True) -> Validator:
    """Accepts what `--at` accepts: 09:30, 9.30, 9am... (blank if optional)."""
    return _parsed_by(
        dates.parse_time, what, f"Type a time, e.g. {dates.TIME_FORMS}.", optional=optional
    )


def integer_validator(
    minimum: int, maximum: int, what: str = "number", *, optional: bool = False
) -> Validator:
    """A whole number from `minimum` to `maximum` (blank if optional)."""

    def check(text: str) -> str | None:
        value = text.strip()
        if not value:
            return None if optional else f"Type a whole number from {minimum} to {maximum}."
        if not value.isascii() or not value.isdigit():
            return f"The {what} must be a whole number from {minimum} to {maximum}."
        # More digits than the maximum has is out of range; past 4300 digits int()
        # itself raises, which would end the prompt with a traceback.
        if len(value) > 9 or len(value.lstrip("0")) > len(str(maximum)):
            return f"The {what} must be from {minimum} to {maximum}."
        if not minimum <= int(value) <= maximum:
            return f"The {what} must be from {minimum} to {maximum}, not {int(value)}."
        return None

    return check


def line_validator(max_length: int, *, required: bool = True, what: str = "answer") -> Validator:
    """One line of plain text of at most `max_length` characters, like a title or a name."""

    def check(text: str) -> str | None:
        value = text.strip()
        if not value:
            return f"The {what} cannot be empty." if required else None
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            return f"The {what} must be plain text, without control characters."
        if len(value) > max_length:
            return f"The {what} is too long: at most {max_length} characters."
        return None

    return check


def all_of(*validators: Validator | None) -> Validator:
    """A validator that passes only when every given one does (the first message wins)."""

    def check(text: str) -> str | None:
        for validator in validators:
            if validator is not None and (problem := validator(text)) is not None:
                return problem
        return None

    return check


# ---------------------------------------------------------------- the editor


def editor_command() -> list[str] | None:
    """The person's editor: $VISUAL, else $EDITOR, else nano or vi if installed."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    for name in ("nano", "vi"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def editor_name() -> str:
    """How to call the editor in a hint: its program name, or "your editor"."""
    command = editor_command()
    return Path(command[0]).name if command else "your editor"


def edit_text(initial: str = "") -> str:
    """Open the person's editor on `initial` and return what they saved (or `initial`)."""
    saved = _edit(initial)
    return initial if saved is None else saved


def _edit(initial: str) -> str | None:
    """Open the person's editor on `initial`; the text saved, or None if nothing was.

    The text lives in a fresh folder readable only by its owner (so the editor's swap
    and backup files are private too), and the folder is deleted afterwards, whatever
    happens. Ctrl-C is left to the editor while it runs (vi and others use it), so it
    does not kill the editor half way through.
    """
    command = editor_command()
    if command is None:
        raise Refused(
            "No text editor found to write a longer answer in.",
            hint="Set one with, for example: export EDITOR=nano (or answer inline).",
        )
    folder = tempfile.mkdtemp(prefix="coachlog-")  # mode 0700
    path = Path(folder) / "entry.md"
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        before = path.stat().st_mtime_ns
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError:
            raise Refused(
                f"Could not start the editor '{command[0]}'.",
                hint="Check $VISUAL / $EDITOR names a program you have installed.",
            ) from None
        finally:
            signal.signal(signal.SIGINT, previous)
        if done.returncode != 0:
            raise Refused(
                f"The editor '{Path(command[0]).name}' stopped with an error, "
                "so nothing was taken from it.",
                hint="Nothing was saved; run the command again.",
            )
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            raise Refused(
                f"The editor '{Path(command[0]).name}' left no text file to read.",
                hint="Nothing was saved; run the command again.",
            ) from None
        if text == initial and path.stat().st_mtime_ns == before:
            return None  # quit without saving
        return text
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- the protocol


class Prompter(Protocol):
    """Every kind of question coachlog asks. Each raises `Cancelled` if the person stops."""

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validator | None = None,
        instruction: str | None = None,
    ) -> str:
        """One line of text, stripped of surrounding spaces."""
        ...

    def long_text(self, message: str, *, default: str = "") -> str:
        """A longer answer: typed inline, or written in the person's editor."""
        ...

    def editor_text(self, initial: str = "") -> str:
        """Text written in the person's editor, starting from `initial`."""
        ...

    def select(self, message: str, options: Sequence[Option[T]], *, default: T | None = None) -> T:
        """The value of the one option picked."""
        ...

    def checkbox(
        self, message: str, options: Sequence[Option[T]], *, checked: Sequence[T] = ()
    ) -> list[T]:
        """The values of the options ticked, in list order (may be none)."""
        ...

    def confirm(self, message: str, *, default: bool = True) -> bool: ...

    def secret(self, message: str) -> str:
        """A passphrase or code, typed without being shown (never stripped)."""
        ...

    def autocomplete(
        self,
        message: str,
        choices: Sequence[str],
        *,
        default: str = "",
        validate: Validator | None = None,
        meta: dict[str, str] | None = None,
    ) -> str:
        """A line of text with type-ahead over `choices` (anything else may be typed too)."""
        ...

    def date(
        self,
        message: str,
        *,
        default: dt.date | None = None,
        optional: bool = False,
        what: str = "date",
    ) -> dt.date | None: ...

    def time(
        self, message: str, *, default: str | None = None, optional: bool = True
    ) -> str | None:
        """HH:MM, or None when optional and left blank."""
        ...

    def integer(
        self, message: str, *, minimum: int, maximum: int, default: int | None = None
    ) -> int: ...


class PrompterBase:
    """Dates, times and numbers asked as checked text: shared by the real and test prompters."""

    def secret(self, message: str) -> str:
        import getpass

        try:
            return getpass.getpass(f"{message}: ", stream=sys.stderr)
        except (EOFError, KeyboardInterrupt):
            raise Cancelled() from None

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validator | None = None,
        instruction: str | None = None,
    ) -> str:
        raise NotImplementedError

    def date(
        self,
        message: str,
        *,
        default: dt.date | None = None,
        optional: bool = False,
        what: str = "date",
    ) -> dt.date | None:
        hint = "e.g. 2026-12-01, 1/12/2026, last friday" + (
            ", or blank for none" if optional else ""
        )
        answer = self.text(
            message,
            default=default.isoformat() if default else "",
            validate=date_validator(what, optional=optional),
            instruction=f"({hint})",
        )
        if not answer.strip():
            return None
        return dates.parse_date(answer, what)

    def time(
        self, message: str, *, default: str | None = None, optional: bool = True
    ) -> str | None:
        hint = "e.g. 09:30, 9.30, 2pm" + (", or blank to leave out" if optional else "")
        answer = self.text(
            message,
            default=default or "",
            validate=time_validator(optional=optional),
            instruction=f"({hint})",
        )
        if not answer.strip():
            return None
        return dates.parse_time(answer)

    def integer(
        self, message: str, *, minimum: int, maximum: int, default: int | None = None
    ) -> int:
        answer = self.text(
            message,
            default="" if default is None else str(default),
            validate=integer_validator(minimum, maximum),
            instruction=f"({minimum}-{maximum})",
        )
        return int(answer.strip())


# ---------------------------------------------------------------- the real prompter


class _OpenEditor:
    """The result of pressing Ctrl-E in a long-text prompt: carry on in the editor."""

    def __init__(self, text: str) -> None:
        self.text = text


def _cancel_bindings(app: Application[Any]) -> None:
    """Make Esc cancel like Ctrl-C does (questionary binds only Ctrl-C and Ctrl-Q)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("escape", eager=True)
    def _cancel(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    app.ttimeoutlen = ESC_WAIT_SECONDS


def fit_question(
    message: str, instruction: str | None, width: int | None = None
) -> tuple[str, str | None]:
    """The question and its instruction wrapped between words to the terminal.

    questionary prints "? message instruction" as one line and the terminal breaks
    it anywhere ("as well as you co / uld wish"). When it does not fit (with room
    left to type a short answer), the message is wrapped and the instruction goes
    on the lines under it, ending where the answer is typed.
    """
    import textwrap

    width = width or shutil.get_terminal_size().columns
    room = max(width - 4, 20)
    if len(f"? {message} {instruction or ''}".rstrip()) <= room:
        return message, instruction
    lines = textwrap.wrap(message, room, initial_indent="? ", subsequent_indent="  ")
    if instruction:
        lines += textwrap.wrap(instruction, room, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)[2:], None


def _shown(text: str) -> str:
    """`text` as the terminal may see it: bidi overrides and controls made visible."""
    from coachlog.text import for_terminal

    return for_terminal(text)


def _fit(description: str | None) -> str | None:
    """A choice's description cut to one screen line (questionary does not wrap it)."""
    if description is None:
        return None
    description = _shown(description)
    width = max(shutil.get_terminal_size().columns - len("  Description: ") - 1, 20)
    return description if len(description) <= width else description[: width - 1] + "…"


def _questionary_validator(
    validate: Validator | None, real: dict[str, str] | None = None
) -> Callable[[str], bool | str] | None:
    if validate is None:
        return None

    def check(text: str) -> bool | str:
        # A choice offered in its shown form is checked as the real text.
        problem = validate((real or {}).get(text.strip(), text))
        return True if problem is None else problem

    return check


class QuestionaryPrompter(PrompterBase):
    """Asks with questionary in the terminal; Ctrl-C, Esc or Ctrl-D raise `Cancelled`."""

    def _ask(self, question: Any) -> Any:
        _cancel_bindings(question.application)
        try:
            return question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Cancelled() from None

    def text(
        self,
        message: str,
        *,
        default: str = "",
        validate: Validator | None = None,
        instruction: str | None = None,
    ) -> str:
        import questionary

        message, instruction = fit_question(message, instruction)
        if not default:
            question = questionary.text(
                message, validate=_questionary_validator(validate), instruction=instruction
            )
            return str(self._ask(question)).strip()
        # The default is shown greyed out in the empty line rather than typed into it,
        # so typing replaces it ("yesterday" over today's date) and Enter keeps it.
        from prompt_toolkit.formatted_text import FormattedText

        def check(text: str) -> str | None:
            return validate(text if text.strip() else default) if validate else None

        question = questionary.text(
            message,
            validate=_questionary_validator(check),
            instruction=instruction,
            placeholder=FormattedText([("class:placeholder", default)]),
            style=questionary.Style([("placeholder", "fg:ansibrightblack italic")]),
        )
        return str(self._ask(question)).strip() or default.strip()

    def long_text(self, message: str, *, default: str = "") -> str:
        import questionary
        from prompt_toolkit.key_binding import KeyBindings

        bindings = KeyBindings()

        @bindings.add("c-e", eager=True)
        @bindings.add("c-x", "c-e", eager=True)
        def _editor(event: Any) -> None:
            event.app.exit(result=_OpenEditor(event.app.current_buffer.text))

        while True:
            question = questionary.text(
                message,
                default=default,
                instruction=f"(Ctrl-E: write it in {editor_name()})",
                key_bindings=bindings,
            )
            answer = self._ask(question)
            if not isinstance(answer, _OpenEditor):
                return str(answer).strip()
            # Quitting the editor without saving, or its failing, is not the end of
            # the answer (nor of a card drawn for it): back to this question.
            try:
                saved = _edit(answer.text)
            except Refused as exc:
                saved, why = None, exc.message
            else:
                why = f"Nothing was saved in {editor_name()}."
            if saved is None:
                questionary.print(f"  ({why} Your text is kept: go on here.)", style="italic")
                default = answer.text
                continue
            text = saved.strip()
            # The prompt line still shows what was typed before the editor opened.
            lines = len(text.splitlines())
            questionary.print(
                f"  (written in {editor_name()}: {counted(lines, 'line')})",
                style="italic",
            )
            return text

    def editor_text(self, initial: str = "") -> str:
        return edit_text(initial).strip()

    def select(self, message: str, options: Sequence[Option[T]], *, default: T | None = None) -> T:
        import questionary

        choices = [
            questionary.Choice(_shown(o.label), value=i, description=_fit(o.description))
            for i, o in enumerate(options)
        ]
        start = next((i for i, o in enumerate(options) if o.value == default), None)
        question = questionary.select(
            message,
            choices=choices,
            default=None if start is None else choices[start],
            use_search_filter=len(options) > 7,
            use_jk_keys=False,
            instruction="(arrow keys, Enter; type to filter)" if len(options) > 7 else None,
        )
        return options[int(self._ask(question))].value

    def checkbox(
        self, message: str, options: Sequence[Option[T]], *, checked: Sequence[T] = ()
    ) -> list[T]:
        import questionary

        choices = [
            questionary.Choice(
                _shown(o.label),
                value=i,
                description=_fit(o.description),
                checked=o.value in checked,
            )
            for i, o in enumerate(options)
        ]
        question = questionary.checkbox(
            message,
            choices=choices,
            instruction="(Space ticks, Enter when done; none is fine)",
        )
        picked = self._ask(question) or []
        return [options[int(i)].value for i in sorted(picked)]

    def confirm(self, message: str, *, default: bool = True) -> bool:
        import questionary

        # On stderr, like every message to the person, so `--json` stdout stays JSON.
        from prompt_toolkit.output import create_output

        question = questionary.confirm(
            message, default=default, output=create_output(stdout=sys.stderr)
        )
        return bool(self._ask(question))

    def secret(self, message: str) -> str:
        import questionary
        from prompt_toolkit.output import create_output

        # Hidden input, on stderr so `eval "$(coachlog unlock)"` captures only stdout.
        question = questionary.password(message, output=create_output(stdout=sys.stderr))
        return str(self._ask(question) or "")

    def autocomplete(
        self,
        message: str,
        choices: Sequence[str],
        *,
        default: str = "",
        validate: Validator | None = None,
        meta: dict[str, str] | None = None,
    ) -> str:
        import questionary

        if not choices:
            return self.text(message, default=default, validate=validate)
        # Names are offered as a terminal may show them; picking one gives the name.
        real = {_shown(c): c for c in choices}
        shown_meta = {_shown(k): _shown(v) for k, v in meta.items()} if meta else {}
        question = questionary.autocomplete(
            message,
            choices=list(real),
            default=default,
            validate=_questionary_validator(validate, real),
            completer=_folding_completer(list(real), shown_meta),
        )
        answer = str(self._ask(question)).strip()
        return real.get(answer, answer)


def _folding_completer(choices: list[str], meta: dict[str, str]) -> Any:
    """Type-ahead that compares names folded, as `-c NAME` does: "zoe" offers "Zoë
    O'Neill", "strasse" offers "Straße" (questionary's own completer only lower-cases)."""
    from prompt_toolkit.completion import Completer, Completion

    from coachlog.text import fold

    folded = [(choice, fold(choice)) for choice in choices]

    class FoldingCompleter(Completer):
        def get_completions(self, document: Any, complete_event: Any) -> Any:
            typed = fold(document.text_before_cursor)
            for choice, key in folded:
                if typed in key:
                    yield Completion(
                        choice,
                        start_position=-len(document.text_before_cursor),
                        display_meta=meta.get(choice, ""),
                        style="class:answer",
                        selected_style="class:selected",
                    )

    return FoldingCompleter()


# ---------------------------------------------------------------- which prompter


_override: Prompter | None = None


def get_prompter() -> Prompter:
    """The prompter commands use: the real one, unless a test has put another in place."""
    return _override if _override is not None else QuestionaryPrompter()


@contextmanager
def use_prompter(prompter: Prompter) -> Iterator[Prompter]:
    """Within the block, `get_prompter()` returns `prompter` (for tests)."""
    global _override
    previous = _override
    _override = prompter
    try:
        yield prompter
    finally:
        _override = previous
