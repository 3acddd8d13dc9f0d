"""The `coachlog` command: the root Typer app, its global options, and its one exit point.

Every command group lives in its own module here; `COMMANDS` names them, and the
root group imports and builds only the one being run. `CoachlogGroup.main` is
where every run ends: domain errors become one `Error:`
line and exit 1, usage errors exit 2, Ctrl-C exits 130 with "Cancelled, nothing
saved", and an unexpected failure prints its type only (never its message, which
could hold journal text) unless COACHLOG_DEBUG=1.

Only light modules are imported at the top of the CLI: `coachlog --help` must not
pay for pydantic, sqlite-utils or questionary (tests/test_startup.py checks this).
Commands import what they need inside their bodies.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from coachlog import __version__
from coachlog.cli.common import STATE, print_error
from coachlog.errors import Cancelled, CoachlogError
from coachlog.store import driver


def _debug() -> bool:
    return os.environ.get("COACHLOG_DEBUG", "") not in ("", "0")


# Every top-level command: the cli module that defines it, how it attaches (a
# Typer group `app`, or a function that registers commands on a Typer), and the
# one line `coachlog --help` shows. Modules are imported only when their command
# runs, so each run builds just the commands it uses (test_cli_help checks that
# these lines match the commands' own help).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "client": ("clients", "app", "Add, list, show, edit, archive and erase clients."),
    "session": (
        "sessions",
        "app",
        "Log coaching sessions and read them back: list, show, edit, delete.",
    ),
    "action": ("actions", "app", "Add, list and tick off agreed actions."),
    "goal": (
        "goals",
        "app",
        "Set goals, rate progress on a 0-10 scale, and mark them done or dropped.",
    ),
    "reflect": (
        "reflections",
        "register_reflect",
        "Write a reflection, usually answering a behaviour-card question.",
    ),
    "reflection": ("reflections", "app", "List and read your reflections."),
    "progress": ("progress", "register", "Show progress on the six IES impact themes."),
    "prep": ("progress", "register", "A one-screen brief before your next session with CLIENT."),
    "search": (
        "search",
        "register",
        "Find notes, reflections, goals and actions containing all your words.",
    ),
    "cards": (
        "cards",
        "app",
        "The behaviour cards: list, show, draw one to reflect on, and add decks of your own.",
    ),
    "themes": (
        "cards",
        "register_themes",
        "List the six IES impact themes that progress is measured against.",
    ),
    "supervision": (
        "supervision",
        "app",
        "Log your own supervision and see it against your coaching hours.",
    ),
    "export": (
        "exchange",
        "register",
        "Export a supervision pack, an hours log, a full backup or anonymous outcomes.",
    ),
    "import": (
        "exchange",
        "register",
        "Import a coachlog backup, or a jrnl journal as reflections.",
    ),
    "share": (
        "share",
        "app",
        "Pass reflections, actions and goals between coach and coachee in encrypted packs.",
    ),
    "engagement": (
        "engagements",
        "app",
        "Start, end, correct and list coaching engagements: sessions agreed, a sponsor, dates.",
    ),
    "outcome": (
        "outcomes",
        "app",
        "Record outcome check-ins on the six themes: before, at the end, six months on.",
    ),
    "profile": (
        "profile",
        "app",
        "Rate yourself 0-10 on each behaviour card and see your strengths and what to develop.",
    ),
    "programme": (
        "programme",
        "app",
        "Merge coaches' anonymous outcome exports into one programme report.",
    ),
    "redact": (
        "redact",
        "app",
        "Keep other people's names out of exports: add, list, remove.",
    ),
    "db": (
        "database",
        "app",
        "Look after the journal file: status, checks, backup, purge and encryption.",
    ),
    "unlock": (
        "encryption",
        "register_unlock",
        "Unlock an encrypted journal once: print a session key for the shell to keep.",
    ),
    "lock": (
        "encryption",
        "register_lock",
        "End the unlocked session of an encrypted journal: its key opens nothing now.",
    ),
    "demo": (
        "demo",
        "register",
        "Try coachlog on a made-up journal: a coach, three clients, six months of work.",
    ),
}

_built: dict[str, Any] = {}


def _build(name: str) -> Any:
    """Import the module behind a top-level command and build its click command."""
    import typer.main

    module_name, attach, _ = COMMANDS[name]
    module = importlib.import_module(f"coachlog.cli.{module_name}")
    holder = typer.Typer(rich_markup_mode=None)
    holder.callback()(lambda: None)  # a callback keeps the holder a group
    target = getattr(module, attach)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        target(holder)
    return _whole_sentences(typer.main.get_command(holder).commands[name])  # type: ignore[attr-defined]


def _whole_sentences(command: Any) -> Any:
    """Give each subcommand its help's whole first sentence as its summary.

    Click cuts a summary at 45 characters with "...", often mid-sentence; the group's
    help wraps the whole sentence to the terminal's width instead.
    """
    for sub in getattr(command, "commands", {}).values():
        if not sub.short_help and sub.help:
            first = " ".join(sub.help.strip().split("\n\n")[0].split())
            end = first.find(". ")
            sub.short_help = first if end == -1 else first[: end + 1]
        _whole_sentences(sub)
    return command


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing will flush it


def _saved() -> bool:
    """Whether this run has already committed a change to the journal."""
    opened = STATE._journal
    return opened is not None and opened.saved


_SAVED = "Stopped, but your change had already been saved."
_SAVED_HINT = "Check it with the matching list or show command before running this again."


class CoachlogGroup(TyperGroup):
    """The root group: builds commands on demand and turns every ending into an exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in _built:
            _built[cmd_name] = _build(cmd_name)
        return _built[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # From the table, so `coachlog --help` imports no command module.
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, _, text) in COMMANDS.items()])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # A write in progress has already been rolled back by Journal.write().
            raise Cancelled() from None
        except BrokenPipeError:
            # stdout was closed (`| head`): what was asked for is done, and any
            # write has committed, so this is success; click would exit 1.
            _silence_stdout()
            return 0

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = 0
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            if isinstance(result, int):
                code = result
        except (Cancelled, KeyboardInterrupt) as exc:
            # Not an error: the person chose to stop. Nothing was saved, unless a
            # write had already committed, and then saying so is the truth.
            if _saved():
                sys.stderr.write(_SAVED + "\n" + _SAVED_HINT + "\n")
            else:
                sys.stderr.write(Cancelled().message + "\n")
            code = exc.exit_code if isinstance(exc, Cancelled) else 130
        except OverflowError:
            print_error(
                "A number is too large: coachlog stores whole numbers up to 9223372036854775807.",
                "Check the ids and numbers given; nothing was saved.",
            )
            code = 2
        except CoachlogError as exc:
            print_error(exc.message, exc.hint)
            code = exc.exit_code
        except ClickException as exc:
            hint = None
            command_path = getattr(getattr(exc, "ctx", None), "command_path", None)
            if command_path:
                hint = f"Run '{command_path} --help' to see what it takes."
            print_error(exc.format_message(), hint)
            code = exc.exit_code
        except typer.Abort:
            sys.stderr.write((_SAVED if _saved() else Cancelled().message) + "\n")
            code = 130
        except driver.DatabaseError as exc:
            if _debug():
                raise
            if _saved():
                print_error(
                    "Your change was saved, but the journal could not be read afterwards ("
                    + type(exc).__name__
                    + ").",
                    "Run 'coachlog db check' before changing anything again.",
                )
            elif "locked" in str(exc) or "busy" in str(exc):
                print_error(
                    "The journal is busy: another coachlog is writing to it.",
                    "Wait a moment and run the command again; nothing was saved.",
                )
            else:
                print_error(
                    "The journal could not be read or written (" + type(exc).__name__ + ").",
                    "Run 'coachlog db check'; COACHLOG_DEBUG=1 shows the details.",
                )
            code = 1
        except Exception as exc:
            if _debug():
                raise
            # The message may quote journal text, so only the type is shown.
            saved = "your change was saved" if _saved() else "nothing was saved"
            print_error(
                f"Something unexpected went wrong ({type(exc).__name__}); {saved}.",
                "Run again with COACHLOG_DEBUG=1 to see the details.",
            )
            code = 1
        finally:
            try:
                STATE.close()
            except KeyboardInterrupt:
                code = 130 if code == 0 else code
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    rich_markup_mode=None,
    name="coachlog",
    cls=CoachlogGroup,
    help=(
        "A private coaching journal: log sessions, reflect on behaviour-card questions, "
        "track goals on a 0-10 scale and see progress against the six IES impact themes. "
        "Run with no command for an overview of your journal."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coachlog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="COACHLOG_DB",
            show_envvar=True,
            metavar="PATH",
            help="Journal file to use (default: your user-data folder).",
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            envvar="COACHLOG_NO_INPUT",
            show_envvar=True,
            help="Never prompt; a missing value is an error naming its flag.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    STATE.reset(db=db, no_input=no_input)
    if ctx.invoked_subcommand is None:
        from coachlog.cli.overview import show_overview

        show_overview()


def main() -> None:
    """Console-script entry point."""
    app()
