"""The `coachlog` command: the root Typer app, its global options, and its one exit point.

Every command group lives in its own module here and is joined with `add_typer`.
`CoachlogGroup.main` is where every run ends: domain errors become one `Error:`
line and exit 1, usage errors exit 2, Ctrl-C exits 130 with "Cancelled, nothing
saved", and an unexpected failure prints its type only (never its message, which
could hold journal text) unless COACHLOG_DEBUG=1.

Only light modules are imported at the top of the CLI: `coachlog --help` must not
pay for pydantic, sqlite-utils or questionary (tests/test_startup.py checks this).
Commands import what they need inside their bodies.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from coachlog import __version__
from coachlog.cli import (
    actions,
    cards,
    clients,
    database,
    demo,
    exchange,
    goals,
    privacy,
    progress,
    reflections,
    search,
    sessions,
)
from coachlog.cli.common import STATE, print_error
from coachlog.errors import Cancelled, CoachlogError


def _debug() -> bool:
    return os.environ.get("COACHLOG_DEBUG", "") not in ("", "0")


class CoachlogGroup(TyperGroup):
    """The root group: turns every way a command can end into an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # A write in progress has already been rolled back by Journal.write().
            raise Cancelled() from None

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
        except Cancelled as exc:
            # Not an error: the person chose to stop, and nothing was saved.
            sys.stderr.write(exc.message + "\n")
            code = exc.exit_code
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
            sys.stderr.write(Cancelled().message + "\n")
            code = 130
        except sqlite3.DatabaseError as exc:
            if _debug():
                raise
            if "locked" in str(exc) or "busy" in str(exc):
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
            print_error(
                f"Something unexpected went wrong ({type(exc).__name__}); nothing was saved.",
                "Run again with COACHLOG_DEBUG=1 to see the details.",
            )
            code = 1
        finally:
            STATE.close()
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


app.add_typer(clients.app, name="client")
app.add_typer(sessions.app, name="session")
app.add_typer(goals.app, name="goal")
app.add_typer(actions.app, name="action")
app.add_typer(reflections.app, name="reflection")
app.add_typer(cards.app, name="cards")
app.add_typer(database.app, name="db")
reflections.register_reflect(app)
cards.register_themes(app)
search.register(app)
demo.register(app)
progress.register(app)
exchange.register(app)
privacy.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
