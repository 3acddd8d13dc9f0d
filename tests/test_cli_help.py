"""Every command has help, and the root's command list tells the truth.

`coachlog --help` prints one line per command from the table in cli/__init__.py
without importing the command modules; this checks each line matches the
command's own help, and that every command and subcommand explains itself.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main

from coachlog.cli import COMMANDS, app

ROOT = typer.main.get_command(app)


def _walk(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name in getattr(command, "list_commands", lambda ctx: [])(None):
        found += _walk(command.get_command(None, name), (*path, name))
    return found


@pytest.mark.parametrize("name", list(COMMANDS))
def test_root_help_line_matches_the_command(name):
    command = ROOT.get_command(None, name)  # type: ignore[attr-defined]
    assert command is not None
    assert command.get_short_help_str(limit=300) == COMMANDS[name][2]


def test_every_command_and_option_has_help():
    for path, command in _walk(ROOT, ("coachlog",)):
        if path == ("coachlog",):
            continue
        assert (command.help or "").strip(), " ".join(path)
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert getattr(param, "help", None), f"{' '.join(path)} {param.opts}"


def test_every_command_runs_its_help(cli):
    for path, _command in _walk(ROOT, ()):
        result = cli(*path, "--help")
        assert result.exit_code == 0, path
        assert result.stdout.startswith("Usage: "), path


def test_unknown_command_is_a_usage_error(cli):
    result = cli("sesion", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No such command 'sesion'.")


def test_every_command_help_ends_with_an_example():
    # A person who is not a programmer copies the example before reading the flags.
    missing = [
        " ".join(path)
        for path, command in _walk(ROOT, ())
        if not hasattr(command, "list_commands")
        # (unlock and lock are run inside eval "$(coachlog ...)")
        and not re.search(r"Example: .*\bcoachlog ", command.help or "")
    ]
    assert missing == []
